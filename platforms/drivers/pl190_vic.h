// Arm PrimeCell PL190 vectored interrupt controller (the Versatile PB's
// primary controller), used unvectored: the handler reads which enabled
// lines are raised (IRQSTATUS) and serves each. Nothing reads VECTADDR, so
// the controller's hardware priority logic never engages and no VECTADDR
// write is owed at the end of a handler. Lines are level-sensitive: a line
// stays raised until its device is served.
#ifndef PLATFORMS_DRIVERS_PL190_VIC_H_
#define PLATFORMS_DRIVERS_PL190_VIC_H_

#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Pl190Vic {
 public:
  explicit constexpr Pl190Vic(std::uintptr_t base) : base_(base) {}

  // Every line to IRQ (none to FIQ), all disabled, software lines cleared.
  void Init() const {
    Write32(base_ + kIntEnClear, ~0u);
    Write32(base_ + kIntSelect, 0);
    Write32(base_ + kSoftIntClear, ~0u);
  }

  void Enable(std::uint32_t line) const {
    Write32(base_ + kIntEnable, 1u << line);
  }
  void Disable(std::uint32_t line) const {
    Write32(base_ + kIntEnClear, 1u << line);
  }

  // Enabled lines raised now (by their device or by software), as a mask.
  std::uint32_t IrqStatus() const { return Read32(base_ + kIrqStatus); }

  // Raises / lowers a line from software (tests: an interrupt without a
  // device). The software level is ORed with the device's.
  void SetSoftware(std::uint32_t line) const {
    Write32(base_ + kSoftInt, 1u << line);
  }
  void ClearSoftware(std::uint32_t line) const {
    Write32(base_ + kSoftIntClear, 1u << line);
  }

 private:
  static constexpr std::uintptr_t kIrqStatus = 0x000;
  static constexpr std::uintptr_t kIntSelect = 0x00c;
  static constexpr std::uintptr_t kIntEnable = 0x010;
  static constexpr std::uintptr_t kIntEnClear = 0x014;
  static constexpr std::uintptr_t kSoftInt = 0x018;
  static constexpr std::uintptr_t kSoftIntClear = 0x01c;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_PL190_VIC_H_
