// The Armv8-R generic timer's EL1 physical timer (CNTP), as a one-shot
// compare: its interrupt (a level, GIC PPI INTID 30 on the MPS3 AN536) is
// raised while enabled, unmasked and CNTPCT >= CNTP_CVAL. The start-up code
// gives EL1 access (CNTHCTL.EL1PCEN, EL1PCTEN).
#ifndef PLATFORMS_DRIVERS_GENERIC_TIMER_H_
#define PLATFORMS_DRIVERS_GENERIC_TIMER_H_

#include <cstdint>

namespace drivers {

class GenericTimer {
 public:
  static std::uint32_t FrequencyHz() {
    std::uint32_t frequency_hz;
    asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frequency_hz));  // CNTFRQ
    return frequency_hz;
  }

  static std::uint64_t Count() {
    std::uint32_t low;
    std::uint32_t high;
    asm volatile("isb\n mrrc p15, 0, %0, %1, c14"  // CNTPCT
                 : "=r"(low), "=r"(high)::"memory");
    return (std::uint64_t{high} << 32) | low;
  }

  // Raises the interrupt once Count() >= `count` (at once if already so).
  static void ArmAt(std::uint64_t count) {
    const auto low = static_cast<std::uint32_t>(count);
    const auto high = static_cast<std::uint32_t>(count >> 32);
    asm volatile("mcrr p15, 2, %0, %1, c14" ::"r"(low), "r"(high));  // CVAL
    asm volatile("mcr p15, 0, %0, c14, c2, 1" ::"r"(kEnable));       // CTL
    asm volatile("isb" ::: "memory");
  }

  // Disabled: the interrupt is low (ISTATUS reads 0).
  static void Disarm() {
    asm volatile("mcr p15, 0, %0, c14, c2, 1\n isb" ::"r"(0u) : "memory");
  }

 private:
  static constexpr std::uint32_t kEnable = 1u << 0;  // IMASK (bit 1) clear
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_GENERIC_TIMER_H_
