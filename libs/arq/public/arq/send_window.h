// The sender's half of reliable delivery on one link: which sealed frames
// still wait for an acknowledgement, when each is due again, and when one
// is given up.
//
// The window does not hold frames. Entry i of a SendWindow<k> pairs with
// the caller's frame store i (e.g. a pool block per entry): Admit names the
// entry a new frame goes in, Poll names the entry to retransmit (the
// identical bytes: same sequence, same nonce, same ciphertext, never a new
// plaintext under an old nonce) or to give up, Acknowledge names the entry
// whose frame can be released.
//
// Guarantees:
//  * one entry per sequence, and sequences admitted strictly increase, so
//    the window never owns two frames under one nonce;
//  * an acknowledgement frees exactly the entry of its sequence; one for an
//    unknown sequence (never sent, acknowledged before, given up, or from
//    before Clear) is refused and counted and changes nothing, so a
//    replayed or stale acknowledgement cannot acknowledge a message away;
//  * every admitted entry ends exactly once: acknowledged, given up by Poll
//    after policy.max_transmissions, or abandoned by Clear;
//  * a full window refuses Admit (kWindowFull): backpressure, not a drop.
//    The window is full when every entry is taken, and also when the new
//    sequence would be kSequenceSpan or more above the oldest entry's: the
//    receiver's replay window (wire::ReplayWindow, 64 sequences) must still
//    tell a retransmission of the oldest frame (delivered before: ACK it
//    again) from a frame too old to judge (neither deliver nor ACK). Without
//    this rule one unlucky frame falls behind while the other entries
//    cycle, and its delivery can no longer be confirmed.
// Not guaranteed here (the caller's part): that acknowledgements are
// authenticated and fresh before Acknowledge sees them.
//
// Cost: every operation scans the entries, O(kCapacity) with kCapacity
// small (the node uses 8); no allocation, no locks (one owner: the link).
#ifndef LIBS_ARQ_PUBLIC_ARQ_SEND_WINDOW_H_
#define LIBS_ARQ_PUBLIC_ARQ_SEND_WINDOW_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "arq/retransmit_policy.h"
#include "arq/status.h"
#include "base/status.h"

namespace arq {

// What Poll asks the caller to do now.
struct SendAction {
  enum class Kind : std::uint8_t {
    kNone,        // nothing is due
    kRetransmit,  // send entry's frame again (transmissions counts it)
    kGiveUp,      // entry's message failed: no acknowledgement in time
  };
  Kind kind = Kind::kNone;
  std::size_t entry = 0;
  std::uint32_t sequence = 0;
  std::uint8_t transmissions = 0;  // how many times the frame has gone out
};

struct SendWindowStats {
  std::uint64_t admitted = 0;
  std::uint64_t acknowledged = 0;
  std::uint64_t retransmissions = 0;
  std::uint64_t given_up = 0;
  std::uint64_t abandoned = 0;     // by Clear
  std::uint64_t window_full = 0;   // Admit refused: backpressure
  std::uint64_t unknown_acks = 0;  // Acknowledge refused
};

template <std::size_t kCapacity, std::uint32_t kSequenceSpan = 64>
class SendWindow {
  static_assert(kCapacity >= 1 && kCapacity <= kSequenceSpan);

 public:
  // The policy must be valid (RetransmitPolicy::Validate); an invalid one
  // makes every Admit fail with kInvalidPolicy.
  constexpr explicit SendWindow(const RetransmitPolicy& policy)
      : policy_(policy) {}

  // Whether Admit(sequence, ...) would succeed now, without taking an entry
  // or counting anything: a caller checks before it seals the frame, so a
  // nonce is never spent on a frame the window would refuse.
  base::Status CheckAdmit(std::uint32_t sequence) const {
    if (const base::Status valid = policy_.Validate(); !valid.ok()) {
      return valid;
    }
    if (sequence == 0) return Code::kZeroSequence;
    if (sequence <= last_admitted_) return Code::kSequenceNotIncreasing;
    if (in_flight_ == kCapacity) return Code::kWindowFull;
    if (in_flight_ != 0 && sequence - OldestSequence() >= kSequenceSpan) {
      return Code::kWindowFull;
    }
    return base::OkStatus();
  }

  // Takes a free entry for a frame with `sequence` whose first transmission
  // happens now. Returns the entry index. `line_time_us` is added to every
  // wait of this entry: the time the frame and its acknowledgement spend
  // being serialised on the line, so a long frame on a slow line is not
  // retransmitted before it could possibly have been acknowledged.
  // `first_wait_us` replaces the policy's first timeout for this entry (an
  // estimate of the link's round trip, rtt_estimator.h); 0 keeps it.
  base::Result<std::size_t> Admit(std::uint32_t sequence, std::uint64_t now_us,
                                  std::uint32_t line_time_us = 0,
                                  std::uint32_t first_wait_us = 0) {
    if (const base::Status admissible = CheckAdmit(sequence);
        !admissible.ok()) {
      if (admissible == Code::kWindowFull) ++stats_.window_full;
      return admissible;
    }
    for (std::size_t i = 0; i < kCapacity; ++i) {
      Entry& e = entries_[i];
      if (e.transmissions != 0) continue;
      e.sequence = sequence;
      e.transmissions = 1;
      e.line_time_us = line_time_us;
      e.first_wait_us = first_wait_us;
      e.sent_at_us = now_us;
      e.deadline_us = now_us + policy_.Timeout(1, first_wait_us) + line_time_us;
      last_admitted_ = sequence;
      ++in_flight_;
      ++stats_.admitted;
      return i;
    }
    return Code::kWindowFull;  // unreachable: CheckAdmit counted the entries
  }

  // An authenticated acknowledgement of `sequence`: frees its entry and
  // returns the entry index (its frame may be released, its message is
  // delivered).
  base::Result<std::size_t> Acknowledge(std::uint32_t sequence) {
    if (sequence == 0) {
      ++stats_.unknown_acks;
      return Code::kZeroSequence;
    }
    for (std::size_t i = 0; i < kCapacity; ++i) {
      Entry& e = entries_[i];
      if (e.transmissions == 0 || e.sequence != sequence) continue;
      e = Entry{};
      --in_flight_;
      ++stats_.acknowledged;
      return i;
    }
    ++stats_.unknown_acks;
    return Code::kUnknownSequence;
  }

  // The one action due at `now_us`, earliest deadline first (the lower
  // sequence on a tie); kNone when nothing is due. Call until kNone.
  SendAction Poll(std::uint64_t now_us) {
    const std::optional<std::size_t> due = Earliest();
    if (!due.has_value() || entries_[*due].deadline_us > now_us) return {};
    Entry& e = entries_[*due];
    SendAction action{SendAction::Kind::kNone, *due, e.sequence,
                      e.transmissions};
    if (e.transmissions < policy_.max_transmissions) {
      ++e.transmissions;
      e.deadline_us = now_us +
                      policy_.Timeout(e.transmissions, e.first_wait_us) +
                      e.line_time_us;
      action.kind = SendAction::Kind::kRetransmit;
      action.transmissions = e.transmissions;
      ++stats_.retransmissions;
    } else {
      e = Entry{};
      --in_flight_;
      action.kind = SendAction::Kind::kGiveUp;
      ++stats_.given_up;
    }
    return action;
  }

  // The earliest deadline of an entry, for the caller's timer; empty when
  // nothing is in flight.
  std::optional<std::uint64_t> NextDeadline() const {
    const std::optional<std::size_t> due = Earliest();
    if (!due.has_value()) return std::nullopt;
    return entries_[*due].deadline_us;
  }

  // Ends one entry still in flight (a new key epoch, RESET, lockout) and
  // returns it, lowest entry first; empty when none is left. The caller
  // reports each such message failed with its own cause and releases its
  // frame. The sequence order is kept: a window cleared for a new epoch
  // admits sequences from 1 again only after ResetSequences.
  std::optional<SendAction> Abandon() {
    for (std::size_t i = 0; i < kCapacity; ++i) {
      Entry& e = entries_[i];
      if (e.transmissions == 0) continue;
      const SendAction action{SendAction::Kind::kGiveUp, i, e.sequence,
                              e.transmissions};
      e = Entry{};
      --in_flight_;
      ++stats_.abandoned;
      return action;
    }
    return std::nullopt;
  }

  // Starts the sequence order again (a new key: its nonces are new). Only
  // an empty window may do so; otherwise kWindowFull.
  base::Status ResetSequences() {
    if (in_flight_ != 0) return Code::kWindowFull;
    last_admitted_ = 0;
    return base::OkStatus();
  }

  std::size_t in_flight() const { return in_flight_; }
  static constexpr std::size_t capacity() { return kCapacity; }
  bool occupied(std::size_t entry) const {
    return entry < kCapacity && entries_[entry].transmissions != 0;
  }
  // The sequence entry holds; 0 when free.
  std::uint32_t sequence(std::size_t entry) const {
    return entry < kCapacity ? entries_[entry].sequence : 0;
  }
  // When entry's frame first went out, how often it has, and its line time:
  // what a round-trip sample needs before Acknowledge frees the entry.
  struct Timing {
    std::uint64_t sent_at_us;
    std::uint8_t transmissions;
    std::uint32_t line_time_us;
  };
  Timing timing(std::size_t entry) const {
    if (entry >= kCapacity) return {0, 0, 0};
    const Entry& e = entries_[entry];
    return {e.sent_at_us, e.transmissions, e.line_time_us};
  }
  const SendWindowStats& stats() const { return stats_; }
  const RetransmitPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    std::uint32_t sequence = 0;
    std::uint8_t transmissions = 0;  // 0: free
    std::uint32_t line_time_us = 0;
    std::uint32_t first_wait_us = 0;
    std::uint64_t sent_at_us = 0;  // the first transmission
    std::uint64_t deadline_us = 0;
  };

  // The lowest sequence in flight; requires in_flight_ != 0.
  std::uint32_t OldestSequence() const {
    std::uint32_t oldest = last_admitted_;
    for (const Entry& e : entries_) {
      if (e.transmissions != 0 && e.sequence < oldest) oldest = e.sequence;
    }
    return oldest;
  }

  std::optional<std::size_t> Earliest() const {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < kCapacity; ++i) {
      const Entry& e = entries_[i];
      if (e.transmissions == 0) continue;
      if (!best.has_value() || e.deadline_us < entries_[*best].deadline_us ||
          (e.deadline_us == entries_[*best].deadline_us &&
           e.sequence < entries_[*best].sequence)) {
        best = i;
      }
    }
    return best;
  }

  RetransmitPolicy policy_;
  std::array<Entry, kCapacity> entries_{};
  std::uint32_t last_admitted_ = 0;
  std::size_t in_flight_ = 0;
  SendWindowStats stats_;
};

}  // namespace arq

#endif  // LIBS_ARQ_PUBLIC_ARQ_SEND_WINDOW_H_
