#include "arq/rtt_estimator.h"

#include "gtest/gtest.h"

namespace arq {
namespace {

constexpr std::uint32_t kMin = 200'000;
constexpr std::uint32_t kMax = 8'000'000;

TEST(RttEstimatorTest, StartsAtTheMinimumThenFollowsTheLink) {
  RttEstimator rtt;
  EXPECT_FALSE(rtt.has_sample());
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMin);
  rtt.Sample(1'000'000);  // first: SRTT = R, RTTVAR = R / 2
  EXPECT_EQ(rtt.smoothed_us(), 1'000'000u);
  EXPECT_EQ(rtt.variation_us(), 500'000u);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), 3'000'000u);
  rtt.Sample(1'000'000);  // RTTVAR 3/4, SRTT unchanged
  EXPECT_EQ(rtt.variation_us(), 375'000u);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), 2'500'000u);
  for (int i = 0; i < 100; ++i) rtt.Sample(1'000'000);
  // A steady link: the timeout settles just above its round trip.
  EXPECT_LT(rtt.Timeout(kMin, kMax), 1'010'000u);
  EXPECT_GE(rtt.Timeout(kMin, kMax), 1'000'000u);
}

TEST(RttEstimatorTest, ABacklogRaisesTheTimeoutAndItFallsBackAfter) {
  RttEstimator rtt;
  for (int i = 0; i < 20; ++i) rtt.Sample(20'000);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMin);           // fast link: the floor
  for (int i = 0; i < 8; ++i) rtt.Sample(4'000'000);  // a slow receiver
  EXPECT_GT(rtt.Timeout(kMin, kMax), 4'000'000u);
  for (int i = 0; i < 60; ++i) rtt.Sample(20'000);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMin);
}

TEST(RttEstimatorTest, ExpiredTimeoutsDoubleItUntilASampleArrives) {
  RttEstimator rtt;
  rtt.Backoff();  // no sample yet: the minimum, doubled
  EXPECT_EQ(rtt.Timeout(kMin, kMax), 2 * kMin);
  rtt.Backoff();
  EXPECT_EQ(rtt.Timeout(kMin, kMax), 4 * kMin);
  for (int i = 0; i < 40; ++i) rtt.Backoff();
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMax);
  rtt.Sample(300'000);  // a sample ends the backoff
  EXPECT_EQ(rtt.backoff(), 0);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), 900'000u);
}

TEST(RttEstimatorTest, StaysWithinItsBoundsWithoutOverflow) {
  RttEstimator rtt;
  rtt.Sample(~std::uint64_t{0});
  EXPECT_EQ(rtt.smoothed_us(), 0xffff'ffffu);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMax);
  rtt.Sample(0);
  EXPECT_EQ(rtt.Timeout(kMin, kMax), kMax);
  RttEstimator zero;
  for (int i = 0; i < 10; ++i) zero.Sample(0);
  EXPECT_EQ(zero.Timeout(kMin, kMax), kMin);
}

}  // namespace
}  // namespace arq
