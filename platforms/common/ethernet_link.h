// The network byte stream over Ethernet (mps3_an536: its LAN9118). The
// stream is exactly the one the network UART carries (COBS frames with 0x00
// delimiters); Ethernet is only a faster pipe for it: QEMU hands a whole
// frame to the controller at once, where its CMSDK UART takes one byte per
// round trip through its main loop.
//
// On the wire (platforms/README.md, "The network link over Ethernet"):
//   stream frame: destination MAC, source MAC, ethertype 0x88B5, a 16-bit
//     big-endian count L (1..kMaxPayload), then L stream bytes, then zeros
//     up to the 60-byte minimum frame (never part of the stream).
//   credit frame (node to peer only): ethertype 0x88B6, then the 32-bit
//     big-endian count of stream frames the node has taken out of its
//     controller since boot (mod 2^32), zeros up to 60 bytes.
// The peer keeps at most kWindowFrames stream frames sent and not yet
// credited, and sends none before the node's first credit frame: a frame
// that arrives before the MAC's receiver is on is dropped too. The node
// sends one (Announce) once its controller receives; as that one may be
// lost (QEMU's netdev stream client connects asynchronously, and drops what
// the NIC sends before), a peer with bytes to send and no credit yet sends
// a probe, a credit frame of its own (ethertype 0x88B6, count 0), and
// repeats it now and then: the node answers every probe with a credit frame
// and counts probes as no frame taken. That is the flow control:
// QEMU's lan9118 drops a frame its RX FIFO has no room for (hw/net/lan9118.c
// has no can_receive, and its receive returns -1, "dropped", when the FIFO is
// full), so the sender must never overfill it; kWindowFrames full frames fit in
// it with room to spare.
//
// Receive mirrors uart_receiver.h: by interrupt into a single-producer/
// single-consumer ring, nothing dropped for lack of room. When the ring
// cannot take the rest of a frame, the rest is held here and draining stops
// ("throttled"): frames then wait in the controller, the node sends no
// credit, and the peer stops at its window. TryRead resumes once the ring
// has drained to kResumeLevel, moving what is held and what waits in the
// controller itself, with IRQs masked (the controller's RX interrupt is
// raised by a frame's arrival, not by frames waiting). Bytes stay in order:
// only Drain puts them in the ring, in the handler or with IRQs masked.
//
// Transmit: Write cuts the bytes into stream frames of at most kMaxPayload
// bytes and sends them before it returns (so no byte waits for a later
// call), each with IRQs masked: the handler sends credit frames through the
// same TX FIFO.
//
// Nic is a driver like drivers/lan9118.h, passed to each call.
#ifndef PLATFORMS_COMMON_ETHERNET_LINK_H_
#define PLATFORMS_COMMON_ETHERNET_LINK_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "board/idle.h"
#include "platforms/common/spsc_ring.h"

namespace board::internal {

inline constexpr std::uint16_t kStreamEthertype = 0x88b5;
inline constexpr std::uint16_t kCreditEthertype = 0x88b6;
inline constexpr std::size_t kEthernetHeaderBytes = 14;
// A stream frame's payload: the 2-byte count and the stream bytes.
inline constexpr std::size_t kMaxPayload = 1500 - 2;
inline constexpr std::uint32_t kWindowFrames = 6;

template <typename Nic, std::size_t RingBytes>
class EthernetLink {
 public:
  static constexpr std::size_t kResumeLevel = RingBytes / 2;
  // The node credits at least every kCreditEvery frames taken, and whenever
  // the controller's RX FIFO runs empty.
  static constexpr std::uint32_t kCreditEvery = kWindowFrames / 2;

  constexpr EthernetLink() = default;

  // Tells the peer the link is up (a credit frame for 0 frames): the peer
  // sends nothing before it. Once, right after the controller's Init, IRQs
  // masked.
  void Announce(const Nic& nic) { SendCredit(nic); }

  // Switches from polling to interrupts (the caller attached OnInterrupt
  // and masked IRQs).
  void Start(const Nic& nic) {
    started_ = true;
    nic.SetRxInterrupt(true);
    OnInterrupt(nic);
  }

  void OnInterrupt(const Nic& nic) {
    nic.AckRxInterrupt();
    if (!throttled_) Drain(nic);
  }

  std::optional<std::uint8_t> TryRead(const Nic& nic) {
    std::optional<std::uint8_t> byte = ring_.Pop();
    if (!started_) {
      if (!byte.has_value()) {
        const std::uint32_t state = MaskInterrupts();
        throttled_ = false;
        Drain(nic);
        RestoreInterrupts(state);
        byte = ring_.Pop();
      }
      return byte;
    }
    if (throttled_ && ring_.Size() <= kResumeLevel) Resume(nic);
    return byte;
  }

  bool Pending(const Nic& nic) const {
    return !ring_.Empty() || (!started_ && nic.RxFrames() > 0);
  }

  void Write(const Nic& nic, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
      const std::size_t n = size < kMaxPayload ? size : kMaxPayload;
      const std::uint32_t state = MaskInterrupts();
      std::size_t at = Header(kStreamEthertype);
      tx_[at++] = static_cast<std::uint8_t>(n >> 8);
      tx_[at++] = static_cast<std::uint8_t>(n);
      for (std::size_t i = 0; i < n; ++i) tx_[at++] = data[i];
      Send(nic, at);
      RestoreInterrupts(state);
      data += n;
      size -= n;
    }
  }

  UartReceiveStats Stats() const {
    return {
        .received = ring_.Pushed(),
        .ring_overruns = ring_.Dropped(),
        .hardware_overruns = bad_frames_,
        .waiting = static_cast<std::uint32_t>(ring_.Size()),
        .throttles = throttles_,
    };
  }

 private:
  // Moves held bytes, then frames from the controller, into the ring until
  // it is full or the controller is empty; credits the peer. In the handler
  // or with IRQs masked.
  void Drain(const Nic& nic) {
    bool took = false;
    bool probed = false;
    for (;;) {
      while (held_ < held_end_ && !ring_.Full()) ring_.Push(rx_[held_++]);
      if (held_ < held_end_) {
        throttled_ = true;
        throttles_ = throttles_ + 1;
        break;
      }
      if (nic.RxFrames() == 0) break;
      const std::size_t size = nic.ReadFrame(rx_);
      held_ = held_end_ = 0;
      const std::uint32_t type = size >= kEthernetHeaderBytes
                                     ? (std::uint32_t{rx_[12]} << 8) | rx_[13]
                                     : 0;
      if (type == kCreditEthertype) {  // a probe: answered, not counted
        probed = true;
        continue;
      }
      frames_taken_ = frames_taken_ + 1;
      took = true;
      const std::size_t count =
          size >= kEthernetHeaderBytes + 2
              ? (std::size_t{rx_[kEthernetHeaderBytes]} << 8) |
                    rx_[kEthernetHeaderBytes + 1]
              : 0;
      if (size < kEthernetHeaderBytes + 2 || type != kStreamEthertype ||
          count == 0 || kEthernetHeaderBytes + 2 + count > size) {
        bad_frames_ = bad_frames_ + 1;
        continue;
      }
      held_ = kEthernetHeaderBytes + 2;
      held_end_ = held_ + count;
    }
    if (probed ||
        (took && (nic.RxFrames() == 0 ||
                  frames_taken_ - frames_credited_ >= kCreditEvery))) {
      SendCredit(nic);
    }
  }

  [[gnu::noinline]] void Resume(const Nic& nic) {
    const std::uint32_t state = MaskInterrupts();
    throttled_ = false;
    Drain(nic);
    RestoreInterrupts(state);
  }

  void SendCredit(const Nic& nic) {
    std::size_t at = Header(kCreditEthertype);
    const std::uint32_t taken = frames_taken_;
    for (int shift = 24; shift >= 0; shift -= 8) {
      tx_[at++] = static_cast<std::uint8_t>(taken >> shift);
    }
    Send(nic, at);
    frames_credited_ = taken;
  }

  // Fixed, locally administered addresses: the link is point to point
  // (QEMU's netdev to the harness), and the controller is promiscuous.
  std::size_t Header(std::uint16_t ethertype) {
    constexpr std::uint8_t kPeer[6] = {0x02, 0, 0, 0, 0, 0x02};
    constexpr std::uint8_t kNode[6] = {0x02, 0, 0, 0, 0, 0x01};
    for (int i = 0; i < 6; ++i) {
      tx_[i] = kPeer[i];
      tx_[6 + i] = kNode[i];
    }
    tx_[12] = static_cast<std::uint8_t>(ethertype >> 8);
    tx_[13] = static_cast<std::uint8_t>(ethertype);
    return kEthernetHeaderBytes;
  }

  // Pads to the minimum frame with zeros (after the stream bytes, so never
  // read as stream) and sends. IRQs masked or in the handler.
  void Send(const Nic& nic, std::size_t size) {
    while (size < Nic::kMinFrameBytes) tx_[size++] = 0;
    nic.WriteFrame(tx_, size);
  }

  SpscRing<RingBytes> ring_;
  std::uint8_t rx_[Nic::kMaxFrameBytes + 4] = {};
  std::uint8_t tx_[Nic::kMaxFrameBytes] = {};
  // rx_[held_, held_end_): stream bytes taken from the controller that the
  // ring had no room for yet.
  std::size_t held_ = 0;
  std::size_t held_end_ = 0;
  bool started_ = false;
  // Written by the handler, or by the main loop with IRQs masked.
  volatile bool throttled_ = false;
  volatile std::uint32_t throttles_ = 0;
  volatile std::uint32_t bad_frames_ = 0;
  std::uint32_t frames_taken_ = 0;
  std::uint32_t frames_credited_ = 0;
};

}  // namespace board::internal

#endif  // PLATFORMS_COMMON_ETHERNET_LINK_H_
