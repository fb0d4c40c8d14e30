#include "workspace/rotation_policy.h"

#include <cstdint>

#include "base/fake_clock.h"
#include "board/board_clock.h"
#include "gtest/gtest.h"

namespace workspace {
namespace {

constexpr RotationPolicy kPolicy = {.max_key_age_us = 1000,
                                    .max_messages_per_key = 10,
                                    .max_bytes_per_key = 500};

TEST(RotationPolicyTest, FreshKeyNeedsNothing) {
  const KeyUsage usage{.loaded_at_us = 100};
  EXPECT_EQ(RotationDue(kPolicy, usage, 100), RotationReason::kNone);
  EXPECT_EQ(RotationDue(kPolicy, usage, 1099), RotationReason::kNone);
}

TEST(RotationPolicyTest, AgeLimitIsInclusive) {
  const KeyUsage usage{.loaded_at_us = 100};
  EXPECT_EQ(RotationDue(kPolicy, usage, 1100), RotationReason::kKeyAge);
}

TEST(RotationPolicyTest, EachLimit) {
  EXPECT_EQ(RotationDue(kPolicy, {.messages = 10}, 0),
            RotationReason::kMessageLimit);
  EXPECT_EQ(RotationDue(kPolicy, {.messages = 9}, 0), RotationReason::kNone);
  EXPECT_EQ(RotationDue(kPolicy, {.bytes = 500}, 0),
            RotationReason::kByteLimit);
  EXPECT_EQ(RotationDue(kPolicy, {.bytes = 499}, 0), RotationReason::kNone);
  EXPECT_EQ(RotationDue(kPolicy, {.nonces_exhausted = true}, 0),
            RotationReason::kNonceExhausted);
}

TEST(RotationPolicyTest, NonceExhaustionIsReportedFirst) {
  const KeyUsage usage{.loaded_at_us = 0,
                       .messages = 10,
                       .bytes = 500,
                       .nonces_exhausted = true};
  EXPECT_EQ(RotationDue(kPolicy, usage, 5000), RotationReason::kNonceExhausted);
}

TEST(RotationPolicyTest, ClockBeforeLoadTimeIsAgeZero) {
  const KeyUsage usage{.loaded_at_us = 5000};
  EXPECT_EQ(RotationDue(kPolicy, usage, 10), RotationReason::kNone);
}

TEST(RotationPolicyTest, MessageThatWouldCrossTheByteBudgetIsRefused) {
  const KeyUsage usage{.bytes = 400};
  EXPECT_EQ(CheckEncryption(kPolicy, usage, 0, 100), RotationReason::kNone);
  EXPECT_EQ(CheckEncryption(kPolicy, usage, 0, 101),
            RotationReason::kByteLimit);
  // A huge length must not wrap the arithmetic.
  EXPECT_EQ(CheckEncryption(kPolicy, usage, 0, ~std::uint64_t{0}),
            RotationReason::kByteLimit);
}

TEST(RotationPolicyTest, Validity) {
  EXPECT_TRUE(RotationPolicy{}.valid());
  EXPECT_FALSE((RotationPolicy{.max_key_age_us = 0}).valid());
  EXPECT_FALSE((RotationPolicy{.max_messages_per_key = 0}).valid());
  EXPECT_FALSE((RotationPolicy{.max_bytes_per_key = 0}).valid());
}

TEST(RotationPolicyTest, ReasonNames) {
  EXPECT_STREQ(RotationReasonName(RotationReason::kKeyAge), "KeyAge");
  EXPECT_STRNE(RotationReasonName(RotationReason::kByteLimit),
               RotationReasonName(RotationReason::kMessageLimit));
}

// One second: long against the few microseconds between two readings even
// under emulation, short enough to wait for (QEMU's timers run in real time).
// (The clock's own tests: platforms/tests/board_clock_test.cc.)
TEST(BoardClockTest, DrivesTheRotationPolicy) {
  const base::Clock& clock = board::SystemBoardClock();
  const RotationPolicy policy{.max_key_age_us = 1'000'000};
  const KeyUsage usage{.loaded_at_us = clock.NowMicroseconds()};
  EXPECT_EQ(RotationDue(policy, usage, clock.NowMicroseconds()),
            RotationReason::kNone);
  std::uint64_t now = clock.NowMicroseconds();
  for (std::uint32_t i = 0;
       i < 500'000'000 && now < usage.loaded_at_us + 1'000'000; ++i) {
    now = clock.NowMicroseconds();
  }
  EXPECT_EQ(RotationDue(policy, usage, now), RotationReason::kKeyAge);
}

}  // namespace
}  // namespace workspace
