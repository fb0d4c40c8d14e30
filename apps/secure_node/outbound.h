// The node's sent messages that wait for their acknowledgement: per peer an
// arq::SendWindow and, beside each window entry, the pool block holding
// that entry's sealed frame (header || ciphertext || tag), kept byte for
// byte so that a retransmission is the identical frame under the identical
// nonce.
//
// Every admitted message ends exactly once, and the caller reports it:
// acknowledged (Acknowledge), given up after the policy's last transmission
// (Poll), or abandoned (Abandon: a new epoch, RESET, lockout). Its frame
// block goes back to the pool then, wiped by the pool.
//
// Limits: kWindow messages in flight per peer and kMaxPeers peers with
// messages in flight at once; beyond either, CanAdmit refuses and SEND
// answers BUSY (backpressure, PROTOCOL.md "Delivery"). Frame blocks come
// from the node's pools, so a full pool is BUSY too, never a drop.
#ifndef APPS_SECURE_NODE_OUTBOUND_H_
#define APPS_SECURE_NODE_OUTBOUND_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "arq/retransmit_policy.h"
#include "arq/rtt_estimator.h"
#include "arq/send_window.h"
#include "pool/unique_block.h"
#include "wire/header.h"

namespace secure_node {

class Outbound {
 public:
  static constexpr std::size_t kWindow = 8;
  // Peers with messages in flight at once (a slot is freed when its last
  // message ends); as many as the workspace keeps keys for.
  static constexpr std::size_t kMaxPeers = 16;
  // Six transmissions. The first wait is the peer's estimated timeout
  // (arq::RttEstimator: 200 ms until the first sample, never less, never
  // more than 8 s), each later one doubles, up to 8 s, and every wait is
  // lengthened by the frame's LineTimeUs. So a message to a peer nobody
  // answers fails after 6.2 s (16 B) to 10.6 s (4 KiB); on a link whose
  // estimate reached the cap, after at most 52.4 s
  // (kOutboundWorstCaseLifetimeUs).
  // The estimate follows the link: a receiver slowed by a backlog gets
  // longer waits instead of copies that would lengthen the backlog.
  static constexpr arq::RetransmitPolicy kPolicy{
      .first_timeout_us = 200'000,
      .max_timeout_us = 8'000'000,
      .max_transmissions = 6,
  };

  enum class Admission : std::uint8_t {
    kOk,
    kWindowFull,    // kWindow in flight, or the sequence span is used up
    kTooManyPeers,  // kMaxPeers other peers have messages in flight
    // Zero or not above the last sequence admitted: never from a node
    // whose freshness hands out increasing sequences.
    kSequenceRefused,
  };

  // A message that ended, or a frame due again.
  struct Event {
    enum class Kind : std::uint8_t { kNone, kRetransmit, kEnded };
    Kind kind = Kind::kNone;
    std::uint8_t peer = 0;
    std::uint32_t sequence = 0;
    std::uint32_t message_id = 0;
    std::uint8_t transmissions = 0;  // including the one kRetransmit asks for
    // kRetransmit: the frame to send again, valid until the next call.
    std::span<const std::uint8_t> frame;
  };

  // Whether a DATA frame with `sequence` to `peer` would be admitted now.
  Admission CanAdmit(std::uint8_t peer, std::uint32_t sequence) const;

  // The fleet's lines: 115200 baud, 10 bits a byte.
  static constexpr std::uint32_t kLineMicrosPerByte = 87;
  // The time a frame of `frame_bytes` and its ACK spend on the lines, added
  // to each of its waits: store-and-forward through the router means two
  // serialisations of the (COBS-encoded) frame, plus the ACK's. A 4 KiB
  // frame adds ~0.73 s, a 16-byte message's ~20 ms.
  static constexpr std::uint32_t LineTimeUs(std::size_t frame_bytes) {
    constexpr std::size_t kAckWireBytes = 40;  // 36-byte frame, COBS, delimiter
    const std::size_t wire_bytes = frame_bytes + frame_bytes / 254 + 2;
    return static_cast<std::uint32_t>((2 * wire_bytes + 2 * kAckWireBytes) *
                                      kLineMicrosPerByte);
  }

  // Takes the sealed `frame` (its first `frame_bytes` bytes) of message
  // `message_id`, whose first transmission happens now. Requires CanAdmit
  // to have said kOk for (peer, sequence); returns false (and drops nothing
  // admitted before) if it would not.
  bool Admit(std::uint8_t peer, std::uint32_t sequence, std::uint64_t now_us,
             std::uint32_t message_id, pool::UniqueBlock frame,
             std::size_t frame_bytes);

  // An authenticated acknowledgement from `peer` of its DATA `sequence`,
  // arrived at `now_us`: the message it ends (kEnded), or nullopt if no
  // message waits for it (never sent, already acknowledged, given up,
  // abandoned, another peer's). A message sent once gives the peer's
  // round-trip estimate a sample.
  std::optional<Event> Acknowledge(std::uint8_t peer, std::uint32_t sequence,
                                   std::uint64_t now_us);

  // The first wait a new message to `peer` gets now.
  std::uint32_t FirstWaitUs(std::uint8_t peer) const {
    return rtt_[peer].Timeout(kPolicy.first_timeout_us, kPolicy.max_timeout_us);
  }

  // The next retransmission or give-up due at `now_us`, earliest first;
  // kNone when nothing is due. Call until kNone.
  Event Poll(std::uint64_t now_us);

  // Ends one message still in flight, any peer; nullopt when none is left.
  // A peer's window starts its sequence order again once it is empty (a new
  // epoch's sequences start at 1).
  std::optional<Event> Abandon();

  // The earliest deadline of any message in flight (kept up to date by
  // every change, so the main loop may ask on every pass).
  std::optional<std::uint64_t> NextDeadline() const { return next_deadline_; }

  std::size_t in_flight() const;
  // Sums over every peer's window.
  arq::SendWindowStats stats() const;

 private:
  using Window = arq::SendWindow<kWindow>;
  struct Pending {
    pool::UniqueBlock frame;
    std::size_t frame_bytes = 0;
    std::uint32_t message_id = 0;
    std::uint8_t transmissions = 0;
  };
  struct Peer {
    std::uint8_t id = 0;  // 0: free (no message in flight)
    Window window{kPolicy};
    std::array<Pending, kWindow> pending{};
  };

  const Peer* Find(std::uint8_t peer) const;
  Peer* Find(std::uint8_t peer);
  // Ends entry `entry` of `peer`: its frame goes back to the pool.
  Event End(Peer& peer, std::size_t entry, std::uint32_t sequence);
  // Recomputes next_deadline_ after a change.
  void RefreshDeadline();

  std::array<Peer, kMaxPeers> peers_{};
  // Per peer id, kept while slots come and go: what the link's round trip
  // has been.
  std::array<arq::RttEstimator, 256> rtt_{};
  arq::SendWindowStats retired_{};  // counts of peers' windows since reset
  std::optional<std::uint64_t> next_deadline_;
};

// The longest an accepted message can wait for its outcome: every wait at
// the cap, the largest frame.
inline constexpr std::uint64_t kOutboundWorstCaseLifetimeUs =
    Outbound::kPolicy.LifetimeUs(Outbound::kPolicy.max_timeout_us,
                                 Outbound::LineTimeUs(wire::kMaxFrameBytes));

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_OUTBOUND_H_
