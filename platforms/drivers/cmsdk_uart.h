// Arm CMSDK APB UART (used by the MPS3 AN536 image). 8N1; transmit polled,
// receive polled or by interrupt (the RX* members, for
// platforms/common/uart_receiver.h).
#ifndef PLATFORMS_DRIVERS_CMSDK_UART_H_
#define PLATFORMS_DRIVERS_CMSDK_UART_H_

#include <cstdint>
#include <optional>

#include "platforms/drivers/mmio.h"

namespace drivers {

class CmsdkUart {
 public:
  explicit constexpr CmsdkUart(std::uintptr_t base) : base_(base) {}

  void Init(std::uint32_t clock_hz, std::uint32_t baud) const {
    Write32(base_ + kBaudDiv, clock_hz / baud);
    Write32(base_ + kCtrl, kCtrlTxEnable | kCtrlRxEnable);
    // One read of DATA with the buffer empty: harmless on hardware (it only
    // clears RXFULL, already clear). QEMU's model refuses input while RX is
    // disabled and asks its character backend for more only when DATA is
    // read, so without this read, input that arrived during boot can stall
    // until the first byte is read, which never happens.
    (void)Read32(base_ + kData);
  }

  void WriteByte(std::uint8_t byte) const {
    while ((Read32(base_ + kState) & kStateTxFull) != 0) {
    }
    Write32(base_ + kData, byte);
  }

  std::optional<std::uint8_t> TryReadByte() const {
    if (!RxReady()) return std::nullopt;
    return ReadRx();
  }

  // Receive by interrupt. The UART has a one-byte receive buffer and no
  // FIFO. Its RX interrupt is latched when a byte arrives (INTSTATUS.RX)
  // and stays raised until written 1 to clear, whether or not the byte is
  // read; so a byte already waiting when the interrupt is enabled raises
  // nothing. So a handler acknowledges first and then reads while
  // RxReady(): a byte that lands after the acknowledgement raises the
  // interrupt again, where acknowledging last could clear the interrupt of
  // a byte never read (and QEMU's model, with its one-byte buffer, would
  // then deliver nothing more).
  bool RxReady() const { return (Read32(base_ + kState) & kStateRxFull) != 0; }
  std::uint8_t ReadRx() const {
    return static_cast<std::uint8_t>(Read32(base_ + kData));
  }
  // CTRL is written here and in Init only; the caller keeps the UART's
  // interrupt handler from running in between (read-modify-write).
  void SetRxInterrupt(bool enabled) const {
    const std::uint32_t ctrl = Read32(base_ + kCtrl);
    Write32(base_ + kCtrl,
            enabled ? ctrl | kCtrlRxIntEnable : ctrl & ~kCtrlRxIntEnable);
  }
  void AckRxInterrupt() const { Write32(base_ + kIntStatus, kIntRx); }
  // Whether a byte arrived while the buffer was still full (and was lost)
  // since the last call.
  bool TakeRxOverrun() const {
    if ((Read32(base_ + kState) & kStateRxOverrun) == 0) return false;
    Write32(base_ + kState, kStateRxOverrun);  // write 1 to clear
    return true;
  }

 private:
  static constexpr std::uintptr_t kData = 0x00;
  static constexpr std::uintptr_t kState = 0x04;
  static constexpr std::uintptr_t kCtrl = 0x08;
  static constexpr std::uintptr_t kIntStatus = 0x0c;
  static constexpr std::uintptr_t kBaudDiv = 0x10;
  static constexpr std::uint32_t kStateTxFull = 1u << 0;
  static constexpr std::uint32_t kStateRxFull = 1u << 1;
  static constexpr std::uint32_t kStateRxOverrun = 1u << 3;
  static constexpr std::uint32_t kCtrlTxEnable = 1u << 0;
  static constexpr std::uint32_t kCtrlRxEnable = 1u << 1;
  static constexpr std::uint32_t kCtrlRxIntEnable = 1u << 3;
  static constexpr std::uint32_t kIntRx = 1u << 1;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_CMSDK_UART_H_
