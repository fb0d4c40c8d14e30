// The NEON eight-block AES kernel; see aes_neon.h. The algorithm is the one
// of Aes::EncryptBlockPair (aes.cc), instantiated with uint32x4_t: only the
// loads and stores, which spread eight blocks over the lanes, are specific.
#include "libs/crypto/aes_neon.h"

#if defined(CRYPTO_BACKEND_R52_NEON)

#include <arm_neon.h>

#include "base/secure_wipe.h"
#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_fixslice.h"

namespace crypto::internal {
namespace {

using Vec = uint32x4_t;

constexpr std::size_t kKeyWords = kNeonRoundKeyWords;
constexpr std::size_t kGroupBytes = 16 * kNeonGroupBlocks;

// The scalar pair loads q = {b0.w0, b1.w0, b0.w1, b1.w1, ...}. VLD4.32
// de-interleaves four consecutive blocks so that val[c] holds word c of
// each of them, one per lane: lane i then carries the pair (block i,
// block i + 4) in exactly the scalar layout. Little-endian words, as the
// scalar LoadLe32; element-aligned accesses, so any buffer alignment works
// where unaligned word access does (as for the scalar LDRs).
inline void LoadGroup(const std::uint8_t* in, Vec q[8]) {
  const uint32x4x4_t first =
      vld4q_u32(reinterpret_cast<const std::uint32_t*>(in));
  const uint32x4x4_t second =
      vld4q_u32(reinterpret_cast<const std::uint32_t*>(in + kGroupBytes / 2));
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {
    q[2 * c] = first.val[c];
    q[2 * c + 1] = second.val[c];
  }
}

inline void StoreGroup(const Vec q[8], std::uint8_t* out) {
  uint32x4x4_t first;
  uint32x4x4_t second;
#pragma GCC unroll 4
  for (int c = 0; c < 4; ++c) {
    first.val[c] = q[2 * c];
    second.val[c] = q[2 * c + 1];
  }
  vst4q_u32(reinterpret_cast<std::uint32_t*>(out), first);
  vst4q_u32(reinterpret_cast<std::uint32_t*>(out + kGroupBytes / 2), second);
}

// The first and last steps of a group and the last round are out of line
// like the rounds: the S-box circuit's spill area (the 16 q registers do not
// hold its ~30 live values) and the load/transpose temporaries then never
// sit in the kernel's frame while a round runs, which keeps the worst stack
// depth at kernel + one round.

// Loads and transposes eight blocks and adds round key 0.
[[gnu::noinline]] void BeginGroup(const std::uint8_t* in,
                                  const std::uint32_t* rk, Vec q[8]) {
  LoadGroup(in, q);
  TransposeSlices(q);
  AddRoundKey(q, rk);
}

// The last round (SubBytes and the key, no MixColumns).
[[gnu::noinline]] void LastRound(Vec q[8], const std::uint32_t* k) {
  SubBytesInline(q);
  AddRoundKey(q, k);
}

// Back to byte order, SR^(Nr mod 4) on the output, and stores.
[[gnu::noinline]] void EndGroup(Vec q[8], unsigned rounds, std::uint8_t* out) {
  TransposeSlices(q);
  if (rounds % 4 == 2) {
    // SR^2: rows 1 and 3 (byte lanes 1, 3) swap columns c and c + 2, in
    // both blocks of every pair.
#pragma GCC unroll 4
    for (int w = 0; w < 4; ++w) {
      const Vec t = (q[w] ^ q[w + 4]) & 0xff00ff00u;
      q[w] ^= t;
      q[w + 4] ^= t;
    }
  }
  StoreGroup(q, out);
}

}  // namespace

void EncryptBlockGroupsNeon(const std::uint32_t* rk, unsigned rounds,
                            const std::uint8_t* in, std::uint8_t* out,
                            std::size_t groups) {
  Vec q[8];
  const std::uint32_t* const last = rk + rounds * kKeyWords;
  for (; groups != 0; --groups, in += kGroupBytes, out += kGroupBytes) {
    BeginGroup(in, rk, q);
    // Rounds 1 .. Nr-1 with MixColumns variant m = round mod 4, then the
    // last round and SR^(Nr mod 4) on the output, as in EncryptBlockPair.
    RoundsUpToLast(q, rk + kKeyWords, last);
    LastRound(q, last);
    EndGroup(q, rounds, out);
  }
  // The last group's ciphertext (keystream in CTR) and round state; wiped
  // once per call rather than per group.
  base::SecureWipe(q, sizeof q);
}

}  // namespace crypto::internal

#endif  // CRYPTO_BACKEND_R52_NEON
