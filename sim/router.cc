#include "sim/router.h"

#include <array>
#include <utility>

#include "wire/replay_window.h"

namespace sim {
namespace {

constexpr std::size_t kMaxEncodedFrame =
    wire::CobsMaxEncodedSize(wire::kMaxFrameBytes);
constexpr std::array<absl::string_view, 9> kFateNames = {
    "pending",  "delivered",     "dropped", "corrupted",   "truncated",
    "no_route", "receiver_down", "late",    "unparseable",
};

}  // namespace

absl::string_view FrameFateName(FrameFate fate) {
  return kFateNames[static_cast<int>(fate)];
}

struct Router::Port {
  // Larger than any valid frame's encoding, so an oversized frame from a
  // node is discarded (and counted) by the reader rather than cut.
  wire::FrameReader<kMaxEncodedFrame + 64> reader;
};

struct Router::Delivery {
  std::uint8_t receiver = 0;
  std::vector<std::uint8_t> frame;  // decoded
  std::uint64_t frame_index = 0;
  FaultKind kind = FaultKind::kNone;
  bool original =
      true;  // the emitted frame itself (possibly mutated), not an extra copy
  bool intact = true;  // original and unmodified: the receiver must accept it
  FrameFate fate_on_delivery = FrameFate::kDelivered;
  ReasonSet expected;  // refusals allowed when !intact
  FrameType type = FrameType::kData;
  LinkKey link;
  std::uint32_t sequence = 0;
  std::uint64_t generation = 0;
};

Router::Router(int nodes, Topology topology, FaultInjector injector,
               DeliverFn deliver)
    : nodes_(nodes),
      topology_(topology),
      injector_(std::move(injector)),
      deliver_(std::move(deliver)),
      life_(nodes + 1, 0),
      up_(nodes + 1, false),
      delivered_in_life_(nodes + 1, 0),
      may_be_silent_in_life_(nodes + 1, 0),
      emitted_(nodes + 1),
      carried_(nodes + 1) {
  for (int i = 0; i <= nodes; ++i) ports_.push_back(std::make_unique<Port>());
}

Router::~Router() = default;

void Router::SetLeakForTest(std::vector<std::uint8_t> bytes, int every) {
  leak_bytes_ = std::move(bytes);
  leak_every_ = every;
}

void Router::SetNodeDown(std::uint8_t node) {
  up_[node] = false;
  ports_[node] = std::make_unique<Port>();
}

void Router::SetNodeUp(std::uint8_t node, int life) {
  up_[node] = true;
  life_[node] = life;
  delivered_in_life_[node] = 0;
  may_be_silent_in_life_[node] = 0;
  // A new life starts its ACK windows empty (they live in RAM) and its
  // DATA windows where storage says, which is at most as far as the router
  // saw: frames it wrote to the last life may never have been read. Only
  // what the new life is given is known, so both start over; a sender's
  // DATA in flight stays within 64 sequences of each other, so a frame the
  // restored window calls too old is not expected from it.
  for (auto it = highest_delivered_.begin(); it != highest_delivered_.end();) {
    if (std::get<1>(it->first.first) == node) {
      it = highest_delivered_.erase(it);
    } else {
      ++it;
    }
  }
  ports_[node] = std::make_unique<Port>();
}

bool Router::IsUp(std::uint8_t node) const { return up_[node]; }

std::uint64_t Router::framing_overflows() const {
  std::uint64_t total = 0;
  for (const auto& port : ports_) total += port->reader.stats().overflows;
  return total;
}

void Router::OnBytes(std::uint8_t node, std::span<const std::uint8_t> bytes,
                     absl::Time now) {
  emitted_[node].append(reinterpret_cast<const char*>(bytes.data()),
                        bytes.size());
  for (std::uint8_t byte : bytes) {
    if (std::optional<std::span<std::uint8_t>> encoded =
            ports_[node]->reader.Feed(byte)) {
      OnFrame(node, *encoded, now);
    }
  }
}

void Router::OnFrame(std::uint8_t node, std::span<std::uint8_t> encoded,
                     absl::Time now) {
  FrameRecord record;
  record.index = frames_.size();
  record.port = node;
  record.port_life = life_[node];
  record.emitted = now;

  std::vector<std::uint8_t> frame(encoded.size());
  const base::Result<std::size_t> decoded = wire::CobsDecode(encoded, frame);
  std::optional<ParsedFrame> parsed;
  if (decoded.ok()) {
    frame.resize(decoded.value());
    parsed = ParseFrame(frame);
  }
  // A node must only emit well-formed frames under its own id.
  if (!parsed || parsed->header.source != node) {
    record.fate = FrameFate::kUnparseable;
    record.settled = now;
    frames_.push_back(record);
    return;
  }
  const wire::LinkHeader& h = parsed->header;
  record.parsed = true;
  record.header = h;
  record.type = parsed->type;
  record.frame_bytes = frame.size();
  if (record.type == FrameType::kAck) record.ack_frame = frame;
  auto [first, inserted] = first_frames_.try_emplace(
      FrameKey{h.source, h.destination, h.epoch, h.sequence});
  if (inserted) {
    first->second.bytes = frame;
    first->second.ordinal =
        distinct_on_link_[{h.source, h.destination, record.type}]++;
  } else if (first->second.bytes == frame) {
    record.transmission = ++first->second.transmissions;
  } else {
    record.nonce_reused = true;
  }
  events_.push_back({RouterEvent::Type::kEmitted, now, node, h.destination,
                     FaultKind::kNone, h.sequence});
  if (!Adjacent(topology_, nodes_, h.source, h.destination)) {
    record.fate = FrameFate::kNoRoute;
    record.settled = now;
    frames_.push_back(record);
    return;
  }

  const FaultDecision decision = injector_.Decide(
      h, record.type, first->second.ordinal, frame.size(), record.transmission);
  record.fault = decision.kind;
  frames_.push_back(record);
  if (decision.kind != FaultKind::kNone) {
    events_.push_back({RouterEvent::Type::kFault, now, h.destination, h.source,
                       decision.kind, h.sequence});
  }

  Delivery original;
  original.receiver = h.destination;
  original.frame = frame;
  original.frame_index = record.index;
  original.kind = decision.kind;
  original.type = record.type;
  original.link = {h.source, h.destination, h.epoch};
  original.sequence = h.sequence;
  original.generation = generation_;

  auto copy_of = [&](std::vector<std::uint8_t> bytes, ReasonSet expected) {
    Delivery copy = original;
    copy.frame = std::move(bytes);
    copy.original = false;
    copy.intact = false;
    copy.expected = expected;
    return copy;
  };

  switch (decision.kind) {
    case FaultKind::kDrop:
      frames_.back().fate = FrameFate::kDropped;
      frames_.back().settled = now;
      return;  // a dropped frame does not release a held one: nothing passed it
    case FaultKind::kBitFlip:
      original.intact = false;
      original.fate_on_delivery = FrameFate::kCorrupted;
      original.expected =
          ExpectedForBitFlip(frame, decision.bit, h.destination, nodes_);
      original.frame = FlipBit(frame, decision.bit);
      Enqueue(now, std::move(original));
      break;
    case FaultKind::kTruncate:
      original.intact = false;
      original.fate_on_delivery = FrameFate::kTruncated;
      original.expected = {RejectReason::kMalformed};
      original.frame.resize(decision.truncate_to);
      Enqueue(now, std::move(original));
      break;
    case FaultKind::kDuplicate:
    case FaultKind::kReplay: {
      // A second ACK with a sequence the receiver has seen: its window says
      // replay, unless it opens ACKs before asking the window, and then no
      // message waits for it any more (ack_unknown). A DATA copy may also
      // be acknowledged again silently; Deliver() decides.
      Delivery copy = copy_of(frame, record.type == FrameType::kAck
                                         ? ReasonSet{RejectReason::kReplay,
                                                     RejectReason::kAckUnknown}
                                         : ReasonSet{RejectReason::kReplay});
      Enqueue(now, std::move(original));
      Enqueue(HeldUntil(now, decision.hold), std::move(copy));
      break;
    }
    case FaultKind::kForge: {
      Delivery copy = copy_of(ForgeFrame(h, decision.forge_seed, record.type),
                              {RejectReason::kForged});
      Enqueue(now, std::move(original));
      Enqueue(now, std::move(copy));
      break;
    }
    case FaultKind::kReorder: {
      const LinkKey link = original.link;
      if (held_.count(link)) ReleaseHeld(link, now);
      held_.emplace(link, std::make_pair(HeldUntil(now, decision.hold),
                                         std::move(original)));
      return;  // held: it must not release itself
    }
    case FaultKind::kDelay:
      Enqueue(HeldUntil(now, decision.hold), std::move(original));
      return;  // it is late itself; a held frame waits for an on-time one
    default:
      Enqueue(now, std::move(original));
      break;
  }
  // This frame overtakes the link's held (reordered) frame, which follows it.
  ReleaseHeld({h.source, h.destination, h.epoch}, now);
}

void Router::ReleaseHeld(const LinkKey& link, absl::Time due) {
  auto it = held_.find(link);
  if (it == held_.end()) return;
  Delivery d = std::move(it->second.second);
  held_.erase(it);
  Enqueue(due, std::move(d));
}

void Router::Enqueue(absl::Time due, Delivery delivery) {
  queue_.emplace(std::make_pair(due, queue_order_++), std::move(delivery));
}

void Router::Tick(absl::Time now) {
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.first <= now) {
      Enqueue(it->second.first, std::move(it->second.second));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  while (!queue_.empty() && queue_.begin()->first.first <= now) {
    Delivery d = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    Deliver(d, now);
  }
}

std::optional<absl::Time> Router::NextDue() const {
  std::optional<absl::Time> next;
  if (!queue_.empty()) next = queue_.begin()->first.first;
  for (const auto& [link, held] : held_) {
    if (!next || held.first < *next) next = held.first;
  }
  return next;
}

std::size_t Router::InFlight() const { return queue_.size() + held_.size(); }

absl::Time Router::HeldUntil(absl::Time now, absl::Duration hold) const {
  if (hold <= absl::ZeroDuration()) return now;
  return park_until_settled_ ? absl::InfiniteFuture() : now + hold;
}

std::size_t Router::Parked() const {
  std::size_t n = 0;
  for (const auto& [key, delivery] : queue_) {
    if (key.first == absl::InfiniteFuture()) ++n;
  }
  for (const auto& [link, held] : held_) {
    if (held.first == absl::InfiniteFuture()) ++n;
  }
  return n;
}

std::size_t Router::ReleaseParked(absl::Time now) {
  std::size_t released = 0;
  // Re-keyed with their original order numbers, so each link's parked
  // frames keep the order in which they were parked.
  std::vector<std::pair<std::uint64_t, Delivery>> parked;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->first.first == absl::InfiniteFuture()) {
      parked.emplace_back(it->first.second, std::move(it->second));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [order, delivery] : parked) {
    queue_.emplace(std::make_pair(now, order), std::move(delivery));
    ++released;
  }
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.first == absl::InfiniteFuture()) {
      Enqueue(now, std::move(it->second.second));
      it = held_.erase(it);
      ++released;
    } else {
      ++it;
    }
  }
  return released;
}

void Router::OnRotation() { ++generation_; }

void Router::Deliver(Delivery& d, absl::Time now) {
  FrameRecord& record = frames_[d.frame_index];
  if (!up_[d.receiver]) {
    if (d.original) {
      record.fate = FrameFate::kReceiverDown;
      record.settled = now;
    }
    return;  // extra copies for a dead node just vanish with it
  }
  ReasonSet expected = d.expected;
  bool intact = d.intact;
  bool optional = false;
  const FrameKey key{std::get<0>(d.link), std::get<1>(d.link),
                     std::get<2>(d.link), d.sequence};
  // A forged copy carries a sequence of its own that nobody has seen.
  const bool forged_copy = !d.original && d.kind == FaultKind::kForge;
  const bool had_it = !forged_copy && delivered_intact_.count(key) != 0;
  if (d.generation != generation_) {
    // The fleet rotated its epoch while this frame was queued: a correct
    // receiver now refuses it for its old epoch, whatever else it carries.
    expected = {RejectReason::kEpoch};
    if (d.original) d.fate_on_delivery = FrameFate::kLate;
    intact = false;
  } else if (d.intact) {
    // A receiver keeps one window for DATA and one for ACK sequences.
    auto [it, inserted] =
        highest_delivered_.emplace(std::make_pair(d.link, d.type), d.sequence);
    if (!inserted && it->second >= d.sequence &&
        it->second - d.sequence >= wire::ReplayWindow::kWindowSize) {
      // Overtaken by more than the receiver's replay window: refused as
      // too old, which the protocol reports as a replay.
      expected = {RejectReason::kReplay};
      d.fate_on_delivery = FrameFate::kLate;
      intact = false;
    } else if (!inserted && d.sequence > it->second) {
      it->second = d.sequence;
    }
  }
  if (intact) {
    if (d.type == FrameType::kAck) {
      // It ends its message (DELIVERED), or, if the message already ended
      // (acknowledged before, given up), it is refused as unknown.
      optional = true;
      expected = {RejectReason::kAckUnknown};
    } else if (had_it) {
      // A retransmission of a frame the receiver has: acknowledged again
      // without a line, or refused as a replay.
      optional = true;
      expected = {RejectReason::kReplay};
    }
    delivered_intact_.insert(key);
  } else if (!d.original && d.generation == generation_ &&
             d.type == FrameType::kData &&
             (d.kind == FaultKind::kDuplicate ||
              d.kind == FaultKind::kReplay)) {
    // The router's own copy of a DATA frame is indistinguishable from a
    // retransmission: the receiver may acknowledge it again silently.
    optional = true;
  }
  if (!intact && had_it && expected.Contains(RejectReason::kForged)) {
    // A receiver that has this sequence may judge a damaged copy of it by
    // its window (replay) before its tag (forged).
    expected = expected.With(RejectReason::kReplay);
  }
  if (d.original) {
    record.fate = d.fate_on_delivery;
    record.settled = now;
    record.receiver_life = life_[d.receiver];
  }
  if (!intact || optional) {
    // An intact original that may be refused is so because of
    // acknowledged delivery, not because of its fault (a delay, say).
    const FaultKind kind = intact ? FaultKind::kNone : d.kind;
    injected_.push_back({d.frame_index, kind, d.receiver, life_[d.receiver],
                         expected, now, d.type, optional});
    if (optional && d.type == FrameType::kData)
      ++may_be_silent_in_life_[d.receiver];
  }
  Write(d.receiver, d.frame);
  if (d.original) record.stream_end = carried_[d.receiver].size();
  events_.push_back({RouterEvent::Type::kDelivered, now, d.receiver,
                     std::get<0>(d.link),
                     d.original ? FaultKind::kNone : d.kind, d.sequence});

  if (d.original && leak_every_ > 0 && ++deliveries_ % leak_every_ == 0) {
    injected_.push_back({d.frame_index, FaultKind::kLeakForTest, d.receiver,
                         life_[d.receiver], ReasonSet::Any(), now,
                         FrameType::kData, /*optional=*/false});
    Write(d.receiver, leak_bytes_);
  }
}

void Router::Write(std::uint8_t node, std::span<const std::uint8_t> decoded) {
  std::vector<std::uint8_t> encoded(wire::CobsMaxEncodedSize(decoded.size()) +
                                    1);
  const base::Result<std::size_t> r = wire::CobsEncode(decoded, encoded);
  encoded.resize(r.value());  // cannot fail: the output is large enough
  encoded.push_back(wire::kFrameDelimiter);
  carried_[node].append(reinterpret_cast<const char*>(encoded.data()),
                        encoded.size());
  ++delivered_in_life_[node];
  deliver_(node, encoded);
}

}  // namespace sim
