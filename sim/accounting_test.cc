#include "sim/accounting.h"

#include "gtest/gtest.h"
#include "sim/payload.h"

namespace sim {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1000);

// A small synthetic run: node 1 sends messages to node 2 in epoch 1.
class LedgerBuilder {
 public:
  LedgerBuilder() {
    for (std::uint8_t node : {1, 2}) {
      LifeRecord life;
      life.node = node;
      life.life = 1;
      in_.lives.push_back(life);
    }
  }
  // An acked message with its frame; returns its id.
  std::uint32_t Message(FrameFate fate, FaultKind fault = FaultKind::kNone,
                        std::uint32_t size = 40) {
    const std::uint32_t id =
        static_cast<std::uint32_t>(in_.messages.size() + 1);
    MessageRecord m;
    m.plan = {id, 1, 2, size, 1000 + id, absl::ZeroDuration()};
    m.state = SendState::kAcked;
    m.sender_life = 1;
    m.sequence = id;
    m.epoch = 1;
    in_.messages.push_back(m);
    FrameRecord f;
    f.index = in_.frames.size();
    f.port = 1;
    f.parsed = true;
    f.header = {1, 2, 1, id, static_cast<std::uint16_t>(size + 4)};
    f.fault = fault;
    f.fate = fate;
    f.receiver_life = 1;
    in_.frames.push_back(f);
    return id;
  }
  void Rx(std::uint32_t id, int life = 1, bool corrupt = false) {
    const MessageRecord& m = in_.messages[id - 1];
    RxLine line{m.plan.src, id, m.plan.size,
                Fnv1a32(GeneratePayload(m.plan.seed, m.plan.size)) ^
                    (corrupt ? 1u : 0u)};
    in_.rx.push_back({2, life, line, kT0});
  }
  void Reject(RejectReason reason, int life = 1) {
    in_.rejects.push_back({2, life, {1, reason}, kT0});
  }
  void Expect(ReasonSet expected, FaultKind kind, int life = 1) {
    in_.injected.push_back({0, kind, 2, life, expected, kT0});
  }
  LedgerInput& input() { return in_; }
  Verdict Judge() { return ComputeVerdict(in_); }

 private:
  LedgerInput in_;
};

TEST(AccountingTest, CleanRunPasses) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered));
  b.Rx(b.Message(FrameFate::kDelivered, FaultKind::kDelay));
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.delivered, 2);
  EXPECT_EQ(v.faults.at("delay").messages_delivered, 1);
}

TEST(AccountingTest, DroppedMessageIsLostWithItsCause) {
  LedgerBuilder b;
  b.Message(FrameFate::kDropped, FaultKind::kDrop);
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.delivered, 0);
  EXPECT_EQ(v.lost_by_cause.at("dropped by router"), 1);
}

TEST(AccountingTest, AcceptingADroppedOrCorruptedFrameFails) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kCorrupted, FaultKind::kBitFlip));
  const Verdict v = b.Judge();
  EXPECT_FALSE(v.pass());
  EXPECT_EQ(v.violation_counts.at("accepted_faulty_frame"), 1);
  EXPECT_EQ(v.accepted_forgeries_or_replays, 1);
}

TEST(AccountingTest, SecondDeliveryIsAnAcceptedReplay) {
  LedgerBuilder b;
  const std::uint32_t id =
      b.Message(FrameFate::kDelivered, FaultKind::kDuplicate);
  b.Rx(id);
  b.Rx(id);
  const Verdict v = b.Judge();
  EXPECT_EQ(v.violation_counts.at("duplicate_delivery"), 1);
  EXPECT_EQ(v.accepted_forgeries_or_replays, 1);
}

TEST(AccountingTest, WrongContentFails) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered), 1, /*corrupt=*/true);
  EXPECT_EQ(b.Judge().violation_counts.at("content_mismatch"), 1);
}

TEST(AccountingTest, UnknownMessageIdFails) {
  LedgerBuilder b;
  b.input().rx.push_back({2, 1, {1, 99, 0, 0}, kT0});
  EXPECT_EQ(b.Judge().violation_counts.at("delivered_unknown_message"), 1);
}

TEST(AccountingTest, IntactFrameWithoutRxFailsUnlessTheReceiverWasRestarted) {
  LedgerBuilder b;
  b.Message(FrameFate::kDelivered);
  EXPECT_EQ(b.Judge().violation_counts.at("delivered_frame_not_received"), 1);
  b.input().lives[1].killed = true;
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.lost_by_cause.begin()->first,
            "node restarted (receiver, before it processed the frame)");
}

TEST(AccountingTest, AckedButNeverEmittedFailsUnlessTheSenderWasKilled) {
  LedgerBuilder b;
  b.Message(FrameFate::kDelivered);
  b.input().frames.clear();
  EXPECT_EQ(b.Judge().violation_counts.at("acked_but_not_emitted"), 1);
  b.input().lives[0].killed = true;
  EXPECT_TRUE(b.Judge().pass());
}

TEST(AccountingTest, RefusalsMustMatchInjectedFaults) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered, FaultKind::kDuplicate));
  b.Expect({RejectReason::kReplay}, FaultKind::kDuplicate);
  b.Message(FrameFate::kCorrupted, FaultKind::kBitFlip);
  b.Expect({RejectReason::kReplay, RejectReason::kForged}, FaultKind::kBitFlip);
  b.Reject(RejectReason::kForged);
  b.Reject(RejectReason::kReplay);
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.rejects_explained, 2);
  EXPECT_EQ(v.faults.at("duplicate").refusals_observed, 1);
  EXPECT_EQ(v.faults.at("bitflip").refusals_observed, 1);

  // The duplicate refused for the wrong reason: neither line is explained
  // by the duplicate, so both checks fire.
  b.input().rejects[1].line.reason = RejectReason::kMalformed;
  v = b.Judge();
  EXPECT_EQ(v.violation_counts.at("fault_not_refused"), 1);
  EXPECT_EQ(v.violation_counts.at("unexplained_reject"), 1);
}

TEST(AccountingTest, UnobservedRefusalIsFineOnlyIfTheReceiverDied) {
  LedgerBuilder b;
  b.Message(FrameFate::kTruncated, FaultKind::kTruncate);
  b.Expect({RejectReason::kMalformed}, FaultKind::kTruncate);
  EXPECT_EQ(b.Judge().violation_counts.at("fault_not_refused"), 1);
  b.input().lives[1].killed = true;
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.faults.at("truncate").refusals_unobserved, 1);
}

TEST(AccountingTest, RejectWithoutAnyFaultIsUnexplained) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered));
  b.Reject(RejectReason::kForged);
  EXPECT_EQ(b.Judge().violation_counts.at("unexplained_reject"), 1);
}

TEST(AccountingTest, StatsCountersMustMatchTheConsoleLines) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered));
  LifeRecord& receiver = b.input().lives[1];
  receiver.stats = StatsLine{};
  receiver.stats->counters = {{"rx_ok", 1}, {"tx", 0}, {"rej_replay", 0}};
  receiver.rx_at_stats = 1;
  EXPECT_TRUE(b.Judge().pass());
  receiver.stats->counters["rej_replay"] = 2;
  EXPECT_EQ(b.Judge().violation_counts.at("counter_mismatch"), 1);
}

TEST(AccountingTest, ReusedSequenceIsNonceReuse) {
  LedgerBuilder b;
  b.Rx(b.Message(FrameFate::kDelivered));
  b.input().frames.push_back(b.input().frames[0]);
  EXPECT_EQ(b.Judge().violation_counts.at("sequence_reused"), 1);
}

TEST(AccountingTest, AbortedRunIsNotBlamedOnMessagesButUnsentOnesAreCounted) {
  LedgerBuilder b;
  b.Message(FrameFate::kDelivered);
  b.input().messages[0].state = SendState::kNotIssued;
  b.input().frames.clear();
  b.input().run_completed = false;
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.lost_by_cause.at("run aborted before it was sent"), 1);
  b.input().run_completed = true;
  EXPECT_EQ(b.Judge().violation_counts.at("never_sent"), 1);
}

}  // namespace
}  // namespace sim
