#include "board/board_clock.h"

#include "board/board.h"

namespace board {

std::uint64_t BoardClock::NowMicroseconds() const {
  return MonotonicMicroseconds();
}

namespace {
constinit const BoardClock kBoardClock;
}  // namespace

const base::Clock& SystemBoardClock() { return kBoardClock; }

}  // namespace board
