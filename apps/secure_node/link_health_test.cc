#include "apps/secure_node/link_health.h"

#include "gtest/gtest.h"

namespace secure_node {
namespace {

constexpr std::uint64_t kSecond = LinkHealth::kForgiveMicros;

TEST(LinkHealthTest, BurstOfFailuresQuarantinesOnlyThatLink) {
  LinkHealth health;
  for (std::uint32_t i = 1; i < LinkHealth::kQuarantineScore; ++i) {
    EXPECT_FALSE(health.RecordFailure(4, 0));
  }
  EXPECT_FALSE(health.Quarantined(4, 0));
  EXPECT_TRUE(health.RecordFailure(4, 0));
  EXPECT_FALSE(health.RecordFailure(4, 0));  // entered once
  EXPECT_TRUE(health.Quarantined(4, 0));
  EXPECT_FALSE(health.Quarantined(5, 0));
  EXPECT_EQ(health.QuarantinedLinks(0), 1u);
  EXPECT_EQ(health.quarantines(), 1u);
}

TEST(LinkHealthTest, ScoreDecaysAndQuarantineEndsAtZero) {
  LinkHealth health;
  for (std::uint32_t i = 0; i < LinkHealth::kQuarantineScore; ++i)
    health.RecordFailure(1, 0);
  EXPECT_TRUE(
      health.Quarantined(1, (LinkHealth::kQuarantineScore - 1) * kSecond));
  EXPECT_FALSE(health.Quarantined(1, LinkHealth::kQuarantineScore * kSecond));
}

TEST(LinkHealthTest, SteadyNoiseBelowTheForgiveRateNeverQuarantines) {
  LinkHealth health;
  // One failure every 1.5 s for a day.
  for (std::uint64_t t = 0; t < 24ull * 3600 * kSecond; t += kSecond * 3 / 2) {
    EXPECT_FALSE(health.RecordFailure(2, t));
  }
  EXPECT_EQ(health.quarantines(), 0u);
}

}  // namespace
}  // namespace secure_node
