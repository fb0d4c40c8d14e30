// A clock that moves only when told to: key-rotation tests set the time
// explicitly instead of sleeping.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_FAKE_CLOCK_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_FAKE_CLOCK_H_

#include <cstdint>

#include "workspace/clock.h"

namespace workspace {

class FakeClock final : public Clock {
 public:
  constexpr explicit FakeClock(std::uint64_t start_us = 0)
      : now_us_(start_us) {}

  std::uint64_t NowMicroseconds() const override { return now_us_; }

  void Advance(std::uint64_t us) { now_us_ += us; }
  // Time never goes backwards (the Clock contract): earlier values are ignored.
  void Set(std::uint64_t us) {
    if (us > now_us_) now_us_ = us;
  }

 private:
  std::uint64_t now_us_;
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_FAKE_CLOCK_H_
