#include "crypto/ghash.h"

#include <cstdint>
#include <cstring>

#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using testing::Hex;
using testing::ToHex;

// SP 800-38D Algorithm 1, bit by bit: the definition, not constant-time,
// used as the reference.
void ReferenceMultiply(const std::uint8_t x[16], const std::uint8_t y[16],
                       std::uint8_t out[16]) {
  std::uint8_t z[16] = {};
  std::uint8_t v[16];
  std::memcpy(v, y, 16);
  for (int i = 0; i < 128; ++i) {
    if ((x[i / 8] >> (7 - i % 8)) & 1) {
      for (int k = 0; k < 16; ++k) z[k] ^= v[k];
    }
    const bool lsb = v[15] & 1;
    for (int k = 15; k > 0; --k) {
      v[k] = static_cast<std::uint8_t>((v[k] >> 1) | (v[k - 1] << 7));
    }
    v[0] >>= 1;
    if (lsb) v[0] ^= 0xe1;
  }
  std::memcpy(out, z, 16);
}

TEST(GhashTest, MultiplyMatchesSp80038dAlgorithm1) {
  testing::TestRng rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    std::uint8_t h[16], x[16], expected[16], actual[16];
    rng.Fill(h, 16);
    rng.Fill(x, 16);
    if (trial == 0) std::memset(x, 0xff, 16);  // all carries at once
    if (trial == 1) std::memset(h, 0xff, 16);
    GhashKey key;
    key.Set(h, kTestBackend);
    std::uint32_t y[4];
    GhashKey::Load(y, x);
    key.MultiplyByH(y);
    GhashKey::Store(y, actual);
    ReferenceMultiply(x, h, expected);
    ASSERT_EQ(ToHex(actual, 16), ToHex(expected, 16)) << "trial " << trial;
  }
}

TEST(GhashTest, OneIsTheIdentity) {
  // The field's 1 is the bit string 10000...0 (x^0 first).
  std::uint8_t one[16] = {0x80};
  std::uint8_t h[16];
  testing::TestRng(5).Fill(h, 16);
  GhashKey key;
  key.Set(h, kTestBackend);
  std::uint32_t y[4];
  GhashKey::Load(y, one);
  key.MultiplyByH(y);
  std::uint8_t out[16];
  GhashKey::Store(y, out);
  EXPECT_EQ(ToHex(out, 16), ToHex(h, 16));
}

// GCM specification (McGrew-Viega), test case 2: H = E_0(0^128),
// C = 0388dace..., GHASH(H, {}, C) = f38cbb1a....
TEST(GhashTest, GcmSpecTestCase2) {
  const auto h = Hex("66e94bd4ef8a2c3b884cfa59ca342b2e");
  const auto c = Hex("0388dace60b6a392f328c2b971b2fe78");
  GhashKey key;
  key.Set(testing::Block<16>(h.data()), kTestBackend);
  std::uint32_t y[4] = {};
  key.Absorb(y, c);
  key.AbsorbLengths(y, 0, 128);
  std::uint8_t out[16];
  GhashKey::Store(y, out);
  EXPECT_EQ(ToHex(out, 16), "f38cbb1ad69223dcc3457ae5b6b0f885");
}

TEST(GhashTest, PartialBlockIsZeroPadded) {
  testing::TestRng rng(9);
  const auto h = rng.Bytes(16);
  GhashKey key;
  key.Set(testing::Block<16>(h.data()), kTestBackend);
  std::uint8_t data[16];
  rng.Fill(data, 16);
  std::uint8_t padded[16] = {};
  std::memcpy(padded, data, 5);
  std::uint32_t a[4] = {}, b[4] = {};
  key.Absorb(a, {data, 5});
  key.Absorb(b, padded);
  EXPECT_EQ(std::memcmp(a, b, sizeof a), 0);
}

TEST(GhashTest, ClearWipesH) {
  GhashKey key;
  std::uint8_t h[16];
  testing::TestRng(2).Fill(h, 16);
  key.Set(h, kTestBackend);
  key.Clear();
  std::uint8_t one[16] = {0x80};
  std::uint32_t y[4];
  GhashKey::Load(y, one);
  key.MultiplyByH(y);  // 1 * 0 = 0 once H is gone
  EXPECT_EQ(y[0] | y[1] | y[2] | y[3], 0u);
}

}  // namespace
}  // namespace crypto
