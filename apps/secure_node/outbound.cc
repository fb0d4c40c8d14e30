#include "apps/secure_node/outbound.h"

#include <utility>

namespace secure_node {
namespace {

void Add(arq::SendWindowStats& sum, const arq::SendWindowStats& more) {
  sum.admitted += more.admitted;
  sum.acknowledged += more.acknowledged;
  sum.retransmissions += more.retransmissions;
  sum.given_up += more.given_up;
  sum.abandoned += more.abandoned;
  sum.window_full += more.window_full;
  sum.unknown_acks += more.unknown_acks;
}

}  // namespace

const Outbound::Peer* Outbound::Find(std::uint8_t peer) const {
  for (const Peer& p : peers_) {
    if (p.id == peer) return &p;
  }
  return nullptr;
}

Outbound::Peer* Outbound::Find(std::uint8_t peer) {
  return const_cast<Peer*>(std::as_const(*this).Find(peer));
}

Outbound::Admission Outbound::CanAdmit(std::uint8_t peer,
                                       std::uint32_t sequence) const {
  const Peer* p = Find(peer);
  if (p == nullptr) {
    // A peer without messages in flight needs a free slot (id 0).
    return peer != 0 && Find(0) != nullptr ? Admission::kOk
                                           : Admission::kTooManyPeers;
  }
  const base::Status admissible = p->window.CheckAdmit(sequence);
  if (admissible.ok()) return Admission::kOk;
  return admissible == arq::Code::kWindowFull ? Admission::kWindowFull
                                              : Admission::kSequenceRefused;
}

bool Outbound::Admit(std::uint8_t peer, std::uint32_t sequence,
                     std::uint64_t now_us, std::uint32_t message_id,
                     pool::UniqueBlock frame, std::size_t frame_bytes) {
  if (CanAdmit(peer, sequence) != Admission::kOk ||
      frame_bytes > frame.size()) {
    return false;
  }
  Peer* p = Find(peer);
  if (p == nullptr) {
    p = Find(0);
    p->id = peer;
  }
  const base::Result<std::size_t> entry = p->window.Admit(
      sequence, now_us, LineTimeUs(frame_bytes), FirstWaitUs(peer));
  if (!entry.ok()) return false;  // a sequence not above the last: refused
  Pending& pending = p->pending[entry.value()];
  pending.frame = std::move(frame);
  pending.frame_bytes = frame_bytes;
  pending.message_id = message_id;
  pending.transmissions = 1;
  RefreshDeadline();
  return true;
}

Outbound::Event Outbound::End(Peer& peer, std::size_t entry,
                              std::uint32_t sequence) {
  Pending& pending = peer.pending[entry];
  Event event{.kind = Event::Kind::kEnded,
              .peer = peer.id,
              .sequence = sequence,
              .message_id = pending.message_id,
              .transmissions = pending.transmissions,
              .frame = {}};
  pending = Pending{};  // the frame block goes back to the pool, wiped
  if (peer.window.in_flight() == 0) {
    // The slot serves another peer next: sequences only increase per peer
    // (freshness.h), so a new window for this one later loses nothing.
    Add(retired_, peer.window.stats());
    peer = Peer{};
  }
  RefreshDeadline();
  return event;
}

std::optional<Outbound::Event> Outbound::Acknowledge(std::uint8_t peer,
                                                     std::uint32_t sequence,
                                                     std::uint64_t now_us) {
  Peer* p = Find(peer);
  if (p == nullptr || peer == 0) return std::nullopt;
  for (std::size_t i = 0; i < kWindow; ++i) {
    if (!p->window.occupied(i) || p->window.sequence(i) != sequence) continue;
    // Karn's rule: only a frame sent once says how long the round trip is.
    // The line time is the estimate's own part of each wait already.
    const Window::Timing timing = p->window.timing(i);
    if (timing.transmissions == 1 && now_us >= timing.sent_at_us) {
      const std::uint64_t elapsed = now_us - timing.sent_at_us;
      rtt_[peer].Sample(
          elapsed > timing.line_time_us ? elapsed - timing.line_time_us : 0);
    }
    break;
  }
  const base::Result<std::size_t> entry = p->window.Acknowledge(sequence);
  if (!entry.ok()) return std::nullopt;
  return End(*p, entry.value(), sequence);
}

Outbound::Event Outbound::Poll(std::uint64_t now_us) {
  // The earliest due entry over all peers: each window gives its own.
  Peer* earliest = nullptr;
  std::uint64_t deadline = 0;
  for (Peer& p : peers_) {
    if (p.id == 0) continue;
    const std::optional<std::uint64_t> next = p.window.NextDeadline();
    if (next && *next <= now_us && (earliest == nullptr || *next < deadline)) {
      earliest = &p;
      deadline = *next;
    }
  }
  if (earliest == nullptr) return {};
  const arq::SendAction action = earliest->window.Poll(now_us);
  switch (action.kind) {
    case arq::SendAction::Kind::kNone:
      return {};
    case arq::SendAction::Kind::kGiveUp:
      return End(*earliest, action.entry, action.sequence);
    case arq::SendAction::Kind::kRetransmit:
      break;
  }
  Pending& pending = earliest->pending[action.entry];
  pending.transmissions = action.transmissions;
  // The wait was too short for this link, or the frame was lost: either
  // way later frames wait longer until an ACK gives a sample (Karn).
  rtt_[earliest->id].Backoff();
  RefreshDeadline();
  return Event{.kind = Event::Kind::kRetransmit,
               .peer = earliest->id,
               .sequence = action.sequence,
               .message_id = pending.message_id,
               .transmissions = action.transmissions,
               .frame = std::span<const std::uint8_t>(
                   reinterpret_cast<const std::uint8_t*>(pending.frame.data()),
                   pending.frame_bytes)};
}

std::optional<Outbound::Event> Outbound::Abandon() {
  for (Peer& p : peers_) {
    if (p.id == 0) continue;
    if (const std::optional<arq::SendAction> action = p.window.Abandon()) {
      return End(p, action->entry, action->sequence);
    }
  }
  return std::nullopt;  // End freed every slot whose window emptied
}

void Outbound::RefreshDeadline() {
  next_deadline_.reset();
  for (const Peer& p : peers_) {
    if (p.id == 0) continue;
    const std::optional<std::uint64_t> next = p.window.NextDeadline();
    if (next && (!next_deadline_ || *next < *next_deadline_)) {
      next_deadline_ = next;
    }
  }
}

std::size_t Outbound::in_flight() const {
  std::size_t total = 0;
  for (const Peer& p : peers_) total += p.window.in_flight();
  return total;
}

arq::SendWindowStats Outbound::stats() const {
  arq::SendWindowStats total = retired_;
  for (const Peer& p : peers_) Add(total, p.window.stats());
  return total;
}

}  // namespace secure_node
