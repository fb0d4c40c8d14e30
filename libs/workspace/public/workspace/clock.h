// The time source of the rotation policy.
//
// An interface rather than a direct call to the board so that tests can
// drive key ages with a FakeClock (fake_clock.h) while firmware uses the
// board's hardware timer (board_clock.h). The only requirement is
// monotonicity; the epoch is arbitrary because the workspace only ever
// subtracts two readings.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_CLOCK_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_CLOCK_H_

#include <cstdint>

namespace workspace {

class Clock {
 public:
  // Microseconds since an arbitrary origin; never decreases.
  virtual std::uint64_t NowMicroseconds() const = 0;

 protected:
  // Clocks are never destroyed through this interface.
  ~Clock() = default;
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_CLOCK_H_
