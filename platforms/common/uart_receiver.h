// Receive by interrupt, flow-controlled: a UART's receive interrupt handler
// moves the bytes the UART holds into a single-producer/single-consumer ring
// (spsc_ring.h); the main loop takes them out with TryRead.
//
// Nothing is ever dropped for lack of room. When the ring is full the
// handler stops reading and masks the UART's receive interrupt
// ("throttled"): the bytes stay in the UART, whose receiver is then full,
// so the sender is held back (QEMU's character backend stops reading its
// socket, pipe or file while the UART cannot take a byte; on hardware a
// full receiver overruns, hence the overrun count). TryRead unmasks the
// interrupt once the ring has drained to kResumeLevel, and then itself
// moves what waits in the UART, with IRQs masked: the CMSDK UART latches
// its interrupt when a byte arrives, so a byte that arrived while it was
// masked raises nothing when it is unmasked (the PL011's is a level and
// would). The rest keeps coming by interrupt. Bytes stay in order: only
// the handler, or TryRead with IRQs masked, reads the UART, and always
// into the ring's tail.
//
// Counted, never silent: bytes a full ring could not take (none, unless
// this logic is broken), the times the UART itself lost bytes (its overrun
// flag), and the times receive was throttled.
//
// Uart is a driver with the RX* members (drivers/cmsdk_uart.h,
// drivers/pl011_uart.h), passed to each call: the receiver itself holds
// only zeros at start-up, so it lives in .bss, not in the image.
#ifndef PLATFORMS_COMMON_UART_RECEIVER_H_
#define PLATFORMS_COMMON_UART_RECEIVER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "board/idle.h"
#include "platforms/common/spsc_ring.h"

namespace board::internal {

template <typename Uart, std::size_t RingBytes>
class UartReceiver {
 public:
  // A throttled receiver resumes once the ring holds at most this many
  // bytes: half of it, so resuming costs one unmask per half ring, not one
  // interrupt per freed byte.
  static constexpr std::size_t kResumeLevel = RingBytes / 2;

  constexpr UartReceiver() = default;

  // Until Start, the receiver polls: TryRead serves `early` (a byte the
  // caller took out of the UART before initialising it, see
  // drivers/pl011_uart.h) and then reads the UART directly, which holds the
  // sender back by itself when nobody reads.
  void Keep(std::uint8_t early) { ring_.Push(early); }

  // Switches to interrupts: enables the receive interrupt and takes what is
  // already waiting (a byte that arrived before may raise no interrupt).
  // The caller attaches OnInterrupt first and keeps it from running
  // meanwhile (IRQs masked).
  void Start(const Uart& uart) {
    started_ = true;
    uart.SetRxInterrupt(true);
    OnInterrupt(uart);
  }

  // The interrupt handler. Acknowledges first, then reads while the UART
  // holds bytes and the ring has room (see drivers/cmsdk_uart.h for why in
  // this order); at most kMaxBytesPerInterrupt, so a sender that never
  // pauses cannot keep the core in the handler: what is left keeps the
  // interrupt raised. A full ring throttles: the receive interrupt is
  // masked and the bytes stay in the UART until TryRead resumes.
  void OnInterrupt(const Uart& uart) {
    uart.AckRxInterrupt();
    for (int i = 0;
         i < kMaxBytesPerInterrupt && !ring_.Full() && uart.RxReady(); ++i) {
      ring_.Push(uart.ReadRx());
    }
    if (ring_.Full() && !throttled_) {
      uart.SetRxInterrupt(false);
      // A byte latched (CMSDK) since the acknowledgement above would enter
      // the handler once more for nothing: clear it too.
      uart.AckRxInterrupt();
      throttled_ = true;
      throttles_ = throttles_ + 1;
    }
    if (uart.TakeRxOverrun()) hardware_overruns_ = hardware_overruns_ + 1;
  }

  // The consumer (main loop only). Resumes a throttled receiver once the
  // ring has drained to kResumeLevel. The handler sets throttled_ only on a
  // full ring, so the consumer sees it with at least kResumeLevel pops to
  // go: the ring never runs empty while throttled.
  std::optional<std::uint8_t> TryRead(const Uart& uart) {
    const std::optional<std::uint8_t> byte = ring_.Pop();
    if (!started_) {
      if (byte.has_value() || !uart.RxReady()) return byte;
      const std::uint8_t polled = uart.ReadRx();
      ++polled_;
      return polled;
    }
    if (throttled_ && ring_.Size() <= kResumeLevel) Resume(uart);
    return byte;
  }
  bool Pending(const Uart& uart) const {
    return !ring_.Empty() || (!started_ && uart.RxReady());
  }

  UartReceiveStats Stats() const {
    return {
        .received = ring_.Pushed() + polled_,
        .ring_overruns = ring_.Dropped(),
        .hardware_overruns = hardware_overruns_,
        .waiting = static_cast<std::uint32_t>(ring_.Size()),
        .throttles = throttles_,
    };
  }

 private:
  static constexpr int kMaxBytesPerInterrupt = 64;

  // Unmasks the receive interrupt, then moves what already waits (for the
  // CMSDK UART, a byte that arrived while masked raises nothing), exactly
  // as the handler does, so a ring that fills again throttles again. IRQs
  // masked: the handler must not run in between (CTRL/IMSC are
  // read-modify-written, and bytes must enter the ring in order).
  [[gnu::noinline]] void Resume(const Uart& uart) {
    const std::uint32_t state = MaskInterrupts();
    throttled_ = false;
    uart.SetRxInterrupt(true);
    OnInterrupt(uart);
    RestoreInterrupts(state);
  }

  SpscRing<RingBytes> ring_;
  bool started_ = false;      // main loop only
  std::uint32_t polled_ = 0;  // bytes TryRead took from the UART itself
  // Written by the handler (set) and by Resume with IRQs masked (clear).
  volatile bool throttled_ = false;
  volatile std::uint32_t throttles_ = 0;
  volatile std::uint32_t hardware_overruns_ = 0;
};

}  // namespace board::internal

#endif  // PLATFORMS_COMMON_UART_RECEIVER_H_
