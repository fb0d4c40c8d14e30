// Arm PrimeCell PL031 real-time clock: a 32-bit seconds counter.
#ifndef PLATFORMS_DRIVERS_PL031_RTC_H_
#define PLATFORMS_DRIVERS_PL031_RTC_H_

#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Pl031Rtc {
 public:
  explicit constexpr Pl031Rtc(std::uintptr_t base) : base_(base) {}

  // Seconds; counts up, wraps at 2^32 (in about 136 years).
  std::uint32_t Seconds() const { return Read32(base_ + kData); }

  // Raises the RTC interrupt when Seconds() reaches `seconds`.
  void SetAlarm(std::uint32_t seconds) const {
    Write32(base_ + kInterruptClear, 1);
    Write32(base_ + kMatch, seconds);
    Write32(base_ + kInterruptMask, 1);
  }

  void ClearAlarm() const {
    Write32(base_ + kInterruptMask, 0);
    Write32(base_ + kInterruptClear, 1);
  }

 private:
  static constexpr std::uintptr_t kData = 0x00;
  static constexpr std::uintptr_t kMatch = 0x04;
  static constexpr std::uintptr_t kInterruptMask = 0x10;
  static constexpr std::uintptr_t kInterruptClear = 0x1c;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_PL031_RTC_H_
