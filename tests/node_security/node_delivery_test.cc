// Reliable delivery between two whole nodes (PROTOCOL.md, "Delivery"): a
// seeded lossy line that drops, flips, truncates, duplicates and reorders
// frames in both directions; receiver reboots; and acknowledgements from
// an attacker. What must hold: every accepted SEND ends in exactly one
// DELIVERED or FAILED line, a DELIVERED message was received exactly once,
// and no message is ever received twice.
#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_test_support.h"
#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "wire/header.h"

namespace secure_node {
namespace {

using namespace test_support;  // NOLINT(build/namespaces): test helpers

struct LineFaults {
  double drop = 0;
  double flip = 0;
  double truncate = 0;
  double duplicate = 0;
  std::uint64_t max_jitter_us = 0;  // uniform delay: reorders frames
};

// One direction of the line: frames in flight with their arrival times.
class LossyLine {
 public:
  LossyLine(const LineFaults& faults, std::uint32_t seed)
      : faults_(faults), rng_(seed) {}

  // Takes what a node wrote (whole COBS frames with delimiters).
  void Send(const std::vector<std::uint8_t>& wire_bytes, std::uint64_t now) {
    std::vector<std::uint8_t> frame;
    for (std::uint8_t b : wire_bytes) {
      frame.push_back(b);
      if (b == 0) {
        Enqueue(frame, now);
        frame.clear();
      }
    }
  }
  // The bytes whose time has come, in arrival order.
  std::vector<std::uint8_t> Arrived(std::uint64_t now) {
    std::vector<std::uint8_t> out;
    std::stable_sort(
        in_flight_.begin(), in_flight_.end(),
        [](const auto& x, const auto& y) { return x.first < y.first; });
    while (!in_flight_.empty() && in_flight_.front().first <= now) {
      const auto& bytes = in_flight_.front().second;
      out.insert(out.end(), bytes.begin(), bytes.end());
      in_flight_.pop_front();
    }
    return out;
  }
  void Clear() { in_flight_.clear(); }
  bool empty() const { return in_flight_.empty(); }

 private:
  bool Chance(double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
  }
  void Enqueue(std::vector<std::uint8_t> frame, std::uint64_t now) {
    if (Chance(faults_.drop)) return;
    if (Chance(faults_.flip)) {
      const std::size_t bit = rng_() % ((frame.size() - 1) * 8);
      frame[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    }
    if (Chance(faults_.truncate) && frame.size() > 2) {
      frame.erase(frame.begin() + 1 + rng_() % (frame.size() - 2),
                  frame.end() - 1);
    }
    const int copies = Chance(faults_.duplicate) ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      const std::uint64_t jitter =
          faults_.max_jitter_us == 0 ? 0 : rng_() % faults_.max_jitter_us;
      in_flight_.emplace_back(now + 1'000 + jitter, frame);
    }
  }

  LineFaults faults_;
  std::mt19937 rng_;
  std::deque<std::pair<std::uint64_t, std::vector<std::uint8_t>>> in_flight_;
};

// What the console lines of both nodes say about each message.
struct Ledger {
  std::map<std::uint32_t, int> received;    // id -> RX lines at the receiver
  std::map<std::uint32_t, int> outcomes;    // id -> DELIVERED/FAILED lines
  std::map<std::uint32_t, bool> delivered;  // id -> DELIVERED (not FAILED)
  std::map<std::uint32_t, int> transmissions;
  std::uint32_t failed = 0;

  static std::uint32_t Field(const std::string& line, const std::string& key) {
    const std::size_t at = line.find(" " + key + "=");
    EXPECT_NE(at, std::string::npos) << line;
    return static_cast<std::uint32_t>(
        std::stoul(line.substr(at + key.size() + 2)));
  }
  void Take(std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      if (line.rfind("RX ", 0) == 0) {
        ++received[Field(line, "id")];
      } else if (line.rfind("DELIVERED ", 0) == 0 ||
                 line.rfind("FAILED ", 0) == 0) {
        const std::uint32_t id = Field(line, "id");
        ++outcomes[id];
        delivered[id] = line[0] == 'D';
        transmissions[id] = static_cast<int>(Field(line, "tx"));
        if (line[0] == 'F') ++failed;
      }
    }
    lines.clear();
  }
};

class NodeDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a.Provision(1, {2});
    b.Provision(2, {1});
  }

  // One tick of `step_us`: lines carry what is due, both nodes serve their
  // timers, the ledger reads both consoles.
  void Tick(std::uint64_t step_us) {
    a.clock.Advance(step_us);
    b.clock.Advance(step_us);
    a.node->Service();
    b.node->Service();
    to_b.Send(a.TakeWire(), a.clock.NowMicroseconds());
    to_a.Send(b.TakeWire(), b.clock.NowMicroseconds());
    b.Deliver(to_b.Arrived(b.clock.NowMicroseconds()));
    a.Deliver(to_a.Arrived(a.clock.NowMicroseconds()));
    to_b.Send(a.TakeWire(), a.clock.NowMicroseconds());
    to_a.Send(b.TakeWire(), b.clock.NowMicroseconds());
    ledger.Take(a.output.lines);
    ledger.Take(b.output.lines);
  }

  // Offers messages 1..count from a to b (a BUSY is offered again later),
  // then runs until every message has its outcome.
  void Run(std::uint32_t count, std::size_t len,
           std::uint32_t reboot_receiver_every = 0) {
    std::uint32_t next = 1;
    std::uint64_t ticks = 0;
    while (next <= count || a.node->in_flight() != 0) {
      while (next <= count) {
        a.output.lines.clear();
        a.node->ExecuteLine("SEND 2 " + std::to_string(next) + " " +
                            std::to_string(len) + " " + std::to_string(next));
        const std::string reply = a.output.lines.back();
        a.output.lines.pop_back();
        if (reply.rfind("BUSY SEND", 0) == 0) break;
        ASSERT_EQ(reply.rfind("OK SEND id=" + std::to_string(next), 0), 0u)
            << reply;
        ++next;
      }
      Tick(5'000);
      ++ticks;
      if (reboot_receiver_every != 0 && ticks % reboot_receiver_every == 0) {
        to_b.Clear();  // what was on its way is lost with the power
        b.Reboot();
      }
      ASSERT_LT(ticks, 100'000'000u);
    }
    sent = next - 1;
  }

  // The promises, whatever the faults.
  void ExpectExactlyOnce() {
    for (std::uint32_t id = 1; id <= sent; ++id) {
      ASSERT_EQ(ledger.outcomes[id], 1) << "message " << id;
      ASSERT_LE(ledger.received[id], 1) << "delivered twice: " << id;
      if (ledger.delivered[id]) {
        ASSERT_EQ(ledger.received[id], 1)
            << "acknowledged, never received " << id;
      }
    }
    for (const auto& [id, count] : ledger.received) {
      ASSERT_TRUE(id >= 1 && id <= sent) << "received, never sent: " << id;
    }
  }

  std::unique_ptr<TestNode> owned_a = std::make_unique<TestNode>();
  std::unique_ptr<TestNode> owned_b = std::make_unique<TestNode>();
  TestNode& a = *owned_a;
  TestNode& b = *owned_b;
  LineFaults faults{.drop = 0.04,
                    .flip = 0.02,
                    .truncate = 0.01,
                    .duplicate = 0.02,
                    .max_jitter_us = 30'000};
  LossyLine to_b{faults, 1};
  LossyLine to_a{faults, 2};
  Ledger ledger;
  std::uint32_t sent = 0;
};

#if defined(__arm__)
constexpr std::uint32_t kMessages = 300;  // the same path, fewer times
#else
constexpr std::uint32_t kMessages = 100'000;
#endif

TEST_F(NodeDeliveryTest, LossyLineDeliversEveryMessageExactlyOnce) {
  Run(kMessages, 16);
  ExpectExactlyOnce();
  std::uint32_t retransmitted = 0;
  for (const auto& [id, tx] : ledger.transmissions) retransmitted += tx > 1;
  // The faults were real: many messages needed more than one transmission,
  // and with six transmissions almost none ran out of them.
  EXPECT_GT(retransmitted, kMessages / 20);
  EXPECT_LE(ledger.failed, kMessages / 10'000);
  EXPECT_EQ(b.node->stats().rx_ok, ledger.received.size());
  EXPECT_GT(b.node->stats().rx_duplicates, 0u);  // lost ACKs, re-ACKed
  RecordProperty("failed", static_cast<int>(ledger.failed));
  RecordProperty("retransmitted", static_cast<int>(retransmitted));
}

TEST_F(NodeDeliveryTest, LargeMessagesToo) {
  Run(kMessages / 100 + 20, 4096);
  ExpectExactlyOnce();
  EXPECT_EQ(ledger.failed, 0u);
}

// The receiver loses power every 150 ms of traffic: its persisted receive
// window lets every retransmission be judged exactly, so nothing is
// delivered twice and every message still arrives.
TEST_F(NodeDeliveryTest, ReceiverRebootsNeverDeliverTwice) {
  Run(kMessages / 100 + 200, 64, /*reboot_receiver_every=*/30);
  ExpectExactlyOnce();
  EXPECT_EQ(ledger.failed, 0u);
}

// A dead receiver: every message fails after exactly the policy's
// transmissions, and each SEND still has its one outcome.
TEST_F(NodeDeliveryTest, UnreachablePeerFailsEveryMessageWithItsCause) {
  faults.drop = 1.0;
  to_b = LossyLine(faults, 3);
  Run(20, 16);
  ExpectExactlyOnce();
  EXPECT_EQ(ledger.failed, 20u);
  for (const auto& [id, tx] : ledger.transmissions) {
    EXPECT_EQ(tx, Outbound::kPolicy.max_transmissions) << id;
  }
  EXPECT_EQ(b.node->stats().rx_ok, 0u);
}

TEST_F(NodeDeliveryTest, FullWindowAnswersBusyAndSpendsNoSequence) {
  for (std::uint32_t id = 1; id <= Outbound::kWindow; ++id) {
    ASSERT_EQ(a.Run("SEND 2 " + std::to_string(id) + " 16 1"),
              "OK SEND id=" + std::to_string(id) +
                  " seq=" + std::to_string(id) + " epoch=0");
  }
  EXPECT_EQ(a.Run("SEND 2 99 16 1"), "BUSY SEND id=99 reason=window_full");
  EXPECT_EQ(a.node->stats().busy, 1u);
  b.Deliver(a.TakeWire());
  a.Deliver(b.TakeWire());  // eight ACKs
  EXPECT_EQ(a.node->stats().delivered, Outbound::kWindow);
  EXPECT_EQ(a.Run("SEND 2 99 16 1"), "OK SEND id=99 seq=9 epoch=0");
}

TEST_F(NodeDeliveryTest, RotateResetAndLockoutEndWhatIsInFlight) {
  ASSERT_EQ(a.Run("SEND 2 1 16 1").rfind("OK SEND", 0), 0u);
  a.output.lines.clear();
  a.node->ExecuteLine("ROTATE 1");
  EXPECT_EQ(a.output.lines.front(),
            "FAILED id=1 dst=2 seq=1 tx=1 cause=rotated");
  ASSERT_EQ(a.Run("SEND 2 2 16 1").rfind("OK SEND", 0), 0u);
  a.output.lines.clear();
  a.node->ExecuteLine("RESET");
  EXPECT_EQ(a.output.lines.front(), "FAILED id=2 dst=2 seq=1 tx=1 cause=reset");
  a.Provision(1, {2});
  ASSERT_EQ(a.Run("SEND 2 3 16 1").rfind("OK SEND", 0), 0u);
  a.output.lines.clear();
  a.node->ExecuteLine("TAMPER");
  // RESET reloaded freshness: sequences resume above the persisted ceiling.
  EXPECT_EQ(a.output.lines.front(),
            "FAILED id=3 dst=2 seq=257 tx=1 cause=locked_out");
  EXPECT_EQ(a.node->in_flight(), 0u);
}

// An ACK frame made by whoever holds `key`, from `source` to `destination`,
// with its own `sequence`, naming DATA sequence `acknowledged`.
std::vector<std::uint8_t> AckFrame(const Key& key, std::uint8_t source,
                                   std::uint8_t destination,
                                   std::uint32_t sequence,
                                   std::uint32_t acknowledged) {
  const wire::LinkHeader header{.source = source,
                                .destination = destination,
                                .epoch = 0,
                                .sequence = sequence,
                                .ciphertext_length = wire::kAckPlaintextBytes,
                                .type = wire::FrameType::kAck};
  const auto header_bytes = wire::SerializeHeader(header);
  std::vector<std::uint8_t> frame(header_bytes.begin(), header_bytes.end());
  const std::uint8_t text[4] = {static_cast<std::uint8_t>(acknowledged >> 24),
                                static_cast<std::uint8_t>(acknowledged >> 16),
                                static_cast<std::uint8_t>(acknowledged >> 8),
                                static_cast<std::uint8_t>(acknowledged)};
  std::uint8_t sealed[4];
  std::uint8_t tag[16];
  crypto::AesGcm gcm;
  EXPECT_EQ(gcm.SetKey(key), base::OkStatus());
  EXPECT_EQ(
      gcm.Encrypt(wire::FrameNonce(header), header_bytes, text, sealed, tag),
      base::OkStatus());
  frame.insert(frame.end(), sealed, sealed + 4);
  frame.insert(frame.end(), tag, tag + 16);
  return Encode(frame);
}

TEST_F(NodeDeliveryTest, NobodyCanAcknowledgeAMessageAway) {
  ASSERT_EQ(a.Run("SEND 2 1 16 1"), "OK SEND id=1 seq=1 epoch=0");
  const std::vector<std::uint8_t> data = a.TakeWire();
  const Key link_key = EpochKey(PairRoot(kSecret, 1, 2), 0);
  const Key other_fleet = EpochKey(PairRoot(SecretOf(0xbb), 1, 2), 0);

  // Under the wrong key: forged, counted against the link, nothing ends.
  a.Deliver(AckFrame(other_fleet, 2, 1, 50, 1));
  EXPECT_EQ(a.output.TakeLastLine(), "REJECT src=2 reason=forged");
  // A genuine key naming a message never sent (future) or of another
  // destination: authentic, refused, counted; nothing ends.
  a.Deliver(AckFrame(link_key, 2, 1, 51, 7));
  EXPECT_EQ(a.output.TakeLastLine(), "REJECT src=2 reason=ack_unknown");
  a.Deliver(AckFrame(link_key, 2, 1, 52, 0));
  EXPECT_EQ(a.output.TakeLastLine(), "REJECT src=2 reason=ack_unknown");
  EXPECT_EQ(a.node->in_flight(), 1u);
  EXPECT_EQ(a.node->stats().delivered, 0u);
  EXPECT_EQ(a.node->stats().rej_forged, 1u);
  EXPECT_EQ(a.node->stats().ack_unknown, 2u);

  // The real ACK ends it; the same ACK frame again is a replay.
  b.Deliver(data);
  const std::vector<std::uint8_t> ack = b.TakeWire();
  a.Deliver(ack);
  EXPECT_EQ(a.output.TakeLastLine(), "DELIVERED id=1 dst=2 seq=1 tx=1");
  a.Deliver(ack);
  EXPECT_EQ(a.output.TakeLastLine(), "REJECT src=2 reason=replay");
  EXPECT_EQ(a.node->stats().delivered, 1u);
  // A DATA frame relabelled as an ACK: one of ACK size (an empty message)
  // fails authentication, since the type is in the authenticated header.
  ASSERT_EQ(a.Run("SEND 2 2 0 1"), "OK SEND id=2 seq=2 epoch=0");
  std::vector<std::uint8_t> relabelled = DecodeFrames(a.TakeWire())[0];
  ASSERT_EQ(relabelled.size(),
            wire::kHeaderBytes + wire::kAckPlaintextBytes + wire::kTagBytes);
  relabelled[3] = static_cast<std::uint8_t>(wire::FrameType::kAck);
  b.Deliver(Encode(relabelled));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=forged");
  relabelled = DecodeFrames(data)[0];  // any other size: malformed
  relabelled[3] = static_cast<std::uint8_t>(wire::FrameType::kAck);
  b.Deliver(Encode(relabelled));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=0 reason=malformed");
}

// A captured frame replayed 1000 times at 1 ms intervals: delivered once;
// re-acknowledged within the budget only; every copy counted.
TEST_F(NodeDeliveryTest, RetransmissionFloodIsBoundedAndNeverDelivered) {
  ASSERT_EQ(a.Run("SEND 2 1 16 1").rfind("OK SEND", 0), 0u);
  const std::vector<std::uint8_t> data = a.TakeWire();
  b.Deliver(data);
  ASSERT_EQ(b.node->stats().rx_ok, 1u);
  constexpr std::uint32_t kCopies = 1000;
  for (std::uint32_t i = 0; i < kCopies; ++i) {
    b.Deliver(data);
    b.clock.Advance(1'000);
  }
  EXPECT_EQ(b.node->stats().rx_ok, 1u);
  EXPECT_EQ(b.node->stats().rx_duplicates, kCopies);
  const std::uint32_t budget =
      ReackBudget::kBurst + 1'000 * kCopies / ReackBudget::kRefillUs;
  EXPECT_LE(b.node->stats().acks_tx, 1 + budget);
  EXPECT_EQ(b.node->stats().acks_tx + b.node->stats().reacks_limited,
            1 + kCopies);
  EXPECT_GT(b.node->stats().reacks_limited, kCopies / 2);
}

}  // namespace
}  // namespace secure_node
