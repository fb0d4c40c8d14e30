// Counter-mode caching: see aes_ctr.h for the idea and the constant-time
// argument. Everything this file branches on or indexes with is the
// (public) counter and the block count.
#include "libs/crypto/aes_ctr.h"

#include <cstring>

#include "crypto/aes.h"
#if defined(CRYPTO_AES_PAIR_ASM)
#include "libs/crypto/aes_pair_arm.h"
#endif
#include "libs/crypto/hw_dispatch.h"
#include "pool/secure_wipe.h"

namespace crypto::internal {
namespace {

constexpr std::size_t kBlock = Aes::kBlockBytes;

std::uint32_t LoadWord(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

void StoreWord(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }

// b (a byte) in all four bytes; shifts, not a multiply, on secret bytes.
std::uint32_t Replicate(std::uint32_t b) {
  return b | (b << 8) | (b << 16) | (b << 24);
}

void CounterBlock(const std::uint8_t iv[12], std::uint32_t counter,
                  std::uint8_t block[kBlock]) {
  std::memcpy(block, iv, 12);
  block[12] = static_cast<std::uint8_t>(counter >> 24);
  block[13] = static_cast<std::uint8_t>(counter >> 16);
  block[14] = static_cast<std::uint8_t>(counter >> 8);
  block[15] = static_cast<std::uint8_t>(counter);
}

// The four window rows for low counter bytes base .. base + 31 (base a
// multiple of 32), four bytes at a time: s = S(x ^ K0[15]) without the
// constant, then (s, s, 3s, 2s) ^ K'. xtime by shifts and masks on the
// (secret) bytes: no branch, no table, no multiply.
void FillWindow(const Aes& aes, CtrCache& cache, std::uint32_t base) {
  std::uint32_t s[8];
  AesCtrAccess::SubBytesOfWindow(aes, base, s);
  const std::uint32_t kp = cache.k_prime;
  const std::uint32_t k0 = Replicate(kp & 0xffu);
  const std::uint32_t k1 = Replicate((kp >> 8) & 0xffu);
  const std::uint32_t k2 = Replicate((kp >> 16) & 0xffu);
  const std::uint32_t k3 = Replicate(kp >> 24);
  for (std::uint32_t k = 0; k < 8; ++k) {
    const std::uint32_t v = s[k];
    const std::uint32_t hi = (v >> 7) & 0x01010101u;
    const std::uint32_t v2 =
        ((v & 0x7f7f7f7fu) << 1) ^ hi ^ (hi << 1) ^ (hi << 3) ^ (hi << 4);
    StoreWord(cache.row[0] + 4 * k, v ^ k0);
    StoreWord(cache.row[1] + 4 * k, v ^ k1);
    StoreWord(cache.row[2] + 4 * k, v ^ v2 ^ k2);
    StoreWord(cache.row[3] + 4 * k, v2 ^ k3);
  }
  cache.base = base;
  pool::SecureWipe(s, sizeof s);
}

// A new run: the template from the real rounds 0-1 of the counter block,
// then k_prime from it and s for its own low byte (window entry 0).
void StartRun(const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
              std::uint32_t counter) {
  std::uint8_t blocks[2 * kBlock];
  CounterBlock(iv, counter, blocks);
  CounterBlock(iv, counter, blocks + kBlock);
  AesCtrAccess::Rounds0To1(aes, blocks, cache.pair);
  cache.k_prime = 0;
  FillWindow(aes, cache, counter & 0xe0u);
  // The entry of the counter itself must equal the template's bytes: the
  // difference is K'.
  std::uint32_t kp = 0;
  for (int r = 0; r < 4; ++r) {
    const std::uint32_t d = cache.pair[5 * r] ^ cache.row[r][counter & 31u];
    kp |= d << (8 * r);
    const std::uint32_t d4 = Replicate(d);
    for (std::uint32_t k = 0; k < CtrCache::kWindow; k += 4) {
      StoreWord(cache.row[r] + k, LoadWord(cache.row[r] + k) ^ d4);
    }
  }
  cache.k_prime = kp;
  cache.run = counter >> 8;
  cache.valid = 1;
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
  if (max_pairs == 0 || UseX86AesNi() || (x & 31u) == 31u) return 0;
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

void CtrCache::Wipe() { pool::SecureWipe(this, sizeof *this); }

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
      crypto_aes_ctr_pairs_from_round2_arm(
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
        AesCtrAccess::FromRound2(aes, p, ks);
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
  if (ks_used) pool::SecureWipe(ks, sizeof ks);  // public flag
}

}  // namespace crypto::internal
