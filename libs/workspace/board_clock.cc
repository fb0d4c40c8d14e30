#include "workspace/board_clock.h"

#include "board/board.h"

namespace workspace {

std::uint64_t BoardClock::NowMicroseconds() const {
  return board::MonotonicMicroseconds();
}

namespace {
constinit const BoardClock kBoardClock;
}  // namespace

const base::Clock& SystemBoardClock() { return kBoardClock; }

}  // namespace workspace
