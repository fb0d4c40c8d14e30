// The counter-mode cache (aes_ctr.h, the rounds 2..Nr entry of the assembly
// core on the boards) against the plain path: every keystream block must be
// Aes::EncryptBlock of its counter block. Random keys of all sizes and IVs
// (fixed seed), many lengths, starting counters around low-byte run
// boundaries and the 2^32 wrap of inc32, one cache across several calls (as
// CtrXor uses it), and the round-split helpers against EncryptBlockPair.
#include "libs/crypto/aes_ctr.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "crypto/aes.h"
#include "gtest/gtest.h"
#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/hw_dispatch.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using internal::CtrCache;
using testing::TestRng;
using testing::ToHex;

constexpr std::size_t kMaxBlocks = 530;  // > 2 runs of 256
std::uint8_t got[kMaxBlocks * 16];
std::uint8_t want[kMaxBlocks * 16];

void PlainKeystream(const Aes& aes, const std::uint8_t iv[12],
                    std::uint32_t counter, std::uint8_t* out,
                    std::size_t blocks) {
  for (std::size_t i = 0; i < blocks; ++i, ++counter) {
    std::uint8_t block[16];
    std::memcpy(block, iv, 12);
    for (int b = 0; b < 4; ++b) {
      block[12 + b] = static_cast<std::uint8_t>(counter >> (24 - 8 * b));
    }
    aes.EncryptBlock(block, testing::Block<16>(out + 16 * i));
  }
}

// The keystream of `blocks` counter blocks through the cache: what
// internal::CtrXorPairs XORs into zeros, and a last odd block on the plain
// path (as AES-GCM's CtrXor does with a tail).
void CtrKeystream(const Aes& aes, CtrCache& cache, const std::uint8_t iv[12],
                  std::uint32_t counter, std::uint8_t* out,
                  std::size_t blocks) {
  const std::size_t pairs = blocks / 2;
  if (pairs != 0) {
    std::memset(out, 0, 32 * pairs);
    internal::CtrXorPairs(aes, cache, iv, counter, out, out, pairs, 0xffffffffu,
                          /*masked=*/false);
  }
  if (blocks % 2 != 0) {
    PlainKeystream(aes, iv, counter + static_cast<std::uint32_t>(2 * pairs),
                   out + 32 * pairs, 1);
  }
}

// First differing block, or -1.
long FirstDiff(std::size_t blocks) {
  for (std::size_t i = 0; i < blocks; ++i) {
    if (std::memcmp(got + 16 * i, want + 16 * i, 16) != 0)
      return static_cast<long>(i);
  }
  return -1;
}

constexpr std::uint32_t kStarts[] = {
    2,          0,          1,          0xfc,       0xfd,       0xfe,
    0xff,       0x100,      0x1fe,      0x1234ff,   0xffff00,   0xfffefe,
    0xfffffff0, 0xfffffffd, 0xfffffffe, 0xffffffff, 0xfffffeff, 0x7fffffe1,
};
constexpr std::size_t kLengths[] = {0,  1,  2,  3,  4,  5,  7,  8,  15,
                                    16, 17, 31, 32, 33, 34, 63, 64, 65};

TEST(AesCtrTest, CachedKeystreamEqualsPlainAtBoundaries) {
  TestRng rng(0xc7c7'2026'0001ull);
  int compared = 0;
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (int k = 0; k < 3; ++k) {
      std::uint8_t key[32], iv[12];
      rng.Fill(key, key_bytes);
      rng.Fill(iv, sizeof iv);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}, kTestBackend), base::OkStatus());
      for (std::uint32_t start : kStarts) {
        for (std::size_t blocks : kLengths) {
          CtrCache cache{};
          // Even lengths: promise many more blocks, so that short ones take
          // the cached path too; odd ones leave the hint unset.
          if (blocks % 2 == 0) cache.blocks_ahead = 1000;
          std::memset(got, 0xa5, blocks * 16 + 16);
          CtrKeystream(aes, cache, iv, start, got, blocks);
          PlainKeystream(aes, iv, start, want, blocks);
          ASSERT_EQ(FirstDiff(blocks), -1)
              << "key " << ToHex(key, key_bytes) << " iv " << ToHex(iv, 12)
              << " start " << start << " blocks " << blocks;
          // Nothing past the end is written.
          for (std::size_t i = blocks * 16; i < blocks * 16 + 16; ++i) {
            ASSERT_EQ(got[i], 0xa5) << i;
          }
          cache.Wipe();
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared,
            9 * static_cast<int>(sizeof kStarts / sizeof kStarts[0]) *
                static_cast<int>(sizeof kLengths / sizeof kLengths[0]));
}

// CtrXorPairs (the assembly CTR entry on the boards): (text ^ keystream) &
// mask, in place and not, masks all-ones and zero, word-aligned text (read
// by LDM on the boards) and misaligned text (single LDRs), the same starts
// and lengths, plus long runs across low-byte wraps.
TEST(AesCtrTest, CtrXorPairsEqualsPlainXor) {
  alignas(4) static std::uint8_t text_buf[kMaxBlocks * 16 + 4];
  static std::uint8_t out[kMaxBlocks * 16 + 16];
  TestRng rng(0xc7c7'2026'0004ull);
  int compared = 0;
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    std::uint8_t key[32], iv[12];
    rng.Fill(key, key_bytes);
    rng.Fill(iv, sizeof iv);
    Aes aes;
    ASSERT_EQ(aes.SetKey({key, key_bytes}, kTestBackend), base::OkStatus());
    std::size_t lengths[sizeof kLengths / sizeof kLengths[0] + 2];
    std::size_t n_lengths = 0;
    for (std::size_t l : kLengths) lengths[n_lengths++] = l;
    lengths[n_lengths++] = 300;
    lengths[n_lengths++] = kMaxBlocks;
    for (std::uint32_t start : kStarts) {
      for (std::size_t li = 0; li < n_lengths; ++li) {
        const std::size_t pairs = lengths[li] / 2;
        std::uint8_t* const text = text_buf + (start + li) % 2;
        for (int variant = 0; variant < 3; ++variant) {
          const bool in_place = variant == 1;
          const std::uint32_t mask32 = variant == 2 ? 0u : 0xffffffffu;
          rng.Fill(text, 32 * pairs);
          PlainKeystream(aes, iv, start, want, 2 * pairs);
          for (std::size_t i = 0; i < 32 * pairs; ++i) {
            want[i] = static_cast<std::uint8_t>((want[i] ^ text[i]) & mask32);
          }
          std::uint8_t* dst = in_place ? text : out;
          std::memset(out + 32 * pairs, 0xa5, 16);
          CtrCache cache{};
          if (li % 2 == 0) cache.blocks_ahead = 1000;
          // variant 0: unmasked (all-ones promised); 1 and 2: masked.
          internal::CtrXorPairs(aes, cache, iv, start, text, dst, pairs, mask32,
                                variant != 0);
          cache.Wipe();
          std::memcpy(got, dst, 32 * pairs);
          ASSERT_EQ(FirstDiff(2 * pairs), -1)
              << "key " << ToHex(key, key_bytes) << " start " << start
              << " pairs " << pairs << " variant " << variant;
          for (std::size_t i = 32 * pairs; i < 32 * pairs + 16; ++i) {
            ASSERT_EQ(out[i], 0xa5) << i;
          }
          ++compared;
        }
      }
    }
  }
  EXPECT_EQ(compared,
            3 * 3 * static_cast<int>(sizeof kStarts / sizeof kStarts[0]) *
                static_cast<int>(sizeof kLengths / sizeof kLengths[0] + 2));
}

// Long runs crossing one or two low-byte wraps (> 254 blocks), one cache
// fed in random pair-sized steps as CtrXor does, random starts too.
TEST(AesCtrTest, CachedKeystreamEqualsPlainAcrossRuns) {
  TestRng rng(0xc7c7'2026'0002ull);
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (int trial = 0; trial < 4; ++trial) {
      std::uint8_t key[32], iv[12];
      rng.Fill(key, key_bytes);
      rng.Fill(iv, sizeof iv);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}, kTestBackend), base::OkStatus());
      const std::uint32_t starts[] = {2, 0xfffffe00u + 2 * rng.Below(128),
                                      static_cast<std::uint32_t>(rng.Next()),
                                      1 + 2 * rng.Below(1000)};
      const std::uint32_t start = starts[trial];
      const std::size_t blocks =
          trial == 0 ? kMaxBlocks : 255 + rng.Below(kMaxBlocks - 255);
      CtrCache cache{};
      cache.blocks_ahead = blocks;
      std::uint32_t counter = start;
      for (std::size_t done = 0; done < blocks;) {
        std::size_t n = 2 * (1 + rng.Below(20));
        if (n > blocks - done) n = blocks - done;
        CtrKeystream(aes, cache, iv, counter, got + 16 * done, n);
        counter += static_cast<std::uint32_t>(n);
        done += n;
      }
      cache.Wipe();
      PlainKeystream(aes, iv, start, want, blocks);
      ASSERT_EQ(FirstDiff(blocks), -1)
          << "key " << ToHex(key, key_bytes) << " iv " << ToHex(iv, 12)
          << " start " << start << " blocks " << blocks;
    }
  }
}

// The two halves of the split cipher compose to EncryptBlockPair (with the
// assembly round-2 entry on the boards), on random and edge pairs.
TEST(AesCtrTest, RoundSplitComposesToEncryptBlockPair) {
  // The split helpers need the bitsliced schedule: the portable backend's
  // (an AES-NI key keeps the FIPS-197 words instead).
  TestRng rng(0xc7c7'2026'0003ull);
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (int k = 0; k < 40; ++k) {
      std::uint8_t key[32], in[32], state[32], out[32], ref[32];
      rng.Fill(key, key_bytes);
      if (k == 0) std::memset(key, 0, sizeof key);
      if (k == 1) std::memset(key, 0xff, sizeof key);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}, Backend::kPortable),
                base::OkStatus());
      for (int i = 0; i < 4; ++i) {
        rng.Fill(in, sizeof in);
        if (i == 0) std::memset(in, k & 1 ? 0xff : 0, sizeof in);
        internal::AesCtrAccess::Rounds0To1(aes, in, state);
        internal::AesCtrAccess::Round2SubBytes(state);
        internal::AesCtrAccess::FromRound2MixColumns(aes, state, out);
        aes.EncryptBlockPair(in, ref);
        ASSERT_EQ(ToHex(out, 32), ToHex(ref, 32))
            << "key " << ToHex(key, key_bytes);
        // In place.
        internal::AesCtrAccess::FromRound2MixColumns(aes, state, state);
        ASSERT_EQ(ToHex(state, 32), ToHex(ref, 32));
      }
    }
  }
}

// The bulk S-box helper: S(x ^ K0[15]) ^ 0x63 over all 256 x must be a
// permutation of the bytes, 0 at x = K0[15] (S(0) = 0x63), 0x7c ^ 0x63 at
// x = K0[15] ^ 1 (S(1) = 0x7c) and 0x77 ^ 0x63 at x = K0[15] ^ 2
// (S(2) = 0x77); several keys, so every byte position is hit.
TEST(AesCtrTest, SubBytesOfWindow) {
  // The split helpers need the bitsliced schedule: the portable backend's
  // (an AES-NI key keeps the FIPS-197 words instead).
  for (int k = 0; k < 40; ++k) {
    std::uint8_t key[16];
    for (int i = 0; i < 16; ++i)
      key[i] = static_cast<std::uint8_t>(17 * i + 7 * k + 3);
    Aes aes;
    ASSERT_EQ(aes.SetKey({key, 16}, Backend::kPortable), base::OkStatus());
    bool seen[256] = {};
    for (std::uint32_t base = 0; base < 256; base += 32) {
      std::uint32_t sw[8];
      std::uint8_t s[32];
      internal::AesCtrAccess::SubBytesOfWindow(aes, base, sw);
      internal::Transpose(sw);  // bit planes -> bytes
      std::memcpy(s, sw, 32);   // little-endian targets
      for (std::uint32_t i = 0; i < 32; ++i) {
        const std::uint32_t x = base + i;
        EXPECT_FALSE(seen[s[i]]) << static_cast<int>(s[i]);
        seen[s[i]] = true;
        if (x == key[15]) {
          EXPECT_EQ(s[i], 0) << x;
        }
        if (x == (key[15] ^ 1u)) {
          EXPECT_EQ(s[i], 0x7c ^ 0x63) << x;
        }
        if (x == (key[15] ^ 2u)) {
          EXPECT_EQ(s[i], 0x77 ^ 0x63) << x;
        }
      }
    }
  }
}

// The comparison notices one flipped keystream bit.
TEST(AesCtrTest, ComparisonDetectsOneBit) {
  std::uint8_t key[16] = {9};
  std::uint8_t iv[12] = {1, 2, 3};
  Aes aes;
  ASSERT_EQ(aes.SetKey({key, 16}, kTestBackend), base::OkStatus());
  CtrCache cache{};
  CtrKeystream(aes, cache, iv, 0xf0, got, 40);
  PlainKeystream(aes, iv, 0xf0, want, 40);
  ASSERT_EQ(FirstDiff(40), -1);
  got[16 * 17 + 5] ^= 0x10;
  EXPECT_EQ(FirstDiff(40), 17);
  cache.Wipe();
}

}  // namespace
}  // namespace crypto
