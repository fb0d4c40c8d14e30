// A monotonic time source, handed to a library by its caller.
//
// An interface rather than a call into the board so that libraries stay
// board-neutral and tests drive time with a FakeClock (fake_clock.h), while
// firmware passes the board's timer (board::BoardClock, an adaptor
// outside base). The only requirement is monotonicity; the epoch is
// arbitrary because users only ever subtract two readings.
#ifndef LIBS_BASE_PUBLIC_BASE_CLOCK_H_
#define LIBS_BASE_PUBLIC_BASE_CLOCK_H_

#include <cstdint>

namespace base {

class Clock {
 public:
  // Microseconds since an arbitrary origin; never decreases.
  virtual std::uint64_t NowMicroseconds() const = 0;

 protected:
  // Clocks are never destroyed through this interface.
  ~Clock() = default;
};

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_CLOCK_H_
