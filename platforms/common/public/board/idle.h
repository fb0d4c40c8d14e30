// Interrupt-driven idle: the core sleeps (WFI) until something may have
// happened instead of polling the UARTs. What wakes it: a byte received on
// the console or the network UART (after StartReceiveInterrupts, both are
// received by interrupt into a ring, served by ConsoleTryRead/
// NetworkTryRead) or the wake-up deadline set with ArmWakeup.
//
// A main loop adopts it like this:
//
//   for (;;) {
//     while (auto b = board::ConsoleTryRead()) node.ConsoleByte(*b);
//     while (auto b = board::NetworkTryRead()) node.NetworkByte(*b);
//     board::ArmWakeup(node.NextDeadlineMicros());  // or CancelWakeup()
//     board::SleepUnless([&] { return node.HasWork(); });
//   }
//
// SleepUnless masks IRQs before it looks for work, so an interrupt that
// arrives after the check is not lost: WFI returns on a pending interrupt
// even while IRQs are masked, and it is served when they are unmasked.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_IDLE_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_IDLE_H_

#include <cstdint>

namespace board {

// Masks IRQs on this core; returns what RestoreInterrupts needs (nests).
std::uint32_t MaskInterrupts();
void RestoreInterrupts(std::uint32_t state);

// Wakes the core once MonotonicMicroseconds() >= deadline_us (a deadline
// already passed wakes it at once). Replaces the previous deadline. From
// the main loop only, not from interrupt handlers.
void ArmWakeup(std::uint64_t deadline_us);
void CancelWakeup();
// Whether the armed deadline has passed (until the next Arm/Cancel).
bool WakeupDue();

// Whether a received byte is waiting on the console or network UART.
bool InputPending();

// Switches console and network receive from polling to interrupts (rings
// behind ConsoleTryRead/NetworkTryRead, flow-controlled: platforms/README.md).
// Until then both are polled: TryRead reads the UART itself, which suits an
// image that never sleeps. Call once, from the main loop, before relying on
// WFI.
void StartReceiveInterrupts();

namespace idle_internal {
// Executes WFI with IRQs masked (host: waits for input or the deadline).
void WaitMasked();
}  // namespace idle_internal

// Sleeps until an interrupt unless `has_work()`, input or a due wake-up say
// there is something to do; `has_work` runs with IRQs masked. Returns
// whether it slept. It may return without anything having happened: loop.
template <typename HasWork>
bool SleepUnless(HasWork&& has_work) {
  const std::uint32_t state = MaskInterrupts();
  const bool sleep = !InputPending() && !WakeupDue() && !has_work();
  if (sleep) idle_internal::WaitMasked();
  RestoreInterrupts(state);  // the interrupt that ended the sleep runs here
  return sleep;
}

inline bool WaitForInterrupt() {
  return SleepUnless([] { return false; });
}

// Receive accounting of one UART (ConsoleReceiveStats here,
// NetworkReceiveStats in network_uart.h).
// Receive is flow-controlled: a full ring leaves bytes in the UART (see
// platforms/README.md), so both overrun counts stay 0 in normal operation;
// they are kept as evidence that nothing was lost.
struct UartReceiveStats {
  std::uint32_t received;           // bytes put in the ring (mod 2^32)
  std::uint32_t ring_overruns;      // bytes dropped: the ring was full
  std::uint32_t hardware_overruns;  // times the UART itself lost bytes
  std::uint32_t waiting;            // bytes in the ring now
  std::uint32_t throttles;  // times a full ring paused receive (mod 2^32)
};
UartReceiveStats ConsoleReceiveStats();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_IDLE_H_
