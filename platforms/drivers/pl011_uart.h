// Arm PrimeCell PL011 UART (used by the Versatile PB). 8N1, FIFOs on;
// transmit polled, receive polled or by interrupt (the RX* members, for
// platforms/common/uart_receiver.h).
#ifndef PLATFORMS_DRIVERS_PL011_UART_H_
#define PLATFORMS_DRIVERS_PL011_UART_H_

#include <cstdint>
#include <optional>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Pl011Uart {
 public:
  explicit constexpr Pl011Uart(std::uintptr_t base) : base_(base) {}

  // Turning the FIFOs on empties the receiver in QEMU's model
  // (hw/char/pl011.c). A caller that must not lose a byte received since
  // reset stops the UART (Stop: the receiver takes nothing more) and takes
  // what it holds (TryReadByte) before calling Init.
  void Stop() const { Write32(base_ + kCr, 0); }

  void Init(std::uint32_t clock_hz, std::uint32_t baud) const {
    Write32(base_ + kCr, 0);
    Write32(base_ + kImsc, 0);  // no interrupts until asked for
    // Baud divisor in 1/64 steps: integer part in IBRD, fraction in FBRD.
    const std::uint32_t divisor_x64 = (4 * clock_hz + baud / 2) / baud;
    Write32(base_ + kIbrd, divisor_x64 >> 6);
    Write32(base_ + kFbrd, divisor_x64 & 0x3f);
    Write32(base_ + kLcrH, kLcrHWordLength8 | kLcrHFifoEnable);
    Write32(base_ + kCr, kCrUartEnable | kCrTxEnable | kCrRxEnable);
  }

  void WriteByte(std::uint8_t byte) const {
    while ((Read32(base_ + kFr) & kFrTxFifoFull) != 0) {
    }
    Write32(base_ + kDr, byte);
  }

  std::optional<std::uint8_t> TryReadByte() const {
    if (!RxReady()) return std::nullopt;
    return ReadRx();
  }

  // Receive by interrupt: the RX interrupt is a level that stays raised
  // while the receive FIFO holds bytes (QEMU raises it from the first byte,
  // whatever IFLS says; hardware from the FIFO level or after a receive
  // timeout, hence both bits), so it needs no acknowledgement: reading the
  // FIFO empty lowers it.
  bool RxReady() const { return (Read32(base_ + kFr) & kFrRxFifoEmpty) == 0; }
  std::uint8_t ReadRx() const {
    return static_cast<std::uint8_t>(Read32(base_ + kDr));
  }
  // IMSC is written here and in Init only; the caller keeps the UART's
  // interrupt handler from running in between (read-modify-write).
  void SetRxInterrupt(bool enabled) const {
    const std::uint32_t imsc = Read32(base_ + kImsc);
    Write32(base_ + kImsc,
            enabled ? imsc | kIntRxAndTimeout : imsc & ~kIntRxAndTimeout);
  }
  void AckRxInterrupt() const {}
  // Whether the receive FIFO overflowed (bytes were lost) since the last
  // call.
  bool TakeRxOverrun() const {
    if ((Read32(base_ + kRis) & kIntOverrun) == 0) return false;
    Write32(base_ + kIcr, kIntOverrun);
    return true;
  }

 private:
  static constexpr std::uintptr_t kDr = 0x00;
  static constexpr std::uintptr_t kFr = 0x18;
  static constexpr std::uintptr_t kIbrd = 0x24;
  static constexpr std::uintptr_t kFbrd = 0x28;
  static constexpr std::uintptr_t kLcrH = 0x2c;
  static constexpr std::uintptr_t kCr = 0x30;
  static constexpr std::uintptr_t kImsc = 0x38;
  static constexpr std::uintptr_t kRis = 0x3c;
  static constexpr std::uintptr_t kIcr = 0x44;
  static constexpr std::uint32_t kFrRxFifoEmpty = 1u << 4;
  static constexpr std::uint32_t kFrTxFifoFull = 1u << 5;
  static constexpr std::uint32_t kLcrHFifoEnable = 1u << 4;
  static constexpr std::uint32_t kLcrHWordLength8 = 3u << 5;
  static constexpr std::uint32_t kCrUartEnable = 1u << 0;
  static constexpr std::uint32_t kCrTxEnable = 1u << 8;
  static constexpr std::uint32_t kCrRxEnable = 1u << 9;
  static constexpr std::uint32_t kIntRxAndTimeout = (1u << 4) | (1u << 6);
  static constexpr std::uint32_t kIntOverrun = 1u << 10;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_PL011_UART_H_
