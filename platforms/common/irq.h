// Interrupt dispatch on the bare-metal boards (not part of the public board
// interface). cortex_r_start.S saves the AAPCS caller-saved registers (core
// and VFP) in IRQ mode and calls board_irq_dispatch(), which each board
// implements: acknowledge the controller, run the handler of the interrupt
// from its IrqTable, signal the end. Handlers run with IRQs masked (no
// nesting) on the IRQ-mode stack (EXCEPTION_STACK_BYTES).
#ifndef PLATFORMS_COMMON_IRQ_H_
#define PLATFORMS_COMMON_IRQ_H_

#include <cstddef>
#include <cstdint>

namespace board::internal {

using IrqHandler = void (*)();

// Handlers by interrupt number (GIC INTID, VIC line), with counters.
template <std::size_t N>
class IrqTable {
 public:
  static constexpr std::size_t kSize = N;

  bool Set(std::uint32_t irq, IrqHandler handler) {
    if (irq >= N) return false;
    handlers_[irq] = handler;
    return true;
  }

  // False for an interrupt without a handler (counted as unhandled).
  bool Dispatch(std::uint32_t irq) {
    if (irq >= N || handlers_[irq] == nullptr) {
      unhandled_ = unhandled_ + 1;
      return false;
    }
    dispatched_ = dispatched_ + 1;
    handlers_[irq]();
    return true;
  }

  std::uint32_t dispatched() const { return dispatched_; }
  std::uint32_t unhandled() const { return unhandled_; }

 private:
  IrqHandler handlers_[N] = {};
  volatile std::uint32_t dispatched_ = 0;
  volatile std::uint32_t unhandled_ = 0;
};

// Per board (board.cc). AttachInterrupt installs the handler and enables
// the interrupt at the controller; a null handler disables it.
bool AttachInterrupt(std::uint32_t irq, IrqHandler handler);
// An interrupt that software can raise, for tests (GIC: an SGI; VIC: a
// line raised through SOFTINT, which the handler must lower again with
// ClearSoftwareIrq).
std::uint32_t SoftwareTestIrq();
void TriggerSoftwareIrq();
void ClearSoftwareIrq();
struct IrqCounters {
  std::uint32_t dispatched;
  std::uint32_t unhandled;
};
IrqCounters ReadIrqCounters();

}  // namespace board::internal

extern "C" void board_irq_dispatch();

#endif  // PLATFORMS_COMMON_IRQ_H_
