// The block-pair core that ships (Thumb-2 assembly on the boards, C++ on the
// host) against the C++ reference core compiled into the same image
// (:cipher_cxx_reference): 1200 random keys, 400 of each size, several
// inputs each, fixed seed. Any differing bit fails the comparison of the
// 32 output bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "crypto/aes.h"
#include "gtest/gtest.h"
#include "libs/crypto/aes_ctr.h"
#include "libs/crypto/aes_cxx_reference.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::TestRng;
using testing::ToHex;

// The C++ core on key's bitsliced schedule (expanded by the portable
// backend, which every platform has).
bool ReferencePair(const std::uint8_t* key, std::size_t key_bytes,
                   const std::uint8_t in[32], std::uint8_t out[32]) {
  Aes ref;
  if (ref.SetKey({key, key_bytes}, Backend::kPortable) != base::OkStatus()) {
    return false;
  }
  cxx_reference::EncryptPair(internal::AesCtrAccess::RoundKeys(ref),
                             ref.rounds(), in, out);
  return true;
}

bool ReferencePairFromRound2Mix(const std::uint8_t* key, std::size_t key_bytes,
                                const std::uint8_t state[32],
                                std::uint8_t out[32]) {
  Aes ref;
  if (ref.SetKey({key, key_bytes}, Backend::kPortable) != base::OkStatus()) {
    return false;
  }
  cxx_reference::EncryptPairFromRound2Mix(
      internal::AesCtrAccess::RoundKeys(ref), ref.rounds(), state, out);
  return true;
}

constexpr int kKeysPerSize = 400;
constexpr int kInputsPerKey = 4;

// Compares one pair; reports the first mismatch with its inputs.
bool SamePair(const Aes& aes, const std::uint8_t* key, std::size_t key_bytes,
              const std::uint8_t in[32]) {
  std::uint8_t got[32];
  std::uint8_t want[32];
  aes.EncryptBlockPair(testing::Block<32>(in), got);
  EXPECT_TRUE(ReferencePair(key, key_bytes, in, want));
  if (std::memcmp(got, want, 32) == 0) return true;
  ADD_FAILURE() << "key " << ToHex(key, key_bytes) << " in " << ToHex(in, 32)
                << "\n got " << ToHex(got, 32) << "\nwant " << ToHex(want, 32);
  return false;
}

TEST(AesPairArmTest, MatchesCxxReferenceOnRandomKeysAndInputs) {
  TestRng rng(0x5eed'a5a5'2026'0001ull);
  int compared = 0;
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (int k = 0; k < kKeysPerSize; ++k) {
      std::uint8_t key[32];
      rng.Fill(key, key_bytes);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}), base::OkStatus());
      for (int i = 0; i < kInputsPerKey; ++i) {
        std::uint8_t in[32];
        rng.Fill(in, sizeof in);
        ASSERT_TRUE(SamePair(aes, key, key_bytes, in));
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 3 * kKeysPerSize * kInputsPerKey);
}

// Structured inputs the random ones are unlikely to hit: all-zero and
// all-one keys and blocks, single set bits in every position.
TEST(AesPairArmTest, MatchesCxxReferenceOnEdgeInputs) {
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
      std::uint8_t key[32];
      std::memset(key, fill, sizeof key);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}), base::OkStatus());
      for (int bit = -1; bit < 256; ++bit) {
        std::uint8_t in[32];
        std::memset(in, fill, sizeof in);
        if (bit >= 0) in[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        ASSERT_TRUE(SamePair(aes, key, key_bytes, in));
      }
    }
  }
}

// in == out, and buffers at every alignment: the assembly reads and writes
// words with LDR/STR, which must cope with unaligned pointers.
TEST(AesPairArmTest, InPlaceAndUnalignedBuffers) {
  TestRng rng(7);
  std::uint8_t key[32];
  rng.Fill(key, sizeof key);
  Aes aes;
  ASSERT_EQ(aes.SetKey(key), base::OkStatus());
  alignas(8) std::uint8_t in_buf[40];
  alignas(8) std::uint8_t out_buf[40];
  for (std::size_t shift = 0; shift < 4; ++shift) {
    rng.Fill(in_buf, sizeof in_buf);
    std::uint8_t want[32];
    ASSERT_TRUE(ReferencePair(key, 32, in_buf + shift, want));
    aes.EncryptBlockPair(testing::Block<32>(in_buf + shift),
                         testing::Block<32>(out_buf + (3 - shift)));
    EXPECT_EQ(std::memcmp(out_buf + (3 - shift), want, 32), 0) << shift;
    aes.EncryptBlockPair(testing::Block<32>(in_buf + shift),
                         testing::Block<32>(in_buf + shift));
    EXPECT_EQ(std::memcmp(in_buf + shift, want, 32), 0) << shift;
  }
}

// The round-2 entry (crypto_aes_fixsliced_pair_from_round2_mix_arm on the
// boards, behind AesCtrAccess::FromRound2MixColumns) against the C++ core
// from round 2's MixColumns on, on arbitrary states: 300 random keys, 100
// of each size, 4 states each, plus the all-zero/all-one states; in place
// and unaligned.
TEST(AesPairArmTest, Round2EntryMatchesCxxReference) {
  TestRng rng(0x5eed'a5a5'2026'0002ull);
  alignas(8) std::uint8_t buf[40];
  int compared = 0;
  for (std::size_t key_bytes : {16u, 24u, 32u}) {
    for (int k = 0; k < 100; ++k) {
      std::uint8_t key[32];
      rng.Fill(key, key_bytes);
      Aes aes;
      ASSERT_EQ(aes.SetKey({key, key_bytes}, Backend::kPortable),
                base::OkStatus());
      for (int i = 0; i < 6; ++i) {
        const std::size_t shift = static_cast<std::size_t>(i % 4);
        std::uint8_t* state = buf + shift;
        rng.Fill(state, 32);
        if (i == 4) std::memset(state, 0, 32);
        if (i == 5) std::memset(state, 0xff, 32);
        std::uint8_t got[33];
        std::uint8_t want[32];
        ASSERT_TRUE(ReferencePairFromRound2Mix(key, key_bytes, state, want));
        internal::AesCtrAccess::FromRound2MixColumns(aes, state, got + 1);
        ASSERT_EQ(ToHex(got + 1, 32), ToHex(want, 32))
            << "key " << ToHex(key, key_bytes) << " state " << ToHex(state, 32);
        internal::AesCtrAccess::FromRound2MixColumns(aes, state, state);
        ASSERT_EQ(ToHex(state, 32), ToHex(want, 32));
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 3 * 100 * 6);
}

// The comparison itself notices a single flipped output bit.
TEST(AesPairArmTest, ComparisonDetectsOneBit) {
  std::uint8_t key[16] = {1};
  std::uint8_t in[32] = {2};
  std::uint8_t a[32];
  std::uint8_t b[32];
  ASSERT_TRUE(ReferencePair(key, 16, in, a));
  std::memcpy(b, a, 32);
  for (int bit = 0; bit < 256; ++bit) {
    b[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_NE(std::memcmp(a, b, 32), 0);
    b[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  }
}

}  // namespace
}  // namespace crypto
