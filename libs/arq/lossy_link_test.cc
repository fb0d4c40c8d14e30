// Reliable delivery end to end over a lossy in-memory line: a sender with a
// SendWindow, a receiver with a wire::ReplayWindow, acknowledgements coming
// back over the same faults. A 64-bit check over each frame stands in for
// the GCM tag (a flipped or truncated frame fails it, as it would fail
// authentication); the node's frames use AES-GCM.
//
// The link promises: each message is delivered at most once; a message the
// sender reports delivered was delivered exactly once; every message ends
// in exactly one outcome at its sender (delivered, or failed after the last
// retransmission). It does not promise order: after a loss, later messages
// may arrive before the retransmitted one.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <queue>
#include <vector>

#include "arq/send_window.h"
#include "base/byte_order.h"
#include "base/test_rng.h"
#include "gtest/gtest.h"
#include "wire/replay_window.h"

namespace arq {
namespace {

enum class FrameType : std::uint8_t { kData = 1, kAck = 2 };

// type (1) | sequence (4) | acknowledged sequence or message id (4) | check (8)
constexpr std::size_t kFrameBytes = 17;
using Frame = std::vector<std::uint8_t>;

std::uint64_t Check(const std::uint8_t* p, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

Frame MakeFrame(FrameType type, std::uint32_t sequence, std::uint32_t value) {
  Frame f(kFrameBytes);
  f[0] = static_cast<std::uint8_t>(type);
  base::StoreBe32(&f[1], sequence);
  base::StoreBe32(&f[5], value);
  base::StoreBe64(&f[9], Check(f.data(), 9));
  return f;
}

struct Parsed {
  FrameType type;
  std::uint32_t sequence;
  std::uint32_t value;
};

// What authentication does for the node: anything altered is refused.
std::optional<Parsed> Verify(const Frame& f) {
  if (f.size() != kFrameBytes) return std::nullopt;
  if (base::LoadBe64(&f[9]) != Check(f.data(), 9)) return std::nullopt;
  if (f[0] != 1 && f[0] != 2) return std::nullopt;
  return Parsed{static_cast<FrameType>(f[0]), base::LoadBe32(&f[1]),
                base::LoadBe32(&f[5])};
}

struct Faults {
  std::uint32_t drop_in_100 = 0;
  std::uint32_t duplicate_in_100 = 0;
  std::uint32_t flip_in_100 = 0;
  std::uint32_t truncate_in_100 = 0;
  std::uint64_t latency_us = 1000;
  std::uint64_t jitter_us = 3000;  // reorders frames closer than this
};

// One direction of the line.
class LossyLine {
 public:
  LossyLine(const Faults& faults, std::uint64_t seed)
      : faults_(faults), rng_(seed) {}

  void Send(Frame frame, std::uint64_t now) {
    if (rng_.Below(100) < faults_.drop_in_100) return;
    if (rng_.Below(100) < faults_.flip_in_100) {
      const std::uint32_t bit = rng_.Below(frame.size() * 8);
      frame[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    }
    if (rng_.Below(100) < faults_.truncate_in_100) {
      frame.resize(rng_.Below(frame.size()));
    }
    const int copies = rng_.Below(100) < faults_.duplicate_in_100 ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      in_flight_.push(
          {now + faults_.latency_us +
               rng_.Below(static_cast<std::uint32_t>(faults_.jitter_us + 1)),
           order_++, frame});
    }
  }

  std::optional<std::uint64_t> NextArrival() const {
    if (in_flight_.empty()) return std::nullopt;
    return in_flight_.top().at;
  }

  std::optional<Frame> Receive(std::uint64_t now) {
    if (in_flight_.empty() || in_flight_.top().at > now) return std::nullopt;
    Frame f = in_flight_.top().frame;
    in_flight_.pop();
    return f;
  }

 private:
  struct InFlight {
    std::uint64_t at;
    std::uint64_t order;
    Frame frame;
    bool operator>(const InFlight& o) const {
      return at != o.at ? at > o.at : order > o.order;
    }
  };
  Faults faults_;
  base::TestRng rng_;
  std::uint64_t order_ = 0;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>>
      in_flight_;
};

enum class Outcome : std::uint8_t { kPending, kDelivered, kFailed };

struct RunResult {
  std::vector<Outcome> outcome;         // at the sender, per message
  std::vector<std::uint32_t> received;  // deliveries at the receiver
  SendWindowStats stats;
  std::uint64_t refused_frames = 0;  // failed the check
  std::uint64_t reacks = 0;
};

constexpr RetransmitPolicy kPolicy{.first_timeout_us = 10'000,
                                   .max_timeout_us = 80'000,
                                   .max_transmissions = 12};

RunResult RunLink(std::uint32_t messages, const Faults& faults,
                  std::uint64_t seed, bool receiver_alive = true) {
  RunResult r;
  r.outcome.assign(messages, Outcome::kPending);
  r.received.assign(messages, 0);
  LossyLine to_receiver(faults, seed);
  LossyLine to_sender(faults, seed * 7919 + 1);

  SendWindow<8> window(kPolicy);
  std::vector<std::uint32_t> message_of_entry(window.capacity());
  std::vector<Frame> frame_of_entry(window.capacity());
  std::uint32_t next_message = 0;
  std::uint32_t sender_sequence = 0;
  wire::ReplayWindow acks_seen;  // sender: freshness of the ACK frames
  wire::ReplayWindow data_seen;  // receiver: freshness of the DATA frames
  std::uint32_t receiver_sequence = 0;

  std::uint64_t now = 0;
  std::uint32_t finished = 0;
  while (finished < messages) {
    // The sender offers as much as the window takes.
    while (next_message < messages) {
      const base::Result<std::size_t> entry =
          window.Admit(sender_sequence + 1, now);
      if (!entry.ok()) {
        EXPECT_EQ(entry.status(), Code::kWindowFull);
        break;
      }
      ++sender_sequence;
      message_of_entry[entry.value()] = next_message;
      frame_of_entry[entry.value()] =
          MakeFrame(FrameType::kData, sender_sequence, next_message);
      to_receiver.Send(frame_of_entry[entry.value()], now);
      ++next_message;
    }
    // Timers.
    for (SendAction a = window.Poll(now); a.kind != SendAction::Kind::kNone;
         a = window.Poll(now)) {
      if (a.kind == SendAction::Kind::kRetransmit) {
        to_receiver.Send(frame_of_entry[a.entry], now);  // identical bytes
      } else {
        const std::uint32_t m = message_of_entry[a.entry];
        EXPECT_EQ(r.outcome[m], Outcome::kPending);
        r.outcome[m] = Outcome::kFailed;
        ++finished;
      }
    }
    // The receiver.
    while (std::optional<Frame> f = to_receiver.Receive(now)) {
      if (!receiver_alive) continue;
      const std::optional<Parsed> p = Verify(*f);
      if (!p.has_value() || p->type != FrameType::kData || p->sequence == 0) {
        ++r.refused_frames;
        continue;
      }
      const wire::ReplayWindow::Verdict v = data_seen.Check(p->sequence);
      if (v == wire::ReplayWindow::Verdict::kFresh) {
        data_seen.Accept(p->sequence);
        ++r.received[p->value];
      } else if (v == wire::ReplayWindow::Verdict::kReplayed) {
        ++r.reacks;  // delivered before: acknowledge again, deliver nothing
      } else {
        continue;  // cannot tell: neither deliver nor acknowledge
      }
      to_sender.Send(
          MakeFrame(FrameType::kAck, ++receiver_sequence, p->sequence), now);
    }
    // The sender's acknowledgements.
    while (std::optional<Frame> f = to_sender.Receive(now)) {
      const std::optional<Parsed> p = Verify(*f);
      if (!p.has_value() || p->type != FrameType::kAck || p->sequence == 0 ||
          acks_seen.Check(p->sequence) != wire::ReplayWindow::Verdict::kFresh) {
        ++r.refused_frames;
        continue;
      }
      acks_seen.Accept(p->sequence);
      const base::Result<std::size_t> entry = window.Acknowledge(p->value);
      if (!entry.ok()) continue;  // a late ACK of a message already ended
      const std::uint32_t m = message_of_entry[entry.value()];
      EXPECT_EQ(r.outcome[m], Outcome::kPending);
      r.outcome[m] = Outcome::kDelivered;
      ++finished;
    }
    // Next event.
    std::optional<std::uint64_t> next = window.NextDeadline();
    for (const std::optional<std::uint64_t> t :
         {to_receiver.NextArrival(), to_sender.NextArrival()}) {
      if (t.has_value() && (!next.has_value() || *t < *next)) next = t;
    }
    if (!next.has_value()) {
      if (next_message < messages) continue;  // the window has room again
      break;                                  // nothing can happen any more
    }
    now = std::max(now, *next);
  }
  r.stats = window.stats();
  return r;
}

// The promises, checked message by message.
void ExpectExactlyOnceOrFailed(const RunResult& r) {
  for (std::size_t m = 0; m < r.outcome.size(); ++m) {
    ASSERT_LE(r.received[m], 1u) << "message " << m << " delivered twice";
    ASSERT_NE(r.outcome[m], Outcome::kPending) << "message " << m;
    if (r.outcome[m] == Outcome::kDelivered) {
      ASSERT_EQ(r.received[m], 1u)
          << "message " << m << " acknowledged but never delivered";
    }
  }
}

TEST(LossyLinkTest, HundredThousandMessagesArriveExactlyOnce) {
  const Faults faults{.drop_in_100 = 10,
                      .duplicate_in_100 = 5,
                      .flip_in_100 = 5,
                      .truncate_in_100 = 3};
  const RunResult r = RunLink(100'000, faults, /*seed=*/42);
  ExpectExactlyOnceOrFailed(r);
  const auto failed =
      std::count(r.outcome.begin(), r.outcome.end(), Outcome::kFailed);
  // With 12 transmissions a message fails only if 12 round trips in a row
  // are lost (about 0.3^12): none in 10^5.
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(r.stats.acknowledged, 100'000u);
  EXPECT_GT(r.stats.retransmissions, 10'000u);  // the faults did happen
  EXPECT_GT(r.stats.window_full, 0u);           // backpressure was used
  EXPECT_GT(r.refused_frames, 0u);
  EXPECT_GT(r.reacks, 0u);
}

TEST(LossyLinkTest, CleanLineNeedsNoRetransmission) {
  const RunResult r = RunLink(1000, Faults{}, /*seed=*/1);
  ExpectExactlyOnceOrFailed(r);
  EXPECT_EQ(r.stats.acknowledged, 1000u);
  EXPECT_EQ(r.stats.retransmissions, 0u);
  EXPECT_EQ(r.refused_frames, 0u);
}

TEST(LossyLinkTest, DeadReceiverFailsEveryMessageAfterTheLastTry) {
  const RunResult r =
      RunLink(20, Faults{}, /*seed=*/3, /*receiver_alive=*/false);
  ExpectExactlyOnceOrFailed(r);
  EXPECT_EQ(r.stats.given_up, 20u);
  EXPECT_EQ(r.stats.retransmissions, 20u * (kPolicy.max_transmissions - 1));
  for (const Outcome o : r.outcome) EXPECT_EQ(o, Outcome::kFailed);
}

TEST(LossyLinkTest, EverySeedKeepsThePromises) {
  const Faults heavy{.drop_in_100 = 30,
                     .duplicate_in_100 = 20,
                     .flip_in_100 = 10,
                     .truncate_in_100 = 10,
                     .jitter_us = 30'000};
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    SCOPED_TRACE(seed);
    ExpectExactlyOnceOrFailed(RunLink(3000, heavy, seed));
  }
}

}  // namespace
}  // namespace arq
