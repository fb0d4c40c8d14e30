#include "workspace/nonce.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace workspace {
namespace {

#if defined(__arm__)
constexpr std::uint64_t kLongRun = 20'000;  // QEMU is ~50-100x slower
#else
constexpr std::uint64_t kLongRun = 2'000'000;
#endif

TEST(NonceTest, LayoutIsFixedFieldThenBigEndianCounter) {
  NonceSequence seq;
  seq.Reset(0x11223344u, 0x0102030405060708ull);
  Nonce n{};
  ASSERT_TRUE(seq.Next(n));
  const Nonce expected = {0x11, 0x22, 0x33, 0x44, 0x01, 0x02,
                          0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  EXPECT_EQ(n, expected);
  EXPECT_EQ(NonceSequence::FixedFieldOf(n), 0x11223344u);
  EXPECT_EQ(NonceSequence::InvocationOf(n), 0x0102030405060708ull);
  ASSERT_TRUE(seq.Next(n));
  EXPECT_EQ(n[11], 0x09);
  EXPECT_EQ(seq.next_invocation(), 0x010203040506070aull);
}

TEST(NonceTest, DefaultSequenceIssuesNothing) {
  NonceSequence seq;
  EXPECT_TRUE(seq.exhausted());
  EXPECT_EQ(seq.remaining(), 0u);
  Nonce n{};
  n.fill(0xaa);
  EXPECT_FALSE(seq.Next(n));
  for (std::uint8_t b : n) EXPECT_EQ(b, 0xaa);  // untouched
}

TEST(NonceTest, RefusesToWrapAtTheEnd) {
  NonceSequence seq;
  seq.Reset(7, NonceSequence::kSpent - 2);
  EXPECT_EQ(seq.remaining(), 2u);
  Nonce a{}, b{}, c{};
  ASSERT_TRUE(seq.Next(a));
  ASSERT_TRUE(seq.Next(b));
  EXPECT_EQ(NonceSequence::InvocationOf(a), NonceSequence::kSpent - 2);
  EXPECT_EQ(NonceSequence::InvocationOf(b), NonceSequence::kSpent - 1);
  EXPECT_TRUE(seq.exhausted());
  EXPECT_FALSE(seq.Next(c));
  EXPECT_FALSE(seq.Next(c));  // and stays spent: no wrap to 0
  EXPECT_EQ(seq.next_invocation(), NonceSequence::kSpent);
}

TEST(NonceTest, StartingSpentIssuesNothing) {
  NonceSequence seq;
  seq.Reset(1, NonceSequence::kSpent);
  Nonce n{};
  EXPECT_FALSE(seq.Next(n));
}

// Each nonce differs from every earlier one: invocations strictly increase
// by one and the fixed field never changes, so no two can be equal.
TEST(NonceTest, UniqueOverALongRun) {
  NonceSequence seq;
  seq.Reset(0xfeedbeefu, 0xfffffff0ull);  // crosses a 32-bit carry
  Nonce n{};
  std::uint64_t previous = 0;
  for (std::uint64_t i = 0; i < kLongRun; ++i) {
    ASSERT_TRUE(seq.Next(n));
    ASSERT_EQ(NonceSequence::FixedFieldOf(n), 0xfeedbeefu);
    const std::uint64_t invocation = NonceSequence::InvocationOf(n);
    if (i != 0) {
      ASSERT_EQ(invocation, previous + 1);
    }
    previous = invocation;
  }
  EXPECT_EQ(seq.remaining(),
            NonceSequence::kSpent - (0xfffffff0ull + kLongRun));
}

TEST(NonceTest, DifferentFixedFieldsNeverCollide) {
  NonceSequence a, b;
  a.Reset(1, 0);
  b.Reset(2, 0);
  Nonce na{}, nb{};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(a.Next(na));
    ASSERT_TRUE(b.Next(nb));
    EXPECT_NE(na, nb);
  }
}

}  // namespace
}  // namespace workspace
