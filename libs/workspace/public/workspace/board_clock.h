// The board's hardware timer as a base::Clock: the Cortex-R52 generic
// timer on mps3_an536, the SP804 on versatilepb_r5f, steady_clock on the
// host (all through board::MonotonicMicroseconds()).
//
// A platform-facing adaptor, not part of the workspace library: the
// workspace takes its clock from the caller (WorkspaceConfig::clock), and
// only firmware, board tests and benchmarks link this target.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CLOCK_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CLOCK_H_

#include <cstdint>

#include "base/clock.h"

namespace workspace {

class BoardClock final : public base::Clock {
 public:
  constexpr BoardClock() = default;
  std::uint64_t NowMicroseconds() const override;
};

// One stateless instance, usable from static initialisers (constinit).
const base::Clock& SystemBoardClock();

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CLOCK_H_
