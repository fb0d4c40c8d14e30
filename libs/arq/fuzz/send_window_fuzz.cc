// Fuzzes the send window (arq/send_window.h) with a sequence of Admit (with
// or without a round-trip estimate as the first wait), Acknowledge, Poll,
// Abandon and ResetSequences under a policy the input chooses (invalid ones
// included), at times the input chooses. Every answer
// is compared with a reference model that states the header's rules
// plainly (a map from sequence to entry), and after every operation:
//  * entries, their sequences and timing are what the model says, one
//    entry per sequence, all within kSequenceSpan of each other;
//  * every admitted entry ends once: admitted = acknowledged + given up +
//    abandoned + in flight;
//  * NextDeadline is the model's earliest deadline.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>

#include "arq/send_window.h"
#include "base/fuzz_input.h"
#include "base/status.h"

namespace {

// Small, so that a full window and the sequence span are both reachable.
constexpr std::size_t kCapacity = 4;
constexpr std::uint32_t kSpan = 16;
using Window = arq::SendWindow<kCapacity, kSpan>;
using Kind = arq::SendAction::Kind;

void Require(bool condition) {
  if (!condition) std::abort();
}

using Input = base::FuzzInput;

// min(first * 2^(n-1), max), saturating: retransmit_policy.h's rule. The
// first wait is the entry's estimate, or the policy's without one.
std::uint64_t Timeout(const arq::RetransmitPolicy& policy, unsigned n,
                      std::uint32_t first_wait) {
  std::uint64_t timeout =
      first_wait != 0 ? first_wait : policy.first_timeout_us;
  for (unsigned i = 1; i < n && timeout < policy.max_timeout_us; ++i) {
    timeout *= 2;
  }
  return timeout < policy.max_timeout_us ? timeout : policy.max_timeout_us;
}

struct Pending {
  std::size_t entry;
  unsigned transmissions;
  std::uint64_t deadline;
  std::uint32_t line_time;
  std::uint32_t first_wait;
  std::uint64_t sent_at;
};

class Model {
 public:
  explicit Model(const arq::RetransmitPolicy& policy) : policy_(policy) {}

  base::Status CheckAdmit(std::uint32_t sequence) const {
    if (policy_.first_timeout_us == 0 ||
        policy_.max_timeout_us < policy_.first_timeout_us ||
        policy_.max_transmissions == 0) {
      return arq::Code::kInvalidPolicy;
    }
    if (sequence == 0) return arq::Code::kZeroSequence;
    if (sequence <= last_) return arq::Code::kSequenceNotIncreasing;
    if (pending_.size() == kCapacity) return arq::Code::kWindowFull;
    if (!pending_.empty() && sequence - pending_.begin()->first >= kSpan) {
      return arq::Code::kWindowFull;
    }
    return base::OkStatus();
  }
  void Admit(std::uint32_t sequence, std::size_t entry, std::uint64_t now,
             std::uint32_t line_time, std::uint32_t first_wait) {
    for (const auto& [s, p] : pending_) Require(p.entry != entry);
    pending_[sequence] = {entry,
                          1,
                          now + Timeout(policy_, 1, first_wait) + line_time,
                          line_time,
                          first_wait,
                          now};
    last_ = sequence;
  }
  // The sequence due first: earliest deadline, then lowest sequence.
  std::optional<std::uint32_t> Earliest() const {
    std::optional<std::uint32_t> best;
    for (const auto& [s, p] : pending_) {
      if (!best || p.deadline < pending_.at(*best).deadline) best = s;
    }
    return best;
  }

  std::map<std::uint32_t, Pending> pending_;  // by sequence
  std::uint32_t last_ = 0;
  arq::RetransmitPolicy policy_;
};

void CheckState(const Window& window, const Model& model, std::uint64_t ended) {
  Require(window.in_flight() == model.pending_.size());
  std::size_t occupied = 0;
  for (std::size_t e = 0; e < kCapacity; ++e) {
    if (!window.occupied(e)) {
      Require(window.sequence(e) == 0);
      continue;
    }
    ++occupied;
    const auto it = model.pending_.find(window.sequence(e));
    Require(it != model.pending_.end() && it->second.entry == e);
    // What a round-trip sample is taken from.
    const auto timing = window.timing(e);
    Require(timing.sent_at_us == it->second.sent_at &&
            timing.transmissions == it->second.transmissions &&
            timing.line_time_us == it->second.line_time);
  }
  Require(occupied == model.pending_.size());
  Require(!window.occupied(kCapacity) && window.sequence(kCapacity) == 0 &&
          window.timing(kCapacity).transmissions == 0);
  if (!model.pending_.empty()) {
    Require(model.pending_.rbegin()->first - model.pending_.begin()->first <
            kSpan);
  }
  const arq::SendWindowStats& stats = window.stats();
  Require(stats.admitted == stats.acknowledged + stats.given_up +
                                stats.abandoned + window.in_flight());
  Require(stats.acknowledged + stats.given_up + stats.abandoned == ended);
  const std::optional<std::uint32_t> due = model.Earliest();
  const std::optional<std::uint64_t> next = window.NextDeadline();
  Require(due.has_value() == next.has_value());
  if (due) Require(*next == model.pending_.at(*due).deadline);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  Input in(data, size);
  arq::RetransmitPolicy policy;
  // Mostly valid policies; a zero timeout, a cap below the first timeout
  // or no transmission at all now and then.
  policy.first_timeout_us = in.Byte() * 16u;
  const std::uint8_t cap = in.Byte();
  policy.max_timeout_us = cap < 8 ? policy.first_timeout_us / (cap + 2u)
                                  : policy.first_timeout_us + cap * 64u;
  policy.max_transmissions = in.Byte() % 8;
  Window window(policy);
  Model model(policy);
  std::uint64_t now = 1'000'000;
  std::uint64_t ended = 0;
  while (!in.empty()) {
    const std::uint8_t op = in.Byte();
    switch (op % 6) {
      case 0:
      case 1: {  // Admit: usually the next sequences, sometimes anything
        const std::uint32_t sequence =
            op & 0x80 ? in.Word() : model.last_ + in.Byte() % 24;
        const std::uint32_t line_time = in.Byte() * 100u;
        // With 0x40: a first wait from a round-trip estimate, else the
        // policy's.
        const std::uint32_t first_wait = op & 0x40 ? in.Byte() * 40u : 0;
        const base::Status expected = model.CheckAdmit(sequence);
        Require(window.CheckAdmit(sequence) == expected);
        const base::Result<std::size_t> admitted =
            window.Admit(sequence, now, line_time, first_wait);
        Require(admitted.status() == expected);
        if (admitted.ok()) {
          Require(admitted.value() < kCapacity);
          model.Admit(sequence, admitted.value(), now, line_time, first_wait);
        }
        break;
      }
      case 2: {  // Acknowledge: one in flight, or a stale/forged one
        // Up to one past the last admitted; 64-bit, as last_ + 2 may wrap.
        std::uint32_t sequence = static_cast<std::uint32_t>(
            in.Word() % (std::uint64_t{model.last_} + 2));
        if (op & 0x80 && !model.pending_.empty()) {
          auto it = model.pending_.begin();
          std::advance(it, in.Byte() % model.pending_.size());
          sequence = it->first;
        }
        const base::Result<std::size_t> acked = window.Acknowledge(sequence);
        const auto it = model.pending_.find(sequence);
        if (sequence == 0) {
          Require(acked.status() == arq::Code::kZeroSequence);
        } else if (it == model.pending_.end()) {
          Require(acked.status() == arq::Code::kUnknownSequence);
        } else {
          Require(acked.ok() && acked.value() == it->second.entry);
          model.pending_.erase(it);
          ++ended;
        }
        break;
      }
      case 3: {  // Time passes; Poll until nothing is due
        now += std::uint64_t{in.Byte()} << (in.Byte() % 16);
        for (;;) {
          const arq::SendAction action = window.Poll(now);
          const std::optional<std::uint32_t> due = model.Earliest();
          if (!due || model.pending_.at(*due).deadline > now) {
            Require(action.kind == Kind::kNone);
            break;
          }
          Pending& p = model.pending_.at(*due);
          Require(action.entry == p.entry && action.sequence == *due);
          if (p.transmissions < policy.max_transmissions) {
            ++p.transmissions;
            p.deadline = now + Timeout(policy, p.transmissions, p.first_wait) +
                         p.line_time;
            Require(action.kind == Kind::kRetransmit &&
                    action.transmissions == p.transmissions);
          } else {
            Require(action.kind == Kind::kGiveUp &&
                    action.transmissions == p.transmissions);
            model.pending_.erase(*due);
            ++ended;
          }
        }
        break;
      }
      case 4: {  // Abandon one: lowest entry first
        const std::optional<arq::SendAction> action = window.Abandon();
        std::optional<std::uint32_t> lowest;
        for (const auto& [s, p] : model.pending_) {
          if (!lowest || p.entry < model.pending_.at(*lowest).entry) lowest = s;
        }
        Require(action.has_value() == lowest.has_value());
        if (lowest) {
          Require(action->kind == Kind::kGiveUp &&
                  action->sequence == *lowest &&
                  action->entry == model.pending_.at(*lowest).entry);
          model.pending_.erase(*lowest);
          ++ended;
        }
        break;
      }
      case 5: {  // A new key: sequences start over, only when empty
        const base::Status reset = window.ResetSequences();
        if (model.pending_.empty()) {
          Require(reset.ok());
          model.last_ = 0;
        } else {
          Require(reset == arq::Code::kWindowFull);
        }
        break;
      }
    }
    CheckState(window, model, ended);
  }
  return 0;
}
