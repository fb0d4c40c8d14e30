// The harness's end of a node's network link over Ethernet (mps3_an536,
// whose LAN9118 QEMU connects to a Unix socket with `-netdev stream`).
//
// On the socket every packet is QEMU's stream framing: a 4-byte big-endian
// length, then the Ethernet frame (net/stream.c). The frames carry the same
// byte stream the network UART of the other board carries
// (platforms/common/ethernet_link.h is the node's side):
//   stream frame (ethertype 0x88B5): a 16-bit big-endian count, that many
//     stream bytes (at most kMaxPayload), zeros up to 60 bytes;
//   credit frame (0x88B6, node to harness): the 32-bit big-endian count of
//     stream frames the node has taken from its controller since boot.
// The harness keeps at most kWindowFrames stream frames sent and not yet
// credited, and sends none before the node's first credit frame: QEMU's
// lan9118 drops a frame its RX FIFO has no room for, and any frame before
// the MAC's receiver is on. The node sends one once its controller
// receives, which may be lost (QEMU's stream client connects
// asynchronously); so until a credit came, each Queue also sends a probe
// (a credit frame of the harness's, count 0), which the node answers with a
// credit frame, and so does ProbeIfWaiting, which the caller repeats in case
// a probe was lost too.
//
// One object per connection (a node's life). No I/O here: the caller writes
// Output() to the socket, reports how much it took (Wrote), and hands what
// it read to Receive.
#ifndef SIM_ETHERNET_STREAM_H_
#define SIM_ETHERNET_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>

namespace sim {

// Whether a board's network link is Ethernet (else the stream itself).
bool UsesEthernetLink(std::string_view board);

class EthernetStream {
 public:
  static constexpr std::size_t kMaxPayload = 1498;
  static constexpr std::uint32_t kWindowFrames = 6;
  static constexpr std::size_t kMinFrameBytes = 60;
  static constexpr std::uint16_t kStreamEthertype = 0x88b5;
  static constexpr std::uint16_t kCreditEthertype = 0x88b6;

  // Stream bytes for the node: framed into Output() as the window allows.
  void Queue(std::span<const std::uint8_t> bytes);
  // While bytes wait for the node's first credit, puts a probe into
  // Output() (the last may have been lost); whether it did. The caller
  // repeats it now and then.
  bool ProbeIfWaiting();
  // Packets for the socket.
  const std::string& Output() const { return out_; }
  // The socket took the first `n` bytes of Output().
  void Wrote(std::size_t n);
  // Stream bytes whose packets were written whole.
  std::uint64_t stream_bytes_written() const { return written_; }
  // Stream bytes queued and not yet written whole.
  std::size_t backlog() const { return pending_.size() + out_stream_bytes_; }

  // Bytes read from the socket: appends the stream bytes of complete stream
  // frames to `stream`, takes credits (which may frame more into Output()).
  void Receive(std::string_view raw, std::string* stream);

  std::uint32_t frames_sent() const { return sent_; }
  std::uint32_t frames_credited() const { return credited_; }
  // Whether the node announced itself (its first credit frame).
  bool open() const { return open_; }
  // Packets that were neither a stream nor a credit frame.
  std::uint64_t bad_packets() const { return bad_packets_; }

 private:
  void Frame();

  std::string pending_;  // stream bytes not framed yet
  std::string out_;      // packets not written yet
  struct Packet {
    std::size_t bytes_left;  // of the packet, in out_
    std::size_t stream_bytes;
  };
  std::deque<Packet> packets_;  // those in out_, in order
  std::size_t out_stream_bytes_ = 0;
  std::uint64_t written_ = 0;
  std::string in_;  // a partial packet read
  std::uint32_t sent_ = 0;
  std::uint32_t credited_ = 0;
  bool open_ = false;  // a credit frame arrived
  std::uint64_t bad_packets_ = 0;
};

}  // namespace sim

#endif  // SIM_ETHERNET_STREAM_H_
