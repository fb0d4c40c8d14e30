#include "apps/secure_node/stepped_clock.h"

#include <cstdint>
#include <limits>

#include "base/fake_clock.h"
#include "gtest/gtest.h"

namespace secure_node {
namespace {

TEST(SteppedClockTest, FollowsTheBoardUntilStepped) {
  base::FakeClock board;
  board.Set(1000);
  SteppedClock clock(board);
  EXPECT_FALSE(clock.stepped());
  EXPECT_EQ(clock.NowMicroseconds(), 1000u);
  board.Advance(500);
  EXPECT_EQ(clock.NowMicroseconds(), 1500u);
  // Advance means nothing on the board's clock.
  EXPECT_FALSE(clock.Advance(10));
  EXPECT_EQ(clock.NowMicroseconds(), 1500u);
}

TEST(SteppedClockTest, SteppedTimeMovesOnlyWhenAdvanced) {
  base::FakeClock board;
  board.Set(2000);
  SteppedClock clock(board);
  clock.Step();
  EXPECT_TRUE(clock.stepped());
  board.Advance(1'000'000);  // the host races on; the node does not
  EXPECT_EQ(clock.NowMicroseconds(), 2000u);
  EXPECT_TRUE(clock.Advance(250));
  EXPECT_EQ(clock.NowMicroseconds(), 2250u);
  // Stepping again does not jump to the board's reading.
  clock.Step();
  EXPECT_EQ(clock.NowMicroseconds(), 2250u);
  EXPECT_TRUE(clock.Advance(0));
  EXPECT_EQ(clock.NowMicroseconds(), 2250u);
}

TEST(SteppedClockTest, RefusesToWrap) {
  base::FakeClock board;
  board.Set(std::numeric_limits<std::uint64_t>::max() - 5);
  SteppedClock clock(board);
  clock.Step();
  EXPECT_FALSE(clock.Advance(6));
  EXPECT_EQ(clock.NowMicroseconds(),
            std::numeric_limits<std::uint64_t>::max() - 5);
  EXPECT_TRUE(clock.Advance(5));
  EXPECT_EQ(clock.NowMicroseconds(), std::numeric_limits<std::uint64_t>::max());
}

}  // namespace
}  // namespace secure_node
