// The send window against a reference model: a map from sequence to
// (transmissions, deadline) that states the rules of send_window.h in the
// plainest way. Random operations, the same answers.
#include <cstdint>
#include <map>

#include "arq/send_window.h"
#include "base/test_rng.h"
#include "gtest/gtest.h"

namespace arq {
namespace {

constexpr std::size_t kCapacity = 8;
constexpr RetransmitPolicy kPolicy{
    .first_timeout_us = 40, .max_timeout_us = 300, .max_transmissions = 5};

class ReferenceWindow {
 public:
  struct Pending {
    std::uint8_t transmissions;
    std::uint64_t deadline;
  };

  base::Status Admit(std::uint32_t sequence, std::uint64_t now) {
    if (sequence == 0) return Code::kZeroSequence;
    if (sequence <= last_) return Code::kSequenceNotIncreasing;
    if (pending_.size() == kCapacity) return Code::kWindowFull;
    // The oldest in flight is the map's first; 64 is the receiver's window.
    if (!pending_.empty() && sequence - pending_.begin()->first >= 64)
      return Code::kWindowFull;
    pending_[sequence] = {1, now + kPolicy.Timeout(1)};
    last_ = sequence;
    return base::OkStatus();
  }

  base::Status Acknowledge(std::uint32_t sequence) {
    if (sequence == 0) return Code::kZeroSequence;
    if (pending_.erase(sequence) == 0) return Code::kUnknownSequence;
    return base::OkStatus();
  }

  SendAction Poll(std::uint64_t now) {
    auto due = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      // The map is ordered by sequence, so "<" keeps the lower one on ties.
      if (due == pending_.end() || it->second.deadline < due->second.deadline)
        due = it;
    }
    if (due == pending_.end() || due->second.deadline > now) return {};
    SendAction action;
    action.sequence = due->first;
    if (due->second.transmissions < kPolicy.max_transmissions) {
      action.kind = SendAction::Kind::kRetransmit;
      action.transmissions = ++due->second.transmissions;
      due->second.deadline = now + kPolicy.Timeout(action.transmissions);
    } else {
      action.kind = SendAction::Kind::kGiveUp;
      action.transmissions = due->second.transmissions;
      pending_.erase(due);
    }
    return action;
  }

  const std::map<std::uint32_t, Pending>& pending() const { return pending_; }

 private:
  std::map<std::uint32_t, Pending> pending_;
  std::uint32_t last_ = 0;
};

TEST(SendWindowModelTest, AgreesWithTheReferenceOnRandomOperations) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    base::TestRng rng(seed);
    SendWindow<kCapacity> window(kPolicy);
    ReferenceWindow model;
    std::uint64_t now = 0;
    std::uint32_t next_sequence = 1;
    for (int step = 0; step < 20000; ++step) {
      switch (rng.Below(4)) {
        case 0: {  // admit the next sequence, sometimes a stale or zero one
          std::uint32_t sequence = next_sequence;
          if (rng.OneIn(10)) sequence = rng.Below(next_sequence + 1);
          const base::Result<std::size_t> got = window.Admit(sequence, now);
          const base::Status want = model.Admit(sequence, now);
          ASSERT_EQ(got.ok() ? base::OkStatus() : got.status(), want);
          if (got.ok()) {
            ASSERT_EQ(window.sequence(got.value()), sequence);
            ++next_sequence;
          }
          break;
        }
        case 1: {  // acknowledge something recent, known or not
          const std::uint32_t sequence = next_sequence > 12
                                             ? next_sequence - 1 - rng.Below(12)
                                             : rng.Below(next_sequence + 1);
          const base::Result<std::size_t> got = window.Acknowledge(sequence);
          ASSERT_EQ(got.ok() ? base::OkStatus() : got.status(),
                    model.Acknowledge(sequence));
          if (got.ok()) {
            ASSERT_FALSE(window.occupied(got.value()));
          }
          break;
        }
        case 2: {  // time passes; everything due is served
          now += rng.Below(120);
          for (;;) {
            const SendAction got = window.Poll(now);
            const SendAction want = model.Poll(now);
            ASSERT_EQ(got.kind, want.kind);
            if (got.kind == SendAction::Kind::kNone) break;
            ASSERT_EQ(got.sequence, want.sequence);
            ASSERT_EQ(got.transmissions, want.transmissions);
          }
          break;
        }
        default: {  // the timer the caller would arm
          const std::optional<std::uint64_t> deadline = window.NextDeadline();
          std::optional<std::uint64_t> want;
          for (const auto& [sequence, pending] : model.pending()) {
            if (!want.has_value() || pending.deadline < *want)
              want = pending.deadline;
          }
          ASSERT_EQ(deadline, want);
          break;
        }
      }
      ASSERT_EQ(window.in_flight(), model.pending().size());
    }
    const SendWindowStats& s = window.stats();
    // Every admitted entry ended once or is still in flight.
    EXPECT_EQ(s.admitted,
              s.acknowledged + s.given_up + s.abandoned + window.in_flight());
  }
}

}  // namespace
}  // namespace arq
