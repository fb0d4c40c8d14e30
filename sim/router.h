// The network between nodes. It reads each node's network UART byte stream,
// splits it into COBS frames, reads the clear header (it never has a key),
// routes per the topology, applies the fault injector's decision, and writes
// frames into the destination's UART stream at their due time.
//
// It keeps the evidence the verdict needs: a record per frame a node
// emitted (its fate, its type, whether it repeats an earlier frame byte for
// byte), a record per copy it delivered that a correct receiver must or may
// refuse (with the refusal reasons allowed), and every byte it read or
// wrote, for the leak scan.
//
// With acknowledged delivery a sender retransmits the identical frame until
// it is acknowledged. The router tells a retransmission (same header, same
// bytes) from nonce reuse (same header, other bytes), gives each
// transmission its own fault decision, and knows which copies a receiver
// may take without a REJECT line: a DATA frame it already has (it
// acknowledges it again silently) and an intact ACK (it ends a message).
#ifndef SIM_ROUTER_H_
#define SIM_ROUTER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sim/fault_injector.h"
#include "sim/frame_header.h"
#include "sim/reject_reason.h"
#include "sim/topology.h"
#include "wire/cobs.h"
#include "wire/frame_reader.h"
#include "wire/header.h"

namespace sim {

enum class FrameFate : std::uint8_t {
  kPending = 0,   // held or queued
  kDelivered,     // written to the receiver intact (on time)
  kDropped,       // fault: never delivered
  kCorrupted,     // fault: bit flipped, delivered
  kTruncated,     // fault: cut short, delivered
  kNoRoute,       // destination not a neighbour (or not in the fleet)
  kReceiverDown,  // receiver was killed / restarting when it fell due
  kLate,          // delivered behind the receiver's replay window
  kUnparseable,   // the node emitted something that is not a valid frame
};
absl::string_view FrameFateName(FrameFate fate);

// What the harness learnt from opening an ACK frame with the pair key after
// the run (the router itself holds no key).
struct AckContent {
  bool opened = false;     // an attempt was made
  bool authentic = false;  // the tag verified and the plaintext is 4 bytes
  std::uint32_t acked_sequence = 0;
};

struct FrameRecord {
  std::uint64_t index = 0;
  std::uint8_t port = 0;  // the node whose UART emitted it
  int port_life = 0;
  absl::Time emitted;
  bool parsed = false;
  wire::LinkHeader header;
  FrameType type = FrameType::kData;
  std::size_t frame_bytes = 0;
  // 0: the first frame with this (source, destination, epoch, sequence);
  // n: its n-th retransmission, byte for byte the same frame.
  std::uint32_t transmission = 0;
  // Same header as an earlier frame but different bytes: one nonce sealed
  // two plaintexts.
  bool nonce_reused = false;
  FaultKind fault = FaultKind::kNone;
  FrameFate fate = FrameFate::kPending;
  absl::Time settled;
  int receiver_life = 0;
  // Delivered frames: where the frame ends in the bytes carried to its
  // receiver (carried_bytes()), and when the harness had written it all
  // into the receiver's link (set by the fleet; InfinitePast: not known,
  // take `settled`; InfiniteFuture: never, the receiver died first).
  std::uint64_t stream_end = 0;
  absl::Time arrived = absl::InfinitePast();
  // ACK frames: the decoded frame as emitted (36 bytes), and what opening
  // it showed.
  std::vector<std::uint8_t> ack_frame;
  AckContent ack;
};

// A copy a correct receiver must refuse with one of `expected`, or, if
// `optional`, may refuse with one of them or take without a REJECT line: a
// DATA frame it already has (acknowledged again, STATS rx_duplicates) or an
// intact ACK (it ends the message it names: DELIVERED). Router faults set
// `kind`; copies that are optional only because of retransmission or
// acknowledgement have kind kNone.
struct InjectedCopy {
  std::uint64_t frame_index = 0;
  FaultKind kind = FaultKind::kNone;
  std::uint8_t receiver = 0;
  int receiver_life = 0;
  ReasonSet expected;
  absl::Time delivered;
  FrameType type = FrameType::kData;
  bool optional = false;
};

// A timestamped router event, for the trace.
struct RouterEvent {
  enum class Type : std::uint8_t { kEmitted, kDelivered, kFault };
  Type type;
  absl::Time time;
  std::uint8_t node = 0;  // emitter (kEmitted) or receiver
  std::uint8_t peer = 0;
  FaultKind fault = FaultKind::kNone;
  std::uint32_t sequence = 0;
};

class Router {
 public:
  using DeliverFn = std::function<void(std::uint8_t node,
                                       std::span<const std::uint8_t> bytes)>;

  Router(int nodes, Topology topology, FaultInjector injector,
         DeliverFn deliver);
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Bytes node `node` wrote to its network UART.
  void OnBytes(std::uint8_t node, std::span<const std::uint8_t> bytes,
               absl::Time now);
  // Delivers everything due by `now`.
  void Tick(absl::Time now);
  std::optional<absl::Time> NextDue() const;
  // Frames queued or held.
  std::size_t InFlight() const;

  // Repeatable mode: a frame a fault holds back (delay, reorder, the later
  // copy of a replay) is parked instead of timed, and released only by
  // ReleaseParked(), which the harness calls once the fleet has settled
  // (every node handled every frame, no timer run). Where a held frame
  // lands among the others is then a matter of order, not of host speed.
  void ParkHeldFramesUntilSettled() { park_until_settled_ = true; }
  // Of InFlight(), the frames parked.
  std::size_t Parked() const;
  // Hands every parked frame to delivery at `now`, each link's in the
  // order they were parked; the number released.
  std::size_t ReleaseParked(absl::Time now);

  // A node went down (killed) or came up in a new life. While down, frames
  // falling due for it are discarded (kReceiverDown) and a partial frame it
  // was writing is forgotten.
  void SetNodeDown(std::uint8_t node);
  void SetNodeUp(std::uint8_t node, int life);
  bool IsUp(std::uint8_t node) const;
  // The fleet moved to a new epoch: frames still queued from before now
  // carry a stale epoch and are expected to be refused for it.
  void OnRotation();

  // Test-only: after every `every`-th delivered frame, also carry `bytes`
  // as a frame on the wire to the same receiver. A correct verdict must
  // catch this.
  void SetLeakForTest(std::vector<std::uint8_t> bytes, int every);

  const std::vector<FrameRecord>& frames() const { return frames_; }
  const std::vector<InjectedCopy>& injected() const { return injected_; }
  const std::vector<RouterEvent>& events() const { return events_; }
  // Bytes node i wrote (emitted) / was sent (carried); index 0 unused.
  const std::vector<std::string>& emitted_bytes() const { return emitted_; }
  const std::vector<std::string>& carried_bytes() const { return carried_; }
  // Frames written into node's UART during its current life.
  std::uint64_t DeliveredInLife(std::uint8_t node) const {
    return delivered_in_life_[node];
  }
  // Of those, DATA frames the node may take silently (it had them already):
  // they need not produce a console line.
  std::uint64_t MaySilentInLife(std::uint8_t node) const {
    return may_be_silent_in_life_[node];
  }
  std::uint64_t framing_overflows() const;

 private:
  struct Delivery;
  struct Port;
  using LinkKey =
      std::tuple<std::uint8_t, std::uint8_t, std::uint32_t>;  // src, dst, epoch
  // src, dst, epoch, sequence: one nonce.
  using FrameKey =
      std::tuple<std::uint8_t, std::uint8_t, std::uint32_t, std::uint32_t>;
  struct FirstFrame {
    std::vector<std::uint8_t> bytes;  // decoded
    std::uint32_t transmissions = 0;  // retransmissions seen so far
    std::uint64_t ordinal = 0;        // distinct frames of its type on the link
  };

  void OnFrame(std::uint8_t node, std::span<std::uint8_t> encoded,
               absl::Time now);
  void Enqueue(absl::Time due, Delivery delivery);
  void Deliver(Delivery& delivery, absl::Time now);
  void ReleaseHeld(const LinkKey& link, absl::Time due);
  // When a frame held for `hold` is due: at once, after `hold`, or, parked,
  // never until ReleaseParked().
  absl::Time HeldUntil(absl::Time now, absl::Duration hold) const;
  void Write(std::uint8_t node, std::span<const std::uint8_t> decoded);

  int nodes_;
  Topology topology_;
  FaultInjector injector_;
  DeliverFn deliver_;
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<int> life_;
  std::vector<bool> up_;
  std::vector<std::uint64_t> delivered_in_life_;
  std::vector<std::uint64_t> may_be_silent_in_life_;
  std::map<FrameKey, FirstFrame> first_frames_;
  // Distinct frames seen per (source, destination, type), over all epochs
  // and lives.
  std::map<std::tuple<std::uint8_t, std::uint8_t, FrameType>, std::uint64_t>
      distinct_on_link_;
  // Frames of which an intact copy reached their receiver (in any life: a
  // restarted node restores its replay window).
  std::set<FrameKey> delivered_intact_;
  std::multimap<std::pair<absl::Time, std::uint64_t>, Delivery> queue_;
  std::uint64_t queue_order_ = 0;
  std::map<LinkKey, std::pair<absl::Time, Delivery>> held_;  // reordered frames
  // Highest intact sequence delivered, per link and frame type.
  std::map<std::pair<LinkKey, FrameType>, std::uint32_t> highest_delivered_;
  std::vector<FrameRecord> frames_;
  std::vector<InjectedCopy> injected_;
  std::vector<RouterEvent> events_;
  std::vector<std::string> emitted_;
  std::vector<std::string> carried_;
  std::vector<std::uint8_t> leak_bytes_;
  int leak_every_ = 0;
  std::uint64_t deliveries_ = 0;
  std::uint64_t generation_ = 0;
  bool park_until_settled_ = false;
};

}  // namespace sim

#endif  // SIM_ROUTER_H_
