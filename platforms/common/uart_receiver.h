// Receive by interrupt: a UART's receive interrupt handler moves every byte
// the UART holds into a single-producer/single-consumer ring
// (spsc_ring.h); the main loop takes them out with TryRead. Overruns are
// counted, never silent: bytes the full ring could not take, and the times
// the UART itself lost bytes (its overrun flag).
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
  constexpr UartReceiver() = default;

  // Enables the receive interrupt and takes what is already waiting (a
  // byte that arrived before may raise no interrupt), after `early`: a byte
  // the caller took out of the UART before initialising it (see
  // drivers/pl011_uart.h). The caller attaches OnInterrupt first and keeps
  // it from running meanwhile (IRQs masked).
  void Start(const Uart& uart,
             std::optional<std::uint8_t> early = std::nullopt) {
    if (early.has_value()) ring_.Push(*early);
    uart.SetRxInterrupt(true);
    OnInterrupt(uart);
  }

  // The interrupt handler. Acknowledges first, then reads while the UART
  // holds bytes (see drivers/cmsdk_uart.h for why in this order); at most
  // kMaxBytesPerInterrupt, so a sender that never pauses cannot keep the
  // core in the handler: what is left keeps the interrupt raised.
  void OnInterrupt(const Uart& uart) {
    uart.AckRxInterrupt();
    for (int i = 0; i < kMaxBytesPerInterrupt && uart.RxReady(); ++i) {
      ring_.Push(uart.ReadRx());
    }
    if (uart.TakeRxOverrun()) hardware_overruns_ = hardware_overruns_ + 1;
  }

  std::optional<std::uint8_t> TryRead() { return ring_.Pop(); }
  bool Pending() const { return !ring_.Empty(); }

  UartReceiveStats Stats() const {
    return {
        .received = ring_.Pushed(),
        .ring_overruns = ring_.Dropped(),
        .hardware_overruns = hardware_overruns_,
        .waiting = static_cast<std::uint32_t>(ring_.Size()),
    };
  }

 private:
  static constexpr int kMaxBytesPerInterrupt = 64;

  SpscRing<RingBytes> ring_;
  volatile std::uint32_t hardware_overruns_ = 0;
};

}  // namespace board::internal

#endif  // PLATFORMS_COMMON_UART_RECEIVER_H_
