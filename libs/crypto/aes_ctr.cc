// Counter-mode caching: see aes_ctr.h for the idea and the constant-time
// argument. Everything this file branches on or indexes with is the
// (public) counter and the block count.
#include "libs/crypto/aes_ctr.h"

#include <cstring>

#include "crypto/aes.h"
#include "libs/crypto/aes_bitslice.h"
#if defined(CRYPTO_AES_PAIR_ASM)
#include "libs/crypto/aes_pair_arm.h"
#endif
#include "base/byte_order.h"
#include "base/secure_wipe.h"
#include "libs/crypto/hw_dispatch.h"

namespace crypto::internal {
namespace {

constexpr std::size_t kBlock = Aes::kBlockBytes;

std::uint32_t LoadWord(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

void StoreWord(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }

void CounterBlock(const std::uint8_t iv[12], std::uint32_t counter,
                  std::uint8_t block[kBlock]) {
  std::memcpy(block, iv, 12);
  base::StoreBe32(block + 12, counter);
}

// xtime (multiplication by 2 in GF(2^8)) on one secret byte: shifts and a
// mask, no branch, no table.
std::uint32_t Xtime(std::uint32_t b) {
  return ((b << 1) ^ (0x1bu & (0u - (b >> 7)))) & 0xffu;
}

#if !defined(CRYPTO_AES_PAIR_ASM)
// One window row from the bit planes in[0..7] of (1, 1, 3 or 2) * s and
// the key byte k = K'_r: row[i] = S(k ^ byte i) ^ 0x63. k's bit j is
// broadcast to a whole word (0 - bit) and added to plane j; then one S-box
// evaluation and one transpose to bytes, in v (the caller wipes it). No
// branch, no table.
void FillRow(const std::uint32_t in[8], std::uint32_t k, std::uint8_t row[32],
             std::uint32_t v[8]) {
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) v[j] = in[j] ^ (0u - ((k >> j) & 1u));
  internal::SubBytesWithoutConstant(v);
  internal::Transpose(v);
#pragma GCC unroll 8
  for (int w = 0; w < 8; ++w) StoreWord(row + 4 * w, v[w]);
}

#endif

// The four window rows from s, the bit planes of S(x ^ K0[15]) ^ 0x63 for
// the window's 32 low counter bytes x (SubBytesOfWindow): row r gets
// S(K'_r ^ (s, s, 3s, 2s)[r]) ^ 0x63. The coefficients work on whole planes
// (plane j = bit j of all 32 bytes): 2s is xtime as a plane shuffle plus
// three XORs, 3s = s ^ 2s. On the boards the assembly does the same
// (aes_pair_arm.S, ~950 instructions against ~1350 for this C++). Wipes s
// too.
void FillRows(CtrCache& cache, std::uint32_t s[8]) {
#if defined(CRYPTO_AES_PAIR_ASM)
  crypto_aes_ctr_rows_arm(s, cache.k_prime, &cache.row[0][0]);
#else
  // d = 2s, then 3s; v: the row being computed. One wipe for all three.
  std::uint32_t scratch[16] = {s[7],        s[0] ^ s[7], s[1], s[2] ^ s[7],
                               s[3] ^ s[7], s[4],        s[5], s[6]};
  std::uint32_t* const d = scratch;
  std::uint32_t* const v = scratch + 8;
  const std::uint32_t kp = cache.k_prime;
  FillRow(s, kp & 0xffu, cache.row[0], v);
  FillRow(s, (kp >> 8) & 0xffu, cache.row[1], v);
  FillRow(d, kp >> 24, cache.row[3], v);
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) d[j] ^= s[j];  // now 3s
  FillRow(d, (kp >> 16) & 0xffu, cache.row[2], v);
  base::SecureWipe(scratch, sizeof scratch);
#endif
  base::SecureWipe(s, 8 * sizeof s[0]);
}

// The rows for the window of low counter bytes base .. base + 31 (base a
// multiple of 32) in the current run.
void FillWindow(const Aes& aes, CtrCache& cache, std::uint32_t base) {
#if defined(CRYPTO_AES_PAIR_ASM)
  crypto_aes_ctr_window_arm(AesCtrAccess::RoundKeys(aes), base, cache.k_prime,
                            &cache.row[0][0]);
#else
  std::uint32_t s[8];
  AesCtrAccess::SubBytesOfWindow(aes, base, s);
  FillRows(cache, s);
#endif
  cache.base = base;
}

// A new run: the template from the real rounds 0-1 of the counter block;
// K' from it and s of its own low byte x0 (the window's entry x0 - base
// must reproduce the template's bytes); then round 2's SubBytes on the
// template and the rows of its window.
void StartRun(const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
              std::uint32_t counter) {
  std::uint8_t blocks[2 * kBlock];
  CounterBlock(iv, counter, blocks);
  CounterBlock(iv, counter, blocks + kBlock);
  AesCtrAccess::Rounds0To1(aes, blocks, cache.pair);
  const std::uint32_t base = counter & 0xe0u;
  std::uint32_t s[8];
  AesCtrAccess::SubBytesOfWindow(aes, base, s);
  std::uint32_t bytes[8];
  for (int j = 0; j < 8; ++j) bytes[j] = s[j];
  internal::Transpose(bytes);
  const std::uint32_t i0 = counter & 31u;  // public index
  const std::uint32_t s0 = (bytes[i0 / 4] >> (8 * (i0 % 4))) & 0xffu;
  const std::uint32_t s0x2 = Xtime(s0);
  std::uint32_t coef[4] = {s0, s0, s0 ^ s0x2, s0x2};
  std::uint32_t kp = 0;
  for (int r = 0; r < 4; ++r) {
    kp |= (cache.pair[5 * r] ^ coef[r]) << (8 * r);
  }
  cache.k_prime = kp;
  AesCtrAccess::Round2SubBytes(cache.pair);
  FillRows(cache, s);
  cache.base = base;
  cache.run = counter >> 8;
  cache.valid = 1;
  base::SecureWipe(bytes, sizeof bytes);
  base::SecureWipe(coef, sizeof coef);
}

// If the pair at counter is to take the cached path, makes the cache cover
// it (a new run, or the window of its low byte x) and returns how many
// pairs from counter, at most max_pairs, lie in that window; else 0. The
// plain path takes: everything without a bitsliced schedule (AES-NI); a
// pair that straddles a run (x = 0xff: carry out of byte 15) or a window
// (x = 31 mod 32; never in GCM, whose pairs start at even counters); and a
// new run that fewer than kMinRunBlocks of the `ahead` blocks would use.
[[gnu::always_inline]] inline std::size_t CachedPairsAt(
    const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
    std::uint32_t counter, std::size_t max_pairs, std::size_t ahead) {
  const std::uint32_t x = counter & 0xffu;
  if (max_pairs == 0 || AesCtrAccess::UsesX86AesNi(aes) || (x & 31u) == 31u) {
    return 0;
  }
  const bool same_run = cache.valid != 0 && cache.run == (counter >> 8);
  const std::size_t run_left = 256 - x;
  if (!same_run) {
    if ((ahead < run_left ? ahead : run_left) < CtrCache::kMinRunBlocks) {
      return 0;
    }
    StartRun(aes, cache, iv, counter);
  } else if ((x & 0xe0u) != cache.base) {
    FillWindow(aes, cache, x & 0xe0u);
  }
  const std::size_t in_window = (cache.base + CtrCache::kWindow - x) / 2;
  return in_window < max_pairs ? in_window : max_pairs;
}

// out = (in ^ ks) & mask32 for one pair, a word at a time.
void XorPair(const std::uint8_t* in, const std::uint8_t* ks, std::uint8_t* out,
             std::uint32_t mask32) {
  for (std::size_t w = 0; w < 2 * kBlock; w += 4) {
    StoreWord(out + w, (LoadWord(in + w) ^ LoadWord(ks + w)) & mask32);
  }
}

}  // namespace

void CtrCache::Wipe() { base::SecureWipe(this, sizeof *this); }

void CtrXorPairs(const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
                 std::uint32_t counter, const std::uint8_t* in,
                 std::uint8_t* out, std::size_t pairs, std::uint32_t mask32,
                 bool masked) {
  std::uint8_t ks[2 * kBlock];  // keystream of the pairs done here in C++
  bool ks_used = false;
  while (pairs != 0) {
    const std::size_t blocks = 2 * pairs;
    const std::size_t ahead =
        cache.blocks_ahead > blocks ? cache.blocks_ahead : blocks;
    const std::size_t n = CachedPairsAt(aes, cache, iv, counter, pairs, ahead);
    if (n != 0) {
      const std::size_t i0 = (counter & 0xffu) - cache.base;
#if defined(CRYPTO_AES_PAIR_ASM)
      CtrPairsArgs args = {cache.pair, &cache.row[0][i0],
                           in,         out,
                           mask32,     static_cast<std::uint32_t>(n)};
      crypto_aes_ctr_pairs_from_round2_mix_arm(
          AesCtrAccess::RoundKeys(aes), aes.rounds() | (masked ? 0x200u : 0u),
          &args);
#else
      (void)masked;  // the C++ loop always ANDs
      std::uint8_t* const p = cache.pair;
      for (std::size_t i = 0; i < n; ++i) {
        for (int r = 0; r < 4; ++r) {
          p[5 * r] = cache.row[r][i0 + 2 * i];
          p[kBlock + 5 * r] = cache.row[r][i0 + 2 * i + 1];
        }
        AesCtrAccess::FromRound2MixColumns(aes, p, ks);
        XorPair(in + 2 * kBlock * i, ks, out + 2 * kBlock * i, mask32);
      }
      ks_used = true;
#endif
      counter += static_cast<std::uint32_t>(2 * n);
      in += 2 * kBlock * n;
      out += 2 * kBlock * n;
      pairs -= n;
      cache.blocks_ahead = ahead - 2 * n;
      continue;
    }
    std::uint8_t plain[2 * kBlock];  // counter blocks only: public
    CounterBlock(iv, counter, plain);
    CounterBlock(iv, counter + 1, plain + kBlock);  // inc32 wraps
    aes.EncryptBlockPair(plain, ks);
    XorPair(in, ks, out, mask32);
    ks_used = true;
    counter += 2;
    in += 2 * kBlock;
    out += 2 * kBlock;
    pairs -= 1;
    cache.blocks_ahead = ahead - 2;
  }
  if (ks_used) base::SecureWipe(ks, sizeof ks);  // public flag
}

}  // namespace crypto::internal
