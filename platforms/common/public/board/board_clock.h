// The board's hardware timer as a base::Clock: the Cortex-R52 generic
// timer on mps3_an536, the SP804 on versatilepb_r5f, steady_clock on the
// host (all through board::MonotonicMicroseconds()).
//
// A platform-side adaptor: libraries take a base::Clock from their caller
// (e.g. workspace::WorkspaceConfig::clock) and never include a board
// header; firmware, board tests and benchmarks hand them this one.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_CLOCK_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_CLOCK_H_

#include <cstdint>

#include "base/clock.h"

namespace board {

class BoardClock final : public base::Clock {
 public:
  constexpr BoardClock() = default;
  std::uint64_t NowMicroseconds() const override;
};

// One stateless instance, usable from static initialisers (constinit).
const base::Clock& SystemBoardClock();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_CLOCK_H_
