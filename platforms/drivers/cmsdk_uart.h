// Arm CMSDK APB UART (used by the MPS3 AN536 image). Polled, 8N1.
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
    if ((Read32(base_ + kState) & kStateRxFull) == 0) return std::nullopt;
    return static_cast<std::uint8_t>(Read32(base_ + kData));
  }

 private:
  static constexpr std::uintptr_t kData = 0x00;
  static constexpr std::uintptr_t kState = 0x04;
  static constexpr std::uintptr_t kCtrl = 0x08;
  static constexpr std::uintptr_t kBaudDiv = 0x10;
  static constexpr std::uint32_t kStateTxFull = 1u << 0;
  static constexpr std::uint32_t kStateRxFull = 1u << 1;
  static constexpr std::uint32_t kCtrlTxEnable = 1u << 0;
  static constexpr std::uint32_t kCtrlRxEnable = 1u << 1;

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_CMSDK_UART_H_
