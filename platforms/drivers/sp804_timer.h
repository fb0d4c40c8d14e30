// Arm SP804 dual-input timer: one of its two counters (timer 1 at base,
// timer 2 at base + 0x20), as a free-running clock or a one-shot wake-up.
// Both counters of a module share one interrupt line (Versatile PB: VIC
// line 4 for the module at 0x101e2000, 5 for 0x101e3000); a counter raises
// it (a level) when it reaches zero with TimerControl.IntEnable set, until
// TimerIntClr is written. Reset leaves IntEnable set and the counter off.
#ifndef PLATFORMS_DRIVERS_SP804_TIMER_H_
#define PLATFORMS_DRIVERS_SP804_TIMER_H_

#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Sp804Timer {
 public:
  explicit constexpr Sp804Timer(std::uintptr_t base) : base_(base) {}

  // 32-bit, no prescaler, free-running from 0xffffffff downwards, no
  // interrupt (IntEnable cleared).
  void StartFreeRunning() const {
    Write32(base_ + kControl, 0);
    Write32(base_ + kLoad, 0xffff'ffffu);
    Write32(base_ + kControl, kControlEnable | kControl32Bit);
  }

  // 32-bit one-shot: counts `ticks` (at least 1) down to zero, raises the
  // interrupt there and stops.
  void StartOneShot(std::uint32_t ticks) const {
    Write32(base_ + kControl, 0);
    Write32(base_ + kIntClr, 1);
    Write32(base_ + kLoad, ticks == 0 ? 1 : ticks);
    Write32(base_ + kControl, kControlEnable | kControlIntEnable |
                                  kControl32Bit | kControlOneShot);
  }

  // Stopped, its interrupt disabled and cleared (the line is low).
  void Stop() const {
    Write32(base_ + kControl, 0);
    Write32(base_ + kIntClr, 1);
  }

  // Whether the counter reached zero with its interrupt enabled (TimerMIS).
  bool InterruptPending() const { return (Read32(base_ + kMis) & 1u) != 0; }

  // The current (down-counting) value.
  std::uint32_t Value() const { return Read32(base_ + kValue); }

 private:
  static constexpr std::uintptr_t kLoad = 0x00;
  static constexpr std::uintptr_t kValue = 0x04;
  static constexpr std::uintptr_t kControl = 0x08;
  static constexpr std::uintptr_t kIntClr = 0x0c;
  static constexpr std::uintptr_t kMis = 0x14;
  static constexpr std::uint32_t kControlOneShot = 1u << 0;
  static constexpr std::uint32_t kControl32Bit = 1u << 1;
  static constexpr std::uint32_t kControlIntEnable = 1u << 5;
  static constexpr std::uint32_t kControlEnable = 1u << 7;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_SP804_TIMER_H_
