// board::BoardClock is the real timer of the board (host: steady_clock): it
// must advance, and never go back.
#include "board/board_clock.h"

#include <cstdint>

#include "board/board.h"
#include "gtest/gtest.h"

namespace board {
namespace {

TEST(BoardClockTest, AdvancesMonotonically) {
  const base::Clock& clock = SystemBoardClock();
  const std::uint64_t start = clock.NowMicroseconds();
  std::uint64_t previous = start;
  std::uint64_t now = start;
  for (std::uint32_t i = 0; i < 50'000'000 && now < start + 100; ++i) {
    now = clock.NowMicroseconds();
    ASSERT_GE(now, previous);
    previous = now;
  }
  EXPECT_GE(now, start + 100) << "board timer did not advance 100 us";
}

// Each reading is the board's timer at that moment: between two readings of
// board::MonotonicMicroseconds() around it.
TEST(BoardClockTest, ReadsTheBoardTimer) {
  const base::Clock& clock = SystemBoardClock();
  EXPECT_EQ(&clock, &SystemBoardClock());
  // Past the timer's origin first, so that a clock stuck at 0 shows too.
  const std::uint64_t origin = MonotonicMicroseconds();
  std::uint64_t before = origin;
  for (std::uint32_t i = 0; i < 50'000'000 && before <= origin; ++i) {
    before = MonotonicMicroseconds();
  }
  ASSERT_GT(before, origin) << "board timer did not advance";
  const std::uint64_t reading = clock.NowMicroseconds();
  const std::uint64_t after = MonotonicMicroseconds();
  EXPECT_LE(before, reading);
  EXPECT_LE(reading, after);
}

}  // namespace
}  // namespace board
