// The IRQ mask and the masked WFI of board/idle.h, shared by the Cortex-R
// boards (the wake-up timer and the input rings are the board's).
#include <cstdint>

#include "board/idle.h"

namespace board {

std::uint32_t MaskInterrupts() {
  std::uint32_t cpsr;
  asm volatile("mrs %0, cpsr\n cpsid i" : "=r"(cpsr)::"memory");
  return cpsr & 0x80u;  // the I bit before
}

void RestoreInterrupts(std::uint32_t state) {
  if (state == 0) asm volatile("cpsie i" ::: "memory");
}

namespace idle_internal {

// WFI completes when an interrupt is pending, whether or not CPSR.I masks
// it (Arm ARM, "Wait For Interrupt"), so with IRQs masked since the check
// for work nothing that arrives in between is missed. The DSB lets every
// earlier memory access (e.g. a device register write that arms the timer)
// complete first.
void WaitMasked() { asm volatile("dsb\n wfi" ::: "memory"); }

}  // namespace idle_internal
}  // namespace board
