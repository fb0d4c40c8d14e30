// The secure fleet node: everything a node does, independent of the board.
//
// The node is fed console lines and network bytes and answers through two
// sinks; main.cc connects those to the board's UARTs, tests connect two
// nodes to each other in memory. PROTOCOL.md is the specification.
//
// Buffers come from the node's pools and keys live in its crypto workspace
// (node_resources.h), both static; the node itself holds only framing and
// replay state. Nothing is allocated from a heap.
#ifndef APPS_SECURE_NODE_NODE_H_
#define APPS_SECURE_NODE_NODE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node_resources.h"
#include "wire/cobs.h"
#include "wire/frame_reader.h"
#include "wire/header.h"
#include "wire/replay_window.h"

namespace secure_node {

// Where the node's output goes.
class NodeOutput {
 public:
  virtual void ConsoleLine(std::string_view line) = 0;          // no line end
  virtual void NetworkBytes(std::span<const std::uint8_t> bytes) = 0;

 protected:
  ~NodeOutput() = default;
};

struct NodeStats {
  std::uint32_t tx = 0;
  std::uint32_t rx_ok = 0;
  std::uint32_t rej_malformed = 0;
  std::uint32_t rej_misrouted = 0;
  std::uint32_t rej_unknown_peer = 0;
  std::uint32_t rej_epoch = 0;
  std::uint32_t rej_replay = 0;
  std::uint32_t rej_forged = 0;
  std::uint32_t rej_locked_out = 0;  // refused: workspace locked out
  std::uint32_t violations = 0;
};

class Node {
 public:
  static constexpr std::size_t kMaxPayloadBytes = 4096;
  static constexpr std::size_t kMaxLineBytes = 160;
  static constexpr std::size_t kPeerSlots = 256;  // indexed by node id

  // `resources` must outlive the node and serve no one else.
  Node(NodeOutput& output, NodeResources& resources)
      : output_(output), resources_(resources), keys_(resources.crypto) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Prints READY (after the board's BOOT line).
  void Start();

  // One byte from the console UART; a complete line is executed.
  void ConsoleByte(std::uint8_t byte);
  // One byte from the network UART; a complete frame is processed.
  void NetworkByte(std::uint8_t byte);

  // A whole console line (without its line end), e.g. "STATS".
  void ExecuteLine(std::string_view line);

  const NodeStats& stats() const { return stats_; }
  std::uint8_t id() const { return id_; }
  std::uint32_t epoch() const { return epoch_; }
  const wire::FrameReaderStats& framing_stats() const { return reader_.stats(); }

 private:
  static constexpr std::size_t kMaxEncodedFrame = wire::CobsMaxEncodedSize(wire::kMaxFrameBytes);

  void Provision(std::span<const std::string_view> args);
  void Send(std::span<const std::string_view> args);
  void Rotate(std::span<const std::string_view> args);
  void ReportStats();
  void Reset();

  void ReceiveFrame(std::span<std::uint8_t> encoded);
  void Reject(std::uint8_t source, std::string_view reason);
  // A large pool block, or nullptr after replying/rejecting with `reason`.
  std::byte* LargeBlock(pool::UniqueBlock& block, std::size_t size);
  void Reply(std::string_view line) { output_.ConsoleLine(line); }

  NodeOutput& output_;
  NodeResources& resources_;
  std::uint8_t id_ = 0;  // 0: not provisioned
  std::uint32_t epoch_ = 0;
  LinkKeys keys_;
  std::array<std::uint32_t, kPeerSlots> tx_sequence_{};  // last sent, per peer
  std::array<wire::ReplayWindow, kPeerSlots> replay_{};
  NodeStats stats_;

  // Console line assembly.
  std::array<char, kMaxLineBytes> line_{};
  std::size_t line_size_ = 0;
  bool line_overflow_ = false;

  // Network: the receive side's frame assembly (frames and plaintext live
  // in pool blocks and workspace buffers only while they are handled).
  wire::FrameReader<kMaxEncodedFrame> reader_;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_NODE_H_
