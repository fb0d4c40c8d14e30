// The secure fleet node: everything a node does, independent of the board.
//
// The node is fed console lines and network bytes and answers through two
// sinks; main.cc connects those to the board's UARTs, tests connect two
// nodes to each other in memory. PROTOCOL.md is the specification.
//
// Buffers come from the node's pools and keys live in its crypto workspace
// (node_resources.h), both static; what must survive a power cut (identity,
// link roots, epoch, freshness) lives in a record store the caller mounts
// on the board's non-volatile storage. Nothing is allocated from a heap.
//
// Lifecycle. A node boots unprovisioned or, if its store holds an identity,
// restores it (identity, link roots, epoch, freshness) and rejoins the fleet
// by itself. RESET wipes every secret (RAM and store) and the identity but
// never rewinds freshness: the epoch, the send ceilings and the receive
// floors stay, so a re-provisioned node cannot reuse a nonce or accept an
// old frame. TAMPER (local tamper evidence) does the same wipe and then
// refuses all work until RESET. Frames that fail authentication never lock
// the node out (link_health.h).
//
// Delivery (PROTOCOL.md, "Delivery"). Every DATA frame is acknowledged by
// an authenticated ACK frame; the sender keeps the sealed frame
// (outbound.h) and sends it again, identical, until it is acknowledged or
// given up. Every accepted SEND ends in exactly one console line:
// DELIVERED, or FAILED with its cause. The receiver delivers a sequence at
// most once, across reboots too (its receive window is persisted,
// freshness.h), and acknowledges duplicates again (reack_budget.h). Time
// moves through Service(), which the main loop calls whenever the clock may
// have passed NextDeadlineMicros().
#ifndef APPS_SECURE_NODE_NODE_H_
#define APPS_SECURE_NODE_NODE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "apps/secure_node/freshness.h"
#include "apps/secure_node/line_writer.h"
#include "apps/secure_node/link_health.h"
#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node_resources.h"
#include "apps/secure_node/outbound.h"
#include "apps/secure_node/reack_budget.h"
#include "apps/secure_node/stepped_clock.h"
#include "base/clock.h"
#include "base/status.h"
#include "storage/record_store.h"
#include "wire/cobs.h"
#include "wire/frame_reader.h"
#include "wire/header.h"
#include "wire/replay_window.h"

namespace secure_node {

// A store refusal as the console names it in "ERR STORAGE reason=<why>":
// its code name without the domain ("flash_failed" for store.flash_failed).
std::string_view StorageReason(base::Status status);

// Where the node's output goes.
class NodeOutput {
 public:
  virtual void ConsoleLine(std::string_view line) = 0;  // no line end
  // Echo of typed input (ECHO on), written as is; none by default.
  virtual void ConsoleEcho(std::string_view bytes) { (void)bytes; }
  virtual void NetworkBytes(std::span<const std::uint8_t> bytes) = 0;
  // Appends the board's network receive counters (" key=value" each) to the
  // STATS line; none by default.
  virtual void AppendReceiveStats(StatsLineWriter& out) { (void)out; }

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
  std::uint32_t rej_locked_out = 0;  // refused: node locked out
  std::uint32_t rej_storage =
      0;  // authentic, but its freshness could not be persisted
  // Delivery (sender side).
  std::uint32_t delivered = 0;    // SENDs acknowledged
  std::uint32_t failed = 0;       // SENDs that ended FAILED
  std::uint32_t busy = 0;         // SENDs answered BUSY (not accepted)
  std::uint32_t acks_rx = 0;      // authenticated ACKs that ended a message
  std::uint32_t ack_unknown = 0;  // authenticated ACKs for no message
  // Delivery (receiver side).
  std::uint32_t acks_tx = 0;          // ACK frames sent
  std::uint32_t ack_send_failed = 0;  // ACKs that could not be sealed
  std::uint32_t rx_duplicates = 0;    // authentic duplicates, not delivered
  std::uint32_t reacks_limited = 0;   // duplicates over the re-ACK budget
};

class Node {
 public:
  static constexpr std::size_t kMaxPayloadBytes = 4096;
  static constexpr std::size_t kMaxLineBytes = 160;
  static constexpr std::size_t kPeerSlots = 256;  // indexed by node id

  // `resources` and `store` (mounted) must outlive the node and serve no
  // one else; `clock` drives link health.
  Node(NodeOutput& output, NodeResources& resources,
       storage::RecordStoreCore& store, const base::Clock& clock)
      : output_(output),
        resources_(resources),
        store_(store),
        clock_(clock),
        keys_(resources.crypto, store),
        freshness_(store) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Restores what the store holds, then prints READY (after the board's
  // BOOT line). A restored node first prints
  // `RESTORED node=<id> epoch=<e> links=<n>`.
  void Start();

  // One byte from the console UART; a complete line is executed.
  void ConsoleByte(std::uint8_t byte);
  // One byte from the network UART; a complete frame is processed.
  void NetworkByte(std::uint8_t byte);

  // A whole console line (without its line end), e.g. "STATS".
  void ExecuteLine(std::string_view line);

  // Retransmits and gives up what is due by the clock. Cheap when nothing
  // is due; call from the main loop at least by NextDeadlineMicros().
  void Service();
  // When Service() has something to do next; empty while nothing waits for
  // an acknowledgement, and while the clock is stepped (`CLOCK step`): then
  // the console moves time and CLOCK advance runs what falls due.
  std::optional<std::uint64_t> NextDeadlineMicros() const {
    if (clock_.stepped()) return std::nullopt;
    return outbound_.NextDeadline();
  }

  const NodeStats& stats() const { return stats_; }
  std::uint8_t id() const { return id_; }
  std::uint32_t epoch() const { return freshness_.epoch(); }
  bool locked_out() const { return locked_out_; }
  const wire::FrameReaderStats& framing_stats() const {
    return reader_.stats();
  }
  std::size_t in_flight() const { return outbound_.in_flight(); }

 private:
  static constexpr std::size_t kMaxEncodedFrame =
      wire::CobsMaxEncodedSize(wire::kMaxFrameBytes);

  void Provision(std::span<const std::string_view> args);
  void Link(std::span<const std::string_view> args);
  void Send(std::span<const std::string_view> args);
  // "<verdict> SEND id=<id> reason=<reason>": ERR (refused) or BUSY
  // (backpressure: offer it again later).
  void RefuseSend(std::string_view verdict, std::uint32_t message_id,
                  std::string_view reason);
  void Rotate(std::span<const std::string_view> args);
  void ReportStats();
  void Help();
  // CLOCK [step | advance <us>] (stepped_clock.h).
  void Clock(std::span<const std::string_view> args);
  void Reset();
  void Tamper();

  // Loads identity, roots and freshness from the store.
  void Restore();
  // Wipes every secret, in RAM and in the store, and forgets the identity.
  void WipeSecrets();
  // The workspace locked itself out (local evidence): wipe and refuse work.
  void EnterLockout();
  // Wipes the console line buffer (it may have held a root key's hex).
  void WipeLine();

  // Ends every message in flight with FAILED cause=`cause`.
  void AbandonInFlight(std::string_view cause);
  void ReportEnded(const Outbound::Event& event, std::string_view cause);
  // Streams a frame's COBS encoding and its delimiter to the network.
  void TransmitFrame(std::span<const std::uint8_t> frame);
  // Writes `header` into frame[0, 16) and seals the text after it in place
  // under the link key of header.destination, with (epoch, sequence) of the
  // header as the nonce's invocation; the sequence is then spent. The
  // workspace's refusal, or workspace::Code::kKeySlotEmpty without a key.
  base::Status SealFrame(const wire::LinkHeader& header,
                         std::span<std::uint8_t> frame);
  // Authenticates and decrypts the frame's text in place; on a refusal
  // reports and counts it (locked_out, unknown_peer, forged) and returns
  // false.
  bool OpenFrame(const wire::LinkHeader& header, std::span<std::uint8_t> frame);
  // Seals and sends the ACK of DATA `sequence` to `peer`.
  void SendAck(std::uint8_t peer, std::uint32_t sequence);

  void ReceiveFrame(std::span<std::uint8_t> encoded);
  void ReceiveData(const wire::LinkHeader& header,
                   std::span<std::uint8_t> frame);
  void ReceiveAck(const wire::LinkHeader& header,
                  std::span<std::uint8_t> frame);
  void Reject(std::uint8_t source, std::string_view reason);
  // A large pool block, or nullptr after replying/rejecting with `reason`.
  std::byte* LargeBlock(pool::UniqueBlock& block, std::size_t size);
  void Reply(std::string_view line) { output_.ConsoleLine(line); }

  NodeOutput& output_;
  NodeResources& resources_;
  storage::RecordStoreCore& store_;
  // The board's clock, or stepped time once the console asked for it.
  SteppedClock clock_;
  std::uint8_t id_ = 0;  // 0: not provisioned
  bool locked_out_ = false;
  bool storage_failed_ = false;  // the store could not be read at start
  LinkKeys keys_;
  Freshness freshness_;
  LinkHealth health_;
  Outbound outbound_;
  ReackBudget reack_budget_;
  // Per peer, the ACK frames accepted in this life. Only DATA sequences are
  // persisted (freshness_): a replayed ACK can at most name a message no
  // longer in flight, which Outbound refuses.
  std::array<wire::ReplayWindow, kPeerSlots> ack_replay_{};
  NodeStats stats_;

  // Console line assembly.
  std::array<char, kMaxLineBytes> line_{};
  std::size_t line_size_ = 0;
  bool line_overflow_ = false;
  std::uint8_t last_console_byte_ = 0;
  bool echo_ = false;  // ECHO on: for a person at a terminal

  // Network: the receive side's frame assembly. A received frame is
  // decoded, authenticated and decrypted in this buffer and its plaintext
  // wiped once handled; a sent frame lives in its pool block (outbound_).
  wire::FrameReader<kMaxEncodedFrame> reader_;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_NODE_H_
