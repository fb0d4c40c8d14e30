// The GHASH block routine in use (Thumb-2 assembly on the boards, AES-NI
// or portable C++ on the host) against the portable C++ multiplier, which
// ghash_test checks against SP 800-38D Algorithm 1. Exact on all 128 bits.
#include <cstdint>
#include <cstring>

#include "crypto/ghash.h"
#include "gtest/gtest.h"
#include "libs/crypto/ghash_internal.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using State = std::uint32_t[4];

void StoreWords(const std::uint32_t w[4], std::uint8_t out[16]) {
  for (int i = 0; i < 4; ++i) {
    out[4 * i] = static_cast<std::uint8_t>(w[i] >> 24);
    out[4 * i + 1] = static_cast<std::uint8_t>(w[i] >> 16);
    out[4 * i + 2] = static_cast<std::uint8_t>(w[i] >> 8);
    out[4 * i + 3] = static_cast<std::uint8_t>(w[i]);
  }
}

// Reference absorption: the definition of GHASH on whole and padded blocks,
// with the portable multiplier.
void ReferenceAbsorb(const std::uint8_t h[16], State y,
                     const std::uint8_t* data, std::size_t len) {
  internal::GhashSplitKey key;
  internal::GhashPortableKey(h, key);
  while (len > 0) {
    std::uint8_t block[16] = {};
    const std::size_t n = len < 16 ? len : 16;
    std::memcpy(block, data, n);
    State x;
    GhashKey::Load(x, block);
    for (int i = 0; i < 4; ++i) y[i] ^= x[i];
    internal::GhashPortableMultiply(key, y);
    data += n;
    len -= n;
  }
}

::testing::AssertionResult SameState(const State a, const State b) {
  if (std::memcmp(a, b, 16) == 0) return ::testing::AssertionSuccess();
  std::uint8_t x[16], y[16];
  StoreWords(a, x);
  StoreWords(b, y);
  return ::testing::AssertionFailure()
         << testing::ToHex(x, 16) << " != " << testing::ToHex(y, 16);
}

// Y * H through GhashKey (the routine in use) and through the reference.
::testing::AssertionResult MultiplyAgrees(const std::uint8_t h[16],
                                          const State y0) {
  GhashKey key;
  key.Set(testing::Block<16>(h));
  State actual, expected;
  std::memcpy(actual, y0, 16);
  std::memcpy(expected, y0, 16);
  key.MultiplyByH(actual);
  internal::GhashSplitKey ref;
  internal::GhashPortableKey(h, ref);
  internal::GhashPortableMultiply(ref, expected);
  return SameState(actual, expected);
}

// H = V * x: so that the assembly, which stores H * x^-1, sees exactly the
// operand words V (x^i is bit 127 - i; multiplying by x is a right shift by
// one, x^128 = 1 + x + x^2 + x^7 is 0xe1 in the top byte).
void TimesX(const std::uint32_t v[4], std::uint8_t h[16]) {
  const std::uint32_t carry = 0u - (v[3] & 1u);
  const std::uint32_t w[4] = {
      (v[0] >> 1) ^ (carry & 0xe1000000u), (v[1] >> 1) | (v[0] << 31),
      (v[2] >> 1) | (v[1] << 31), (v[3] >> 1) | (v[2] << 31)};
  StoreWords(w, h);
}

TEST(GhashImplTest, RandomMultipliesMatchReference) {
  testing::TestRng rng(0x6a5d0001);
  for (int trial = 0; trial < 1200; ++trial) {
    std::uint8_t h[16], yb[16];
    rng.Fill(h, 16);
    rng.Fill(yb, 16);
    State y;
    GhashKey::Load(y, yb);
    ASSERT_TRUE(MultiplyAgrees(h, y)) << "trial " << trial;
  }
}

TEST(GhashImplTest, RandomAbsorbsMatchReference) {
  testing::TestRng rng(0x6a5d0002);
  static std::uint8_t buffer[16 * 40 + 4];
  for (int trial = 0; trial < 1000; ++trial) {
    std::uint8_t h[16];
    rng.Fill(h, 16);
    // Lengths up to 40 blocks, partial tails, and unaligned starts.
    const std::size_t len = trial < 40 ? 16 * static_cast<std::size_t>(trial)
                                       : rng.Below(16 * 40 + 1);
    const std::size_t offset = rng.Below(4);
    rng.Fill(buffer + offset, len);
    State y, expected;
    std::uint8_t yb[16];
    rng.Fill(yb, 16);
    GhashKey::Load(y, yb);
    std::memcpy(expected, y, 16);
    GhashKey key;
    key.Set(h);
    key.Absorb(y, {buffer + offset, len});
    ReferenceAbsorb(h, expected, buffer + offset, len);
    ASSERT_TRUE(SameState(y, expected)) << "trial " << trial << " len " << len;
  }
}

// Every operand of the nine 32x32 products all-ones or zero: each word of Y
// and of the multiplier's H operand is 0 or ~0 (the multiplier's H operand
// is H itself in C++ and H * x^-1 in the assembly, so both H = V and
// H = V * x are tried). All-ones parts give the largest column counts: 15
// where a chain pairs sums c and c + 4, and 16 where two equal sums would
// share one accumulator, which would flip a bit.
TEST(GhashImplTest, AllOnesAndZeroWordPatterns) {
  for (int hp = 0; hp < 16; ++hp) {
    const std::uint32_t v[4] = {hp & 1 ? ~0u : 0u, hp & 2 ? ~0u : 0u,
                                hp & 4 ? ~0u : 0u, hp & 8 ? ~0u : 0u};
    std::uint8_t h_plain[16], h_times_x[16];
    StoreWords(v, h_plain);
    TimesX(v, h_times_x);
    for (int yp = 0; yp < 16; ++yp) {
      const State y = {yp & 1 ? ~0u : 0u, yp & 2 ? ~0u : 0u, yp & 4 ? ~0u : 0u,
                       yp & 8 ? ~0u : 0u};
      ASSERT_TRUE(MultiplyAgrees(h_plain, y)) << "H " << hp << " Y " << yp;
      ASSERT_TRUE(MultiplyAgrees(h_times_x, y)) << "H*x " << hp << " Y " << yp;
    }
  }
}

TEST(GhashImplTest, SingleBitsAtEveryPosition) {
  testing::TestRng rng(0x6a5d0003);
  const State ones = {~0u, ~0u, ~0u, ~0u};
  std::uint8_t h_ones[16], h_ones_x[16], h_random[16];
  std::memset(h_ones, 0xff, 16);
  TimesX(ones, h_ones_x);
  rng.Fill(h_random, 16);
  for (int bit = 0; bit < 128; ++bit) {
    State y = {};
    y[bit / 32] = 1u << (bit % 32);
    ASSERT_TRUE(MultiplyAgrees(h_ones, y)) << "Y bit " << bit;
    ASSERT_TRUE(MultiplyAgrees(h_ones_x, y)) << "Y bit " << bit;
    ASSERT_TRUE(MultiplyAgrees(h_random, y)) << "Y bit " << bit;
    // H a single bit (and, for the assembly's operand, a single bit times x).
    std::uint8_t h[16] = {};
    h[bit / 8] = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    ASSERT_TRUE(MultiplyAgrees(h, ones)) << "H bit " << bit;
    State hv;
    GhashKey::Load(hv, h);
    std::uint8_t hx[16];
    TimesX(hv, hx);
    ASSERT_TRUE(MultiplyAgrees(hx, ones)) << "H*x bit " << bit;
    State yr;
    std::uint8_t yb[16];
    rng.Fill(yb, 16);
    GhashKey::Load(yr, yb);
    ASSERT_TRUE(MultiplyAgrees(h, yr)) << "H bit " << bit;
  }
}

// The comparison itself sees a single wrong bit anywhere.
TEST(GhashImplTest, ComparisonDetectsAnyOneBitError) {
  std::uint8_t h[16];
  testing::TestRng(0x6a5d0004).Fill(h, 16);
  GhashKey key;
  key.Set(h);
  State y = {1, 2, 3, 4};
  key.MultiplyByH(y);
  for (int bit = 0; bit < 128; ++bit) {
    State wrong;
    std::memcpy(wrong, y, 16);
    wrong[bit / 32] ^= 1u << (bit % 32);
    EXPECT_FALSE(SameState(wrong, y)) << bit;
  }
}

#if CRYPTO_GHASH_ARM_ASM
// Nine operands between the portable order and the assembly's.
void ToArmOrder(const internal::GhashSplitKey portable,
                std::uint32_t out[9][4]) {
  for (int i = 0; i < 9; ++i) {
    std::memcpy(out[i], portable[internal::kGhashArmOperandOrder[i]], 16);
  }
}
void FromArmOrder(const std::uint32_t arm[9][4], internal::GhashSplitKey out) {
  for (int i = 0; i < 9; ++i) {
    std::memcpy(out[internal::kGhashArmOperandOrder[i]], arm[i], 16);
  }
}

// The assembly called directly: zero blocks leave Y alone; the key layout is
// H^2 * x^-1, then H * x^-1 (times x gives H^2 and H back).
TEST(GhashImplTest, ArmRoutineDirect) {
  std::uint8_t h[16];
  testing::TestRng(0x6a5d0005).Fill(h, 16);
  internal::GhashArmSplitKey arm_key;
  internal::GhashArmKey(h, arm_key);
  State y = {0x01234567, 0x89abcdef, 0xdeadbeef, 0x0badf00d};
  const State before = {0x01234567, 0x89abcdef, 0xdeadbeef, 0x0badf00d};
  crypto_ghash_arm_absorb(y, nullptr, 0, &arm_key[0][0]);
  EXPECT_TRUE(SameState(y, before));

  // H' * x == H and H2' * x == H^2, with the portable multiplier on the
  // primed values split their own way. (The portable and assembly layouts
  // split the same nine operands.)
  State hv, h2v;
  GhashKey::Load(hv, h);
  std::memcpy(h2v, hv, 16);
  internal::GhashSplitKey plain;
  internal::GhashPortableKey(h, plain);
  internal::GhashPortableMultiply(plain, h2v);
  internal::GhashSplitKey h2_prime, h_prime;
  FromArmOrder(arm_key, h2_prime);
  FromArmOrder(arm_key + 9, h_prime);
  State x_elem = {0x40000000u, 0, 0, 0};  // x^1
  internal::GhashPortableMultiply(h_prime, x_elem);
  EXPECT_TRUE(SameState(x_elem, hv));
  State x_elem2 = {0x40000000u, 0, 0, 0};
  internal::GhashPortableMultiply(h2_prime, x_elem2);
  EXPECT_TRUE(SameState(x_elem2, h2v));
  EXPECT_FALSE(SameState(hv, h2v));

  static std::uint8_t data[16 * 9 + 1];
  testing::TestRng(0x6a5d0006).Fill(data, sizeof data);
  State expected;
  std::memcpy(expected, before, 16);
  std::memcpy(y, before, 16);
  crypto_ghash_arm_absorb(y, data + 1, 9, &arm_key[0][0]);
  ReferenceAbsorb(h, expected, data + 1, 16 * 9);
  EXPECT_TRUE(SameState(y, expected));
}

// Every block count 0..40 (odd counts take one single block, then pairs),
// every start alignment, random H, Y and data; the buffer around the blocks
// must be left alone.
TEST(GhashImplTest, ArmRoutineBlockCountsAndAlignments) {
  testing::TestRng rng(0x6a5d0008);
  static std::uint8_t data[16 * 40 + 3 + 16];
  for (std::size_t blocks = 0; blocks <= 40; ++blocks) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      std::uint8_t h[16], yb[16];
      rng.Fill(h, 16);
      rng.Fill(yb, 16);
      rng.Fill(data, sizeof data);
      std::uint8_t copy[sizeof data];
      std::memcpy(copy, data, sizeof data);
      internal::GhashArmSplitKey arm_key;
      internal::GhashArmKey(h, arm_key);
      State y, expected;
      GhashKey::Load(y, yb);
      std::memcpy(expected, y, 16);
      crypto_ghash_arm_absorb(y, data + offset, blocks, &arm_key[0][0]);
      ReferenceAbsorb(h, expected, data + offset, 16 * blocks);
      ASSERT_TRUE(SameState(y, expected))
          << "blocks " << blocks << " offset " << offset;
      ASSERT_EQ(std::memcmp(copy, data, sizeof data), 0);
    }
  }
}

// The two-block step with the chain bound's worst cases: the multiplier
// operands of both key halves (H^2 * x^-1 and H * x^-1; set independently
// here, the routine does not care that one is the square of the other) and
// both data operands (Y ^ X1 and X2) with every word 0 or ~0. Expected:
// (Y ^ X1) * A ^ X2 * B with A, B the multipliers those operands stand for.
TEST(GhashImplTest, ArmRoutinePairAllOnesAndZeroWordPatterns) {
  auto words = [](int p, State out) {
    for (int i = 0; i < 4; ++i) out[i] = (p >> i) & 1 ? ~0u : 0u;
  };
  for (int trial = 0; trial < 16 * 16 * 4; ++trial) {
    // All combinations of the first key half and Y ^ X1; the second half
    // and X2 run through their patterns alongside (all-ones first).
    const int p1 = 15 - trial % 16, py = 15 - (trial / 16) % 16;
    const int p2 = (15 - trial / 64 * 5 - trial % 16) & 15;
    const int px = (15 - trial / 16 - 3 * (trial % 16)) & 15;
    State v1, v2, yx1, x2;
    words(p1, v1);
    words(p2, v2);
    words(py, yx1);
    words(px, x2);
    // A = v1 * x, B = v2 * x (the assembly multiplies by the operand * x).
    std::uint8_t a[16], b[16], v1b[16], v2b[16];
    TimesX(v1, a);
    TimesX(v2, b);
    StoreWords(v1, v1b);
    StoreWords(v2, v2b);
    internal::GhashSplitKey s1, s2;
    internal::GhashPortableKey(v1b, s1);
    internal::GhashPortableKey(v2b, s2);
    internal::GhashArmSplitKey arm_key;
    ToArmOrder(s1, arm_key);
    ToArmOrder(s2, arm_key + 9);
    // Y = 0, X1 = the pattern: Y ^ X1 is the pattern.
    std::uint8_t blocks[32];
    StoreWords(yx1, blocks);
    StoreWords(x2, blocks + 16);
    State y = {};
    crypto_ghash_arm_absorb(y, blocks, 2, &arm_key[0][0]);
    internal::GhashSplitKey ka, kb;
    internal::GhashPortableKey(a, ka);
    internal::GhashPortableKey(b, kb);
    State e1, e2;
    std::memcpy(e1, yx1, 16);
    std::memcpy(e2, x2, 16);
    internal::GhashPortableMultiply(ka, e1);
    internal::GhashPortableMultiply(kb, e2);
    const State expected = {e1[0] ^ e2[0], e1[1] ^ e2[1], e1[2] ^ e2[2],
                            e1[3] ^ e2[3]};
    ASSERT_TRUE(SameState(y, expected))
        << "key " << p1 << "/" << p2 << " data " << py << "/" << px;
  }
}
#endif

#if CRYPTO_GHASH_NEON
// The NEON routine called directly (GhashKey uses it on this core; the
// tests above go through GhashKey): zero blocks, then 1..12 blocks from
// random Y and unaligned data against the reference.
TEST(GhashImplTest, NeonRoutineDirect) {
  testing::TestRng rng(0x6a5d0007);
  static std::uint8_t data[16 * 12 + 3];
  for (int trial = 0; trial < 200; ++trial) {
    std::uint8_t h[16], yb[16];
    rng.Fill(h, 16);
    if (trial == 0) std::memset(h, 0xff, 16);
    rng.Fill(yb, 16);
    rng.Fill(data, sizeof data);
    std::uint32_t key[6];
    internal::GhashNeonKey(h, key);
    State y, expected;
    GhashKey::Load(y, yb);
    std::memcpy(expected, y, 16);
    crypto_ghash_neon_absorb(y, nullptr, 0, key);
    ASSERT_TRUE(SameState(y, expected));
    const std::size_t blocks = 1 + trial % 12;
    const std::size_t offset = trial % 4;
    crypto_ghash_neon_absorb(y, data + offset, blocks, key);
    ReferenceAbsorb(h, expected, data + offset, 16 * blocks);
    ASSERT_TRUE(SameState(y, expected)) << "trial " << trial;
  }
}
#endif

}  // namespace
}  // namespace crypto
