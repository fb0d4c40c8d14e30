// Arm SP804 dual-input timer, one counter used as a free-running clock.
#ifndef PLATFORMS_DRIVERS_SP804_TIMER_H_
#define PLATFORMS_DRIVERS_SP804_TIMER_H_

#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Sp804Timer {
 public:
  explicit constexpr Sp804Timer(std::uintptr_t base) : base_(base) {}

  // 32-bit, no prescaler, free-running from 0xffffffff downwards, no
  // interrupt.
  void StartFreeRunning() const {
    Write32(base_ + kControl, 0);
    Write32(base_ + kLoad, 0xffff'ffffu);
    Write32(base_ + kControl, kControlEnable | kControl32Bit);
  }

  // The current (down-counting) value.
  std::uint32_t Value() const { return Read32(base_ + kValue); }

 private:
  static constexpr std::uintptr_t kLoad = 0x00;
  static constexpr std::uintptr_t kValue = 0x04;
  static constexpr std::uintptr_t kControl = 0x08;
  static constexpr std::uint32_t kControl32Bit = 1u << 1;
  static constexpr std::uint32_t kControlEnable = 1u << 7;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_SP804_TIMER_H_
