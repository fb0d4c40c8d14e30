// SMSC LAN9118 Ethernet controller (the MPS3 AN536 image has a LAN9220,
// software compatible; QEMU models it as a lan9118), 32-bit bus mode.
// Polled register access for platforms/common/ethernet_link.h: frames in
// through the RX status and data FIFOs, out through the TX data FIFO, one
// interrupt line (RX status FIFO level).
//
// Register layout and bits: LAN9118 data sheet (SMSC, rev. 1.5), section 5;
// as QEMU implements them in hw/net/lan9118.c.
#ifndef PLATFORMS_DRIVERS_LAN9118_H_
#define PLATFORMS_DRIVERS_LAN9118_H_

#include <cstddef>
#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Lan9118 {
 public:
  // Largest frame the driver sends or takes: a full 1500-byte payload plus
  // the 14-byte header (no VLAN tag); the FCS is the controller's.
  static constexpr std::size_t kMaxFrameBytes = 1514;
  static constexpr std::size_t kMinFrameBytes = 60;  // without FCS

  explicit constexpr Lan9118(std::uintptr_t base) : base_(base) {}

  // Soft reset, then: interrupt line active high, push-pull, enabled, but
  // no source enabled yet; MAC receiving and transmitting, promiscuous
  // (every frame is taken: the link is point to point), full duplex;
  // transmitter on, its status FIFO allowed to overrun (nobody reads it).
  // False if no LAN9118 answers at `base`.
  bool Init() const {
    if ((Read32(base_ + kIdRev) >> 16) != 0x0118 &&
        (Read32(base_ + kIdRev) >> 16) != 0x9220) {
      return false;
    }
    if (Read32(base_ + kByteTest) != 0x8765'4321u) return false;
    Write32(base_ + kHwCfg, kHwCfgSoftReset);
    for (int i = 0; i < 100'000; ++i) {
      if ((Read32(base_ + kHwCfg) & kHwCfgSoftReset) == 0 &&
          (Read32(base_ + kPmtCtrl) & kPmtCtrlReady) != 0) {
        break;
      }
    }
    if ((Read32(base_ + kHwCfg) & kHwCfgSoftReset) != 0) return false;
    Write32(base_ + kIntEn, 0);
    Write32(base_ + kIntSts, 0xffff'ffffu);
    Write32(base_ + kIrqCfg,
            kIrqCfgEnable | kIrqCfgPolarityHigh | kIrqCfgPushPull);
    // RX status FIFO level interrupt: raised when more than 0 statuses
    // wait.
    Write32(base_ + kFifoInt, 0x4800'0000u);
    Write32(base_ + kRxCfg, 0);  // no end alignment, no offset
    Write32(base_ + kTxCfg, kTxCfgOn | kTxCfgStatusAllowOverrun);
    WriteMac(kMacCr, kMacCrRxEnable | kMacCrTxEnable | kMacCrPromiscuous |
                         kMacCrFullDuplex);
    return true;
  }

  // Receive interrupt: the RX status FIFO level (RSFL). Raised by a frame's
  // arrival; it stays raised until acknowledged, whether or not the frame
  // is taken, and a frame that waits when it is acknowledged raises
  // nothing. So a handler acknowledges first and then takes frames while
  // RxFrames() > 0.
  void SetRxInterrupt(bool enabled) const {
    Write32(base_ + kIntEn, enabled ? kIntRsfl : 0u);
  }
  void AckRxInterrupt() const { Write32(base_ + kIntSts, kIntRsfl); }

  // Frames waiting in the RX FIFO.
  std::uint32_t RxFrames() const {
    return (Read32(base_ + kRxFifoInf) >> 16) & 0xff;
  }
  // Takes the next frame (RxFrames() > 0) into `frame`: returns its length
  // without the FCS, or 0 for a frame with an error or longer than
  // kMaxFrameBytes, which is skipped.
  std::size_t ReadFrame(std::uint8_t (&frame)[kMaxFrameBytes + 4]) const {
    const std::uint32_t status = Read32(base_ + kRxStatusFifo);
    const std::size_t with_fcs = (status >> 16) & 0x3fff;
    const std::size_t words = (with_fcs + 3) / 4;
    const bool usable = (status & kRxStatusError) == 0 && with_fcs >= 4 &&
                        with_fcs <= kMaxFrameBytes + 4;
    if (!usable) {
      // Fast-forward past the frame's data (a short frame, under 4 words,
      // is read out instead, as the data sheet asks).
      if (words < 4) {
        for (std::size_t i = 0; i < words; ++i) (void)Read32(base_ + kRxData);
      } else {
        Write32(base_ + kRxDpCtrl, kRxDpCtrlFastForward);
        // The data sheet: no RX data read until the fast-forward is done.
        while ((Read32(base_ + kRxDpCtrl) & kRxDpCtrlFastForward) != 0) {
        }
      }
      return 0;
    }
    // Whole words, then the last one's bytes that belong to the frame: a
    // frame of kMaxFrameBytes + 4 - 1 or - 2 bytes ends inside its last
    // word, whose padding must not land past `frame`.
    const std::size_t whole = with_fcs / 4;
    for (std::size_t i = 0; i < whole; ++i) {
      const std::uint32_t word = Read32(base_ + kRxData);  // little-endian
      frame[4 * i] = static_cast<std::uint8_t>(word);
      frame[4 * i + 1] = static_cast<std::uint8_t>(word >> 8);
      frame[4 * i + 2] = static_cast<std::uint8_t>(word >> 16);
      frame[4 * i + 3] = static_cast<std::uint8_t>(word >> 24);
    }
    if (whole < words) {
      const std::uint32_t word = Read32(base_ + kRxData);
      for (std::size_t at = 4 * whole; at < with_fcs; ++at) {
        frame[at] = static_cast<std::uint8_t>(word >> (8 * (at - 4 * whole)));
      }
    }
    return with_fcs - 4;
  }

  // Sends one frame of `size` bytes (kMinFrameBytes..kMaxFrameBytes; the
  // caller pads), as a single buffer. Waits for room in the TX data FIFO.
  // The caller keeps anything else from writing the TX FIFO meanwhile.
  void WriteFrame(const std::uint8_t* frame, std::size_t size) const {
    const std::uint32_t words = static_cast<std::uint32_t>((size + 3) / 4);
    while ((Read32(base_ + kTxFifoInf) & 0xffff) < 4 * words + 8) {
    }
    const std::uint32_t length = static_cast<std::uint32_t>(size);
    Write32(base_ + kTxData, kTxCmdAFirst | kTxCmdALast | length);
    Write32(base_ + kTxData, (length << 16) | length);  // tag, packet length
    for (std::uint32_t i = 0; i < words; ++i) {
      std::uint32_t word = 0;
      for (std::uint32_t b = 0; b < 4; ++b) {
        const std::size_t at = 4 * i + b;
        if (at < size) word |= std::uint32_t{frame[at]} << (8 * b);
      }
      Write32(base_ + kTxData, word);
    }
  }

 private:
  static constexpr std::uintptr_t kRxData = 0x00;
  static constexpr std::uintptr_t kTxData = 0x20;
  static constexpr std::uintptr_t kRxStatusFifo = 0x40;
  static constexpr std::uintptr_t kIdRev = 0x50;
  static constexpr std::uintptr_t kIrqCfg = 0x54;
  static constexpr std::uintptr_t kIntSts = 0x58;
  static constexpr std::uintptr_t kIntEn = 0x5c;
  static constexpr std::uintptr_t kByteTest = 0x64;
  static constexpr std::uintptr_t kFifoInt = 0x68;
  static constexpr std::uintptr_t kRxCfg = 0x6c;
  static constexpr std::uintptr_t kTxCfg = 0x70;
  static constexpr std::uintptr_t kHwCfg = 0x74;
  static constexpr std::uintptr_t kRxDpCtrl = 0x78;
  static constexpr std::uintptr_t kRxFifoInf = 0x7c;
  static constexpr std::uintptr_t kTxFifoInf = 0x80;
  static constexpr std::uintptr_t kPmtCtrl = 0x84;
  static constexpr std::uintptr_t kMacCsrCmd = 0xa4;
  static constexpr std::uintptr_t kMacCsrData = 0xa8;

  static constexpr std::uint32_t kIrqCfgEnable = 1u << 8;
  static constexpr std::uint32_t kIrqCfgPolarityHigh = 1u << 4;
  static constexpr std::uint32_t kIrqCfgPushPull = 1u << 0;
  static constexpr std::uint32_t kIntRsfl = 1u << 3;
  static constexpr std::uint32_t kTxCfgOn = 1u << 1;
  static constexpr std::uint32_t kTxCfgStatusAllowOverrun = 1u << 2;
  static constexpr std::uint32_t kHwCfgSoftReset = 1u << 0;
  static constexpr std::uint32_t kPmtCtrlReady = 1u << 0;
  static constexpr std::uint32_t kRxDpCtrlFastForward = 1u << 31;
  static constexpr std::uint32_t kRxStatusError = 1u << 15;
  static constexpr std::uint32_t kTxCmdAFirst = 1u << 13;
  static constexpr std::uint32_t kTxCmdALast = 1u << 12;
  static constexpr std::uint32_t kMacCsrBusy = 1u << 31;

  static constexpr std::uint32_t kMacCr = 1;
  static constexpr std::uint32_t kMacCrRxEnable = 1u << 2;
  static constexpr std::uint32_t kMacCrTxEnable = 1u << 3;
  static constexpr std::uint32_t kMacCrPromiscuous = 1u << 18;
  static constexpr std::uint32_t kMacCrFullDuplex = 1u << 20;

  void WriteMac(std::uint32_t reg, std::uint32_t value) const {
    while ((Read32(base_ + kMacCsrCmd) & kMacCsrBusy) != 0) {
    }
    Write32(base_ + kMacCsrData, value);
    Write32(base_ + kMacCsrCmd, kMacCsrBusy | reg);
    while ((Read32(base_ + kMacCsrCmd) & kMacCsrBusy) != 0) {
    }
  }

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_LAN9118_H_
