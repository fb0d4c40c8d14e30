// Counter-mode keystream with the first two AES rounds and round 2's
// SubBytes cached (AES-GCM with a 96-bit IV). Internal to libs/crypto: :gcm
// and the tests use it.
//
// Idea: a counter block is IV (12 bytes) || BE32(counter). Round 0 and round
// 1 mix each column once, so after round 1 the state depends on the low
// counter byte x (block byte 15) only through the S-box output
// s = S(x ^ K0[15]) of round 1, which MixColumns spreads over true column 0
// as (s, s, 3s, 2s) in rows 0..3. With drift 1 (fixslicing, aes_fixslice.h)
// those are stored bytes (r, r), i.e. block bytes 0, 5, 10, 15 of the
// layout the round-2 entry takes. For a run of counters that share bytes
// 12..14 everything else is one 16-byte template, computed once per run
// with the real rounds 0-1, and the four bytes are K' ^ (s, s, 3s, 2s), K'
// the template's bytes minus the reference block's contribution. Round 2's
// SubBytes works byte by byte, so it is cached too: the template holds the
// S-box of its twelve fixed bytes, and row r of the window holds
// S(K'_r ^ (s, s, 3s, 2s)[r]). For 32 counters at a time, s comes from one
// evaluation of the bitsliced S-box circuit and each row from one more,
// computed on the bit planes of s directly (xtime and the key bytes are
// plane-wise XORs). Each pair then starts at round 2's MixColumns.
//
// Constant-time: the counter, and so x, the run and every branch and table
// index below, is public only for 96-bit IVs (J0 = IV || 1). For any other
// IV length J0 = GHASH(IV) depends on H, and the caller must not use this
// (aes_gcm.cc passes no cache then). The table CtrCache::row holds secret
// values (they depend on the key) but is indexed by x - base, public: which
// entry is read reveals only the counter, and the entries are computed with
// the same fixed instruction sequence for every key. Its size is fixed
// (4 x kWindow bytes). CtrCache holds key-dependent data and wipes itself on
// destruction once used (Wipe() does it earlier).
#ifndef LIBS_CRYPTO_AES_CTR_H_
#define LIBS_CRYPTO_AES_CTR_H_

#include <cstddef>
#include <cstdint>

#include "libs/crypto/hw_dispatch.h"

namespace crypto {
class Aes;
namespace internal {

// The cipher split inside round 2 (aes.cc), for the code below:
// Rounds0To1, Round2SubBytes and FromRound2MixColumns in a row compute
// EncryptBlockPair.
struct AesCtrAccess {
  // Rounds 0 and 1 of the block pair in[0..31]; state gets the fixsliced
  // state (drift 1) in the byte layout of
  // crypto_aes_fixsliced_pair_from_round2_mix_arm (aes_pair_arm.h): block b
  // word c at 16 b + 4 c, byte r of a word = row r.
  static void Rounds0To1(const Aes& aes, const std::uint8_t in[32],
                         std::uint8_t state[32]);
  // Round 2's SubBytes on such a state, in place: every byte b becomes
  // S(b) ^ 0x63 (the circuit leaves the constant to the round keys).
  static void Round2SubBytes(std::uint8_t state[32]);
  // The rest of round 2 (MixColumns, AddRoundKey) and rounds 3 .. Nr from
  // the state after Round2SubBytes: out as EncryptBlockPair would give.
  static void FromRound2MixColumns(const Aes& aes, const std::uint8_t state[32],
                                   std::uint8_t out[32]);
  // The pointer-based cores behind Aes's span API (aes.h), for
  // libs/crypto's own loops (aes_gcm.cc), which count blocks themselves.
  // Templates only so that this header needs no definition of Aes.
  template <typename Cipher>
  static void EncryptBlock(const Cipher& aes, const std::uint8_t* in,
                           std::uint8_t* out) {
    aes.RawEncryptBlock(in, out);
  }
  template <typename Cipher>
  static void EncryptBlockPair(const Cipher& aes, const std::uint8_t* in,
                               std::uint8_t* out) {
    aes.RawEncryptBlockPair(in, out);
  }
  template <typename Cipher>
  static void EncryptBlocks(const Cipher& aes, const std::uint8_t* in,
                            std::uint8_t* out, std::size_t blocks) {
    aes.RawEncryptBlocks(in, out, blocks);
  }
  // The bitsliced schedule (Aes::kRoundKeyWords words per round).
  static const std::uint32_t* RoundKeys(const Aes& aes);
  // Whether aes's key is set up for the AES-NI code (x86-64 hosts, Backend
  // kAuto on a CPU that has it); then there is no bitsliced schedule.
#if defined(CRYPTO_HAVE_X86_AESNI)
  static bool UsesX86AesNi(const Aes& aes);
#else
  static constexpr bool UsesX86AesNi(const Aes&) { return false; }
#endif
  // The bit planes of S(x ^ K0[15]) ^ 0x63 (the S-box without its constant)
  // for x = base + i, i < 32, base a multiple of 32: one pass of the
  // bitsliced circuit. Transpose (aes_bitslice.h) turns them into bytes,
  // byte i of s[0..7] (little-endian) for x = base + i.
  static void SubBytesOfWindow(const Aes& aes, std::uint32_t base,
                               std::uint32_t s[8]);
};

// The per-message cache: a fixed 184 bytes (32-bit size_t), on the
// caller's stack.
struct CtrCache {
  static constexpr std::uint32_t kWindow = 32;  // one S-box evaluation
  // A new run is only started when at least this many blocks will use it:
  // setting one up (rounds 0-1 and round 2's S-box of the template, a
  // window) costs what several cached pairs save. Measured on the R5F with
  // the board benchmark: a 256-byte message (16 blocks, plus J0's pair)
  // takes 1,194 instructions fewer with the cache than without.
  static constexpr std::size_t kMinRunBlocks = 14;
  // Both blocks' state after round 2's SubBytes for the current run; bytes
  // 0, 5, 10, 15 of each block are rewritten for every pair. Word-aligned:
  // the assembly loads it with one LDM.
  alignas(4) std::uint8_t pair[32];
  // row[r][i]: byte 5 r of a block's state after round 2's SubBytes for low
  // counter byte base + i, base a multiple of 32:
  // S(K'_r ^ (s, s, 3s, 2s)[r]) ^ 0x63.
  std::uint8_t row[4][kWindow];
  std::uint32_t k_prime;    // K'_r in byte r: after round 1, before the S-box
  std::uint32_t run;        // counter >> 8 of the run (public)
  std::uint32_t base;       // low counter byte of row[.][0] (public)
  std::uint32_t valid = 0;  // 0: nothing cached (nothing to wipe) yet
  // Set by the caller (optional): blocks it will still ask for, this call
  // included; decides whether a new run is worth starting. Public.
  std::size_t blocks_ahead;
  void Wipe();
  // Wipes the cache if it ever held key-dependent data (valid follows the
  // public counter), so no caller can forget to.
  ~CtrCache() {
    if (valid != 0) Wipe();
  }
};

// True where the cache pays: aes's key is not set up for AES-NI (its
// schedule is bitsliced) and no NEON (the R52's eight-block kernel is
// faster).
inline bool CtrCacheEnabled(const Aes& aes) {
#if defined(CRYPTO_BACKEND_R52_NEON)
  static_cast<void>(aes);
  return false;
#else
  return !AesCtrAccess::UsesX86AesNi(aes);
#endif
}

// out[32 i .. 32 i + 31] = (in[32 i ..] ^ E(iv || BE32(counter + 2 i)) ||
// E(iv || BE32(counter + 2 i + 1))) & mask32 for i < pairs (mask32: the
// mask byte in every byte of a word), the counter wrapping modulo 2^32
// (inc32); iv and counter must be public. Pairs inside a run take the cached
// path, a pair that straddles a run boundary the plain one; without a
// bitsliced schedule (AES-NI) everything takes the plain path. cache must
// be zero-initialised or Wipe()d, and used with one key and iv only.
// masked (public): false promises mask32 == 0xffffffff (encryption) and
// saves the AND on the boards; a secret mask needs masked = true.
// On the boards whole windows of pairs go through one call of the assembly
// CTR entry, which also does the XOR. in and out: equal or disjoint.
void CtrXorPairs(const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
                 std::uint32_t counter, const std::uint8_t* in,
                 std::uint8_t* out, std::size_t pairs, std::uint32_t mask32,
                 bool masked);

}  // namespace internal
}  // namespace crypto

#endif  // LIBS_CRYPTO_AES_CTR_H_
