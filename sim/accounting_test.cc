#include "sim/accounting.h"

#include "gtest/gtest.h"
#include "sim/payload.h"

namespace sim {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1000);

// How often `check` fired (0 if never, so a missing violation fails the
// expectation instead of throwing).
int Violations(const Verdict& v, const std::string& check) {
  auto it = v.violation_counts.find(check);
  return it == v.violation_counts.end() ? 0 : it->second;
}

// A small synthetic run: node 1 sends messages to node 2 in epoch 1; node 2
// acknowledges them with ACK frames of its own sequences from 1001.
class LedgerBuilder {
 public:
  LedgerBuilder() {
    for (std::uint8_t node : {1, 2}) {
      LifeRecord life;
      life.node = node;
      life.life = 1;
      life.ready_at = kT0 - absl::Seconds(10);
      in_.lives.push_back(life);
    }
  }
  // A message its sender accepted, with its first transmission; returns its
  // id.
  std::uint32_t Message(FrameFate fate, FaultKind fault = FaultKind::kNone,
                        std::uint32_t size = 40) {
    const std::uint32_t id =
        static_cast<std::uint32_t>(in_.messages.size() + 1);
    MessageRecord m;
    m.plan = {id, 1, 2, size, 1000 + id, absl::ZeroDuration()};
    m.state = SendState::kAccepted;
    m.sender_life = 1;
    m.sequence = id;
    m.epoch = 1;
    m.issued_at = kT0;
    m.accepted_at = kT0;
    in_.messages.push_back(m);
    Transmit(id, fate, fault, 0);
    return id;
  }
  // Another transmission of message `id`'s frame (the identical bytes).
  void Transmit(std::uint32_t id, FrameFate fate,
                FaultKind fault = FaultKind::kNone, std::uint32_t n = 1) {
    const MessageRecord& m = in_.messages[id - 1];
    FrameRecord f;
    f.index = in_.frames.size();
    f.port = 1;
    f.port_life = 1;
    f.parsed = true;
    f.header = {1, 2, 1, id, static_cast<std::uint16_t>(m.plan.size + 4)};
    f.transmission = n;
    f.fault = fault;
    f.fate = fate;
    f.emitted = f.settled = kT0 + absl::Milliseconds(200) * n;
    f.receiver_life = 1;
    in_.frames.push_back(f);
  }
  // Node 2's authentic ACK of message `id`, reaching node 1 at `at`.
  void Ack(std::uint32_t id, FrameFate fate = FrameFate::kDelivered,
           absl::Time at = kT0 + absl::Milliseconds(100)) {
    FrameRecord f;
    f.index = in_.frames.size();
    f.port = 2;
    f.port_life = 1;
    f.parsed = true;
    f.type = FrameType::kAck;
    f.header = {2, 1, 1, ++ack_sequence_, 4};
    f.fate = fate;
    f.emitted = f.settled = at;
    f.receiver_life = 1;
    f.ack = {true, true, id};
    in_.frames.push_back(f);
  }
  void Rx(std::uint32_t id, int life = 1, bool corrupt = false) {
    const MessageRecord& m = in_.messages[id - 1];
    RxLine line{m.plan.src, id, m.plan.size,
                Fnv1a32(GeneratePayload(m.plan.seed, m.plan.size)) ^
                    (corrupt ? 1u : 0u)};
    in_.rx.push_back({2, life, line, kT0 + absl::Milliseconds(50)});
  }
  void Outcome(std::uint32_t id, bool delivered, std::uint32_t tx,
               const std::string& cause = "",
               absl::Time at = kT0 + absl::Seconds(1)) {
    OutcomeLine line{delivered, id,   2, in_.messages[id - 1].sequence,
                     tx,        cause};
    in_.outcomes.push_back({1, 1, line, at});
  }
  // The whole happy path: RX, ACK, DELIVERED tx=1.
  std::uint32_t DeliveredMessage(FaultKind fault = FaultKind::kNone) {
    const std::uint32_t id = Message(FrameFate::kDelivered, fault);
    Rx(id);
    Ack(id);
    Outcome(id, true, 1);
    return id;
  }
  void Reject(RejectReason reason, int life = 1, std::uint8_t node = 2) {
    in_.rejects.push_back({node, life, {1, reason}, kT0});
  }
  void Expect(ReasonSet expected, FaultKind kind, int life = 1,
              bool optional = false, std::uint8_t node = 2,
              FrameType type = FrameType::kData) {
    in_.injected.push_back({0, kind, node, life, expected,
                            kT0 + absl::Milliseconds(10), type, optional});
  }
  LedgerInput& input() { return in_; }
  Verdict Judge() { return ComputeVerdict(in_); }

 private:
  LedgerInput in_;
  std::uint32_t ack_sequence_ = 1000;
};

TEST(AccountingTest, CleanRunPasses) {
  LedgerBuilder b;
  b.DeliveredMessage();
  b.DeliveredMessage(FaultKind::kDelay);
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.delivered, 2);
  EXPECT_EQ(v.accepted, 2);
  EXPECT_EQ(v.outcome_delivered, 2);
  EXPECT_EQ(v.retransmissions, 0);
  EXPECT_EQ(v.transmissions_histogram.at(1), 2);
  EXPECT_EQ(v.faults.at("delay").messages_delivered, 1);
  EXPECT_EQ(v.ack_frames, 2);
  EXPECT_EQ(v.data_frames, 2);
  ASSERT_EQ(v.per_message.size(), 2u);
  EXPECT_EQ(v.per_message[0].outcome, "delivered");
  EXPECT_EQ(v.per_message[0].transmissions, 1);
  EXPECT_EQ(v.per_message[0].acks_on_wire, 1);
  // ACKs at +100 ms, DELIVERED at +1 s.
  EXPECT_DOUBLE_EQ(v.ack_lag_ms_max, 900);
}

TEST(AccountingTest, RetransmittedMessageDeliveredOnceIsCountedPerMessage) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
  b.Transmit(id, FrameFate::kDelivered, FaultKind::kNone, 1);
  b.Rx(id);
  b.Ack(id);
  b.Outcome(id, true, 2);
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.retransmissions, 1);
  EXPECT_EQ(v.transmissions_histogram.at(2), 1);
  EXPECT_EQ(v.per_message[0].transmissions, 2);
  EXPECT_EQ(v.per_message[0].transmissions_on_wire, 2);
  // The dropped first copy no longer loses the message.
  EXPECT_EQ(v.faults.at("drop").messages_delivered, 1);
  const nlohmann::json j = v.ToJson();
  EXPECT_EQ(j["delivery"]["retransmissions"].get<int>(), 1);
  EXPECT_EQ(j["per_message"][0]["transmissions"].get<int>(), 2);
}

TEST(AccountingTest, AcceptedMessageWithoutAnOutcomeIsASilentLoss) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
  Verdict v = b.Judge();
  EXPECT_EQ(Violations(v, "silent_loss"), 1) << v.ToJson().dump(2);
  EXPECT_EQ(v.silent_losses, 1);
  EXPECT_EQ(v.per_message[0].outcome, "silent_loss");
  EXPECT_FALSE(v.per_message[0].ok);
  // Also when the message did arrive: the sender still owes an outcome.
  b.Transmit(id, FrameFate::kDelivered);
  b.Rx(id);
  EXPECT_EQ(Violations(b.Judge(), "silent_loss"), 1);
}

TEST(AccountingTest, DroppedEveryTimeFailsUnreachableConfirmed) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
  for (std::uint32_t n = 1; n < 6; ++n)
    b.Transmit(id, FrameFate::kDropped, FaultKind::kDrop, n);
  b.Outcome(id, false, 6, "unreachable");
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.delivered, 0);
  EXPECT_EQ(v.outcome_failed, 1);
  EXPECT_EQ(v.failed_by_cause.at("unreachable"), 1);
  EXPECT_EQ(v.lost_by_cause.at("failed: unreachable"), 1);
  EXPECT_EQ(v.retransmissions, 5);
  EXPECT_EQ(v.per_message[0].cause, "unreachable");
  EXPECT_EQ(v.per_message[0].confirmed,
            "no intact copy reached the destination");
}

TEST(AccountingTest, FailedButDeliveredNeedsTheAcknowledgementsLost) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  b.Ack(id, FrameFate::kDropped);
  const absl::Time gave_up = kT0 + absl::Seconds(6);
  b.Outcome(id, false, 1, "unreachable", gave_up);
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.failed_but_delivered, 1);
  EXPECT_EQ(v.delivered, 1);
  EXPECT_NE(v.per_message[0].confirmed.find("acknowledgements lost"),
            std::string::npos);

  // An ACK that reached the sender just before it gave up was not yet
  // processed: still confirmed.
  b.input().frames.back().fate = FrameFate::kDelivered;
  b.input().frames.back().settled = gave_up - kAckProcessingSlack / 2;
  EXPECT_TRUE(b.Judge().pass());

  // One that reached it long before: the sender ignored its ACK.
  b.input().frames.back().settled = kT0 + absl::Milliseconds(100);
  v = b.Judge();
  EXPECT_EQ(Violations(v, "failure_unconfirmed"), 1) << v.ToJson().dump(2);

  // The router delivered it early, but a congested link carried it into
  // the sender only after the sender had given up: confirmed again.
  b.input().frames.back().arrived = gave_up + absl::Seconds(2);
  EXPECT_TRUE(b.Judge().pass());
  // Never carried at all (the backlog died with a restart).
  b.input().frames.back().arrived = absl::InfiniteFuture();
  EXPECT_TRUE(b.Judge().pass());
  b.input().frames.back().arrived = kT0 + absl::Milliseconds(300);
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1);
}

// On a slow run the nodes take longer to act on an ACK; an ACK's time in
// the link refutes a failure only beyond twice the longest such lag.
TEST(AccountingTest, AckTimeSlackGrowsWithTheRunsOwnLag) {
  LedgerBuilder b;
  const std::uint32_t failed = b.Message(FrameFate::kDelivered);
  b.Rx(failed);
  b.Ack(failed, FrameFate::kDelivered, kT0 + absl::Milliseconds(100));
  b.Outcome(failed, false, 1, "unreachable", kT0 + absl::Seconds(6));
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1);
  // Another message's DELIVERED came 3.5 s after its ACK was in the link.
  const std::uint32_t slow = b.Message(FrameFate::kDelivered);
  b.Rx(slow);
  b.Ack(slow, FrameFate::kDelivered, kT0);
  b.Outcome(slow, true, 1, "", kT0 + absl::Milliseconds(3500));
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_DOUBLE_EQ(v.ack_lag_ms_max, 3500);
  EXPECT_DOUBLE_EQ(v.ack_slack_ms, 7000);
}

// A node reads its link in order: if it answered a frame written after an
// ACK before it gave up, it had read the ACK, however short the time.
TEST(AccountingTest, FailureIsRefutedByAFrameBehindTheAckBeingAnswered) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  const absl::Time gave_up = kT0 + absl::Seconds(6);
  b.Ack(id, FrameFate::kDelivered, gave_up - absl::Milliseconds(500));
  b.input().frames.back().stream_end = 100;
  b.Outcome(id, false, 1, "unreachable", gave_up);
  EXPECT_TRUE(b.Judge().pass());  // too recent to judge by time alone

  // Node 2 sends node 1 a message whose frame is written behind the ACK,
  // and node 1 prints its RX before it prints FAILED.
  MessageRecord back;
  back.plan = {2, 2, 1, 8, 77, absl::ZeroDuration()};
  back.state = SendState::kAccepted;
  back.sender_life = 1;
  back.sequence = 50;
  back.epoch = 1;
  back.issued_at = back.accepted_at = kT0;
  b.input().messages.push_back(back);
  FrameRecord f;
  f.index = b.input().frames.size();
  f.port = 2;
  f.port_life = 1;
  f.parsed = true;
  f.header = {2, 1, 1, 50, 12};
  f.fate = FrameFate::kDelivered;
  f.receiver_life = 1;
  f.stream_end = 180;
  b.input().frames.push_back(f);
  RxLine line{2, 2, 8, Fnv1a32(GeneratePayload(77, 8))};
  b.input().rx.push_back({1, 1, line, gave_up - absl::Milliseconds(100)});
  b.input().outcomes.push_back(
      {2, 1, OutcomeLine{false, 2, 1, 50, 1, "unreachable"}, gave_up});
  const Verdict v = b.Judge();
  EXPECT_EQ(Violations(v, "failure_unconfirmed"), 1) << v.ToJson().dump(2);
  EXPECT_NE(v.violations[0].detail.find("answered a frame behind it"),
            std::string::npos);
  // Printed after the FAILED line, the RX proves nothing.
  b.input().rx.back().time = gave_up + absl::Milliseconds(100);
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 0);
  // Nor when another copy of that message, ahead of the ACK, may be the
  // one it answered (whatever the router made of that copy).
  b.input().rx.back().time = gave_up - absl::Milliseconds(100);
  FrameRecord early = f;
  early.index = b.input().frames.size();
  early.transmission = 1;
  early.fate = FrameFate::kLate;
  early.stream_end = 60;
  b.input().frames.push_back(early);
  const Verdict after = b.Judge();
  EXPECT_EQ(Violations(after, "failure_unconfirmed"), 0)
      << after.ToJson().dump(2);
  // Reading in order proves nothing of a node that dropped link bytes.
  b.input().frames.pop_back();
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1);
  b.input().lives[0].stats = StatsLine{};
  b.input().lives[0].stats->counters = {
      {"tx", 1}, {"rx_ok", 1}, {"net_rx_overruns", 3}};
  b.input().lives[0].tx_at_stats = 1;
  b.input().lives[0].rx_at_stats = 1;
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 0)
      << b.Judge().ToJson().dump(2);
}

TEST(AccountingTest, UnreachableWithoutRxIsConfirmedByTheMissingAck) {
  LedgerBuilder b;
  // Delivered intact to a receiver that was then killed before it could
  // print RX or acknowledge.
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.input().lives[1].killed = true;
  b.input().lives[1].killed_at = kT0 + absl::Milliseconds(20);
  b.Outcome(id, false, 1, "unreachable");
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.per_message[0].confirmed,
            "no authentic ACK reached the sender in time");
}

TEST(AccountingTest, FailureForACommandNeedsTheHarnessToHaveSentIt) {
  for (const auto& [cause, effect] :
       {std::pair{"rotated", FailureCause::kRotated},
        std::pair{"reset", FailureCause::kReset},
        std::pair{"locked_out", FailureCause::kLockedOut}}) {
    LedgerBuilder b;
    const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
    b.Outcome(id, false, 1, cause);
    EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1) << cause;
    // Sent to another node, or before the message: still not confirmed.
    b.input().commands.push_back({2, 1, effect, kT0 + absl::Milliseconds(5)});
    b.input().commands.push_back({1, 1, effect, kT0 - absl::Seconds(1)});
    EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1) << cause;
    b.input().commands.push_back({1, 1, effect, kT0 + absl::Milliseconds(5)});
    const Verdict v = b.Judge();
    EXPECT_TRUE(v.pass()) << cause << v.ToJson().dump(2);
    EXPECT_EQ(v.failed_by_cause.at(cause), 1);
  }
}

TEST(AccountingTest, UnknownFailureCauseIsUnconfirmed) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
  b.Outcome(id, false, 1, "tired");
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1);
  // The node never reports the harness's own cause.
  b.input().outcomes.back().line.cause = "sender_restarted";
  EXPECT_EQ(Violations(b.Judge(), "failure_unconfirmed"), 1);
}

TEST(AccountingTest, SenderRestartedIsTheHarnessesOutcome) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  b.input().lives[0].killed = true;
  MessageRecord& m = b.input().messages[0];
  m.sender_restarted = true;
  m.sender_restarted_at = kT0 + absl::Milliseconds(60);
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.failed_by_cause.at("sender_restarted"), 1);
  EXPECT_EQ(v.failed_but_delivered, 1);
  // A SEND the sender never answered before it was killed ends the same way.
  b.input().messages.push_back(b.input().messages[0]);
  MessageRecord& unanswered = b.input().messages.back();
  unanswered.plan.id = 2;
  unanswered.state = SendState::kSenderDied;
  unanswered.sender_restarted = false;
  v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.failed_by_cause.at("sender_restarted"), 2);
  EXPECT_EQ(v.lost_by_cause.at("node restarted (sender, before it replied)"),
            1);
}

TEST(AccountingTest, DeliveredWithoutRxIsAnAcknowledgementThatLied) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDropped, FaultKind::kDrop);
  b.Ack(id);
  b.Outcome(id, true, 1);
  const Verdict v = b.Judge();
  EXPECT_EQ(Violations(v, "delivered_not_received"), 1) << v.ToJson().dump(2);
  // The receiver acknowledged what it never delivered.
  EXPECT_EQ(Violations(v, "ack_without_delivery"), 1);
}

TEST(AccountingTest, DeliveredWithWrongContentFails) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id, 1, /*corrupt=*/true);
  b.Ack(id);
  b.Outcome(id, true, 1);
  EXPECT_EQ(Violations(b.Judge(), "content_mismatch"), 1);
}

TEST(AccountingTest, DeliveredNeedsAnAuthenticAckAtTheSender) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  b.Outcome(id, true, 1);
  EXPECT_EQ(Violations(b.Judge(), "delivered_without_ack"), 1);
  b.Ack(id, FrameFate::kDropped);
  EXPECT_EQ(Violations(b.Judge(), "delivered_without_ack"), 1);
  b.Ack(id);
  EXPECT_TRUE(b.Judge().pass());
  // An ACK that does not open under the pair key is a broken sender.
  b.input().frames.back().ack.authentic = false;
  EXPECT_EQ(Violations(b.Judge(), "ack_not_authentic"), 1);
}

TEST(AccountingTest, ReportedTransmissionsMustMatchTheWire) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  b.Ack(id);
  b.Outcome(id, true, 3);
  EXPECT_EQ(Violations(b.Judge(), "transmissions_mismatch"), 1);
}

TEST(AccountingTest, OutcomeLinesMustBeOneAndFitTheMessage) {
  LedgerBuilder b;
  const std::uint32_t id = b.DeliveredMessage();
  b.Outcome(id, true, 1);
  EXPECT_EQ(Violations(b.Judge(), "duplicate_outcome"), 1);
  b.input().outcomes.pop_back();
  b.input().outcomes.back().line.seq = 77;
  EXPECT_EQ(Violations(b.Judge(), "outcome_mismatch"), 1);
  b.input().outcomes.back().line.seq = id;
  b.input().outcomes.back().life = 2;
  EXPECT_EQ(Violations(b.Judge(), "outcome_from_other_life"), 1);
  b.input().outcomes.back().life = 1;
  b.input().messages[0].state = SendState::kRefused;
  EXPECT_EQ(Violations(b.Judge(), "outcome_for_unaccepted"), 1);
}

TEST(AccountingTest, BusyRepliesAreCountedAndAreNoLoss) {
  LedgerBuilder b;
  const std::uint32_t id = b.DeliveredMessage();
  b.input().messages[id - 1].busy = 3;
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.busy_retries, 3);
  EXPECT_EQ(v.per_message[0].busy, 3);
  EXPECT_EQ(v.ToJson()["delivery"]["busy_retries"].get<int>(), 3);
}

TEST(AccountingTest, RxOfAMessageNeverAcceptedFails) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Rx(id);
  // Answered BUSY and never offered again: not accepted.
  b.input().messages[0].state = SendState::kNotIssued;
  b.input().messages[0].busy = 1;
  b.input().run_completed = false;
  const Verdict v = b.Judge();
  EXPECT_EQ(Violations(v, "delivered_unsent"), 1);
  EXPECT_EQ(v.accepted_forgeries_or_replays, 1);
}

TEST(AccountingTest, AcceptingADroppedOrCorruptedFrameFails) {
  LedgerBuilder b;
  const std::uint32_t id =
      b.Message(FrameFate::kCorrupted, FaultKind::kBitFlip);
  b.Transmit(id, FrameFate::kDropped, FaultKind::kDrop);
  b.Rx(id);
  b.Ack(id);
  b.Outcome(id, true, 2);
  const Verdict v = b.Judge();
  EXPECT_FALSE(v.pass());
  EXPECT_EQ(Violations(v, "accepted_faulty_frame"), 1);
  EXPECT_EQ(v.accepted_forgeries_or_replays, 1);
}

TEST(AccountingTest, SecondDeliveryIsAnAcceptedReplay) {
  LedgerBuilder b;
  const std::uint32_t id = b.DeliveredMessage(FaultKind::kDuplicate);
  b.Rx(id);
  const Verdict v = b.Judge();
  EXPECT_EQ(Violations(v, "duplicate_delivery"), 1);
  EXPECT_EQ(v.accepted_forgeries_or_replays, 1);
}

TEST(AccountingTest, UnknownMessageIdFails) {
  LedgerBuilder b;
  b.input().rx.push_back({2, 1, {1, 99, 0, 0}, kT0});
  EXPECT_EQ(Violations(b.Judge(), "delivered_unknown_message"), 1);
}

TEST(AccountingTest, IntactFrameWithoutRxFailsUnlessTheReceiverWasRestarted) {
  LedgerBuilder b;
  const std::uint32_t id = b.Message(FrameFate::kDelivered);
  b.Outcome(id, false, 1, "unreachable");
  EXPECT_EQ(Violations(b.Judge(), "delivered_frame_not_received"), 1);
  b.input().lives[1].killed = true;
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.lost_by_cause.begin()->first, "failed: unreachable");
}

TEST(AccountingTest, AcceptedButNeverEmittedFailsUnlessTheSenderWasKilled) {
  LedgerBuilder b;
  b.Message(FrameFate::kDelivered);
  b.input().frames.clear();
  b.input().messages[0].sender_restarted = true;
  EXPECT_EQ(Violations(b.Judge(), "acked_but_not_emitted"), 1);
  b.input().lives[0].killed = true;
  EXPECT_TRUE(b.Judge().pass());
}

TEST(AccountingTest, RefusalsMustMatchInjectedFaults) {
  LedgerBuilder b;
  b.DeliveredMessage(FaultKind::kTruncate);
  b.Expect({RejectReason::kMalformed}, FaultKind::kTruncate);
  const std::uint32_t id =
      b.Message(FrameFate::kCorrupted, FaultKind::kBitFlip);
  b.Outcome(id, false, 1, "unreachable");
  b.Expect({RejectReason::kReplay, RejectReason::kForged}, FaultKind::kBitFlip);
  b.Reject(RejectReason::kForged);
  b.Reject(RejectReason::kMalformed);
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.rejects_explained, 2);
  EXPECT_EQ(v.faults.at("truncate").refusals_observed, 1);
  EXPECT_EQ(v.faults.at("bitflip").refusals_observed, 1);

  // The truncated copy refused for the wrong reason: neither line is
  // explained by it, so both checks fire.
  b.input().rejects[1].line.reason = RejectReason::kEpoch;
  v = b.Judge();
  EXPECT_EQ(Violations(v, "fault_not_refused"), 1);
  EXPECT_EQ(Violations(v, "unexplained_reject"), 1);
}

// A duplicated or retransmitted DATA frame the receiver already has may be
// refused as a replay or acknowledged again without a line; an intact ACK
// may end its message or be refused as unknown.
TEST(AccountingTest, OptionalCopiesMayBeRefusedOrAbsorbed) {
  LedgerBuilder b;
  b.DeliveredMessage(FaultKind::kDuplicate);
  b.Expect({RejectReason::kReplay}, FaultKind::kDuplicate, 1, true);
  b.Expect({RejectReason::kReplay}, FaultKind::kNone, 1, true);
  b.Expect({RejectReason::kAckUnknown}, FaultKind::kNone, 1, true, 1,
           FrameType::kAck);
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.duplicate_copies, 2);
  EXPECT_EQ(v.faults.at("duplicate").copies_absorbed, 1);
  EXPECT_EQ(v.faults.at("duplicate").refusals_expected, 1);
  // Retransmission copies are not faults: no "none" refusals in the table.
  EXPECT_EQ(v.faults.count("none") ? v.faults.at("none").refusals_expected : 0,
            0);

  b.Reject(RejectReason::kReplay);
  b.Reject(RejectReason::kAckUnknown, 1, /*node=*/1);
  v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.rejects_explained, 2);
  EXPECT_EQ(v.faults.at("duplicate").copies_absorbed +
                v.faults.at("duplicate").refusals_observed,
            1);

  // An ack_unknown with no ACK copy to explain it.
  b.Reject(RejectReason::kAckUnknown, 1, /*node=*/1);
  EXPECT_EQ(Violations(b.Judge(), "unexplained_reject"), 1);
}

TEST(AccountingTest, MandatoryCopiesGetTheRejectBeforeOptionalOnes) {
  LedgerBuilder b;
  b.DeliveredMessage();
  // Listed first, the optional copy would take the only REJECT in a
  // first-come matching and leave the mandatory one unrefused.
  b.Expect({RejectReason::kReplay}, FaultKind::kDuplicate, 1, true);
  b.Expect({RejectReason::kReplay}, FaultKind::kDelay, 1, false);
  b.Reject(RejectReason::kReplay);
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.faults.at("delay").refusals_observed, 1);
  EXPECT_EQ(v.faults.at("duplicate").copies_absorbed, 1);
}

TEST(AccountingTest, UnobservedRefusalIsFineOnlyIfTheReceiverDied) {
  LedgerBuilder b;
  const std::uint32_t id =
      b.Message(FrameFate::kTruncated, FaultKind::kTruncate);
  b.Outcome(id, false, 1, "unreachable");
  b.Expect({RejectReason::kMalformed}, FaultKind::kTruncate);
  EXPECT_EQ(Violations(b.Judge(), "fault_not_refused"), 1);
  b.input().lives[1].killed = true;
  const Verdict v = b.Judge();
  EXPECT_TRUE(v.pass());
  EXPECT_EQ(v.faults.at("truncate").refusals_unobserved, 1);
}

TEST(AccountingTest, RejectWithoutAnyFaultIsUnexplained) {
  LedgerBuilder b;
  b.DeliveredMessage();
  b.Reject(RejectReason::kForged);
  EXPECT_EQ(Violations(b.Judge(), "unexplained_reject"), 1);
}

TEST(AccountingTest, StatsCountersMustMatchTheConsoleLines) {
  LedgerBuilder b;
  b.DeliveredMessage();
  LifeRecord& receiver = b.input().lives[1];
  receiver.stats = StatsLine{};
  receiver.stats->counters = {{"rx_ok", 1}, {"tx", 0}, {"rej_replay", 0}};
  receiver.rx_at_stats = 1;
  EXPECT_TRUE(b.Judge().pass());
  receiver.stats->counters["rej_replay"] = 2;
  EXPECT_EQ(Violations(b.Judge(), "counter_mismatch"), 1);
}

TEST(AccountingTest, DeliveryCountersAreCheckedWhereTheNodeHasThem) {
  LedgerBuilder b;
  b.DeliveredMessage();
  LifeRecord& sender = b.input().lives[0];
  sender.stats = StatsLine{};
  sender.stats->counters = {{"rx_ok", 0}, {"tx", 1}};
  sender.tx_at_stats = 1;
  sender.delivered_at_stats = 1;
  sender.busy_at_stats = 2;
  EXPECT_TRUE(b.Judge().pass());
  sender.stats->counters["delivered"] = 1;
  sender.stats->counters["busy"] = 2;
  sender.stats->counters["failed"] = 0;
  EXPECT_TRUE(b.Judge().pass());
  sender.stats->counters["failed"] = 1;
  EXPECT_EQ(Violations(b.Judge(), "counter_mismatch"), 1);
  sender.stats->counters["failed"] = 0;
  // REJECT ack_unknown lines against the node's ack_unknown counter.
  sender.stats->counters["ack_unknown"] = 1;
  EXPECT_EQ(Violations(b.Judge(), "counter_mismatch"), 1);
  sender.rejects_at_stats[static_cast<int>(RejectReason::kAckUnknown)] = 1;
  EXPECT_TRUE(b.Judge().pass());
}

TEST(AccountingTest, MoreDuplicatesThanCopiesGivenIsASwallowedMessage) {
  LedgerBuilder b;
  b.DeliveredMessage();
  b.Expect({RejectReason::kReplay}, FaultKind::kNone, 1, true);
  LifeRecord& receiver = b.input().lives[1];
  receiver.stats = StatsLine{};
  receiver.stats->counters = {{"rx_ok", 1}, {"tx", 0}, {"rx_duplicates", 1}};
  receiver.stats_at = kT0 + absl::Seconds(2);
  receiver.rx_at_stats = 1;
  Verdict v = b.Judge();
  EXPECT_TRUE(v.pass()) << v.ToJson().dump(2);
  EXPECT_EQ(v.rx_duplicates_reported, 1);
  receiver.stats->counters["rx_duplicates"] = 2;
  EXPECT_EQ(Violations(b.Judge(), "duplicates_overcounted"), 1);
}

TEST(AccountingTest, ReusedSequenceIsNonceReuseButARetransmissionIsNot) {
  LedgerBuilder b;
  const std::uint32_t id = b.DeliveredMessage();
  b.input().frames.push_back(b.input().frames[0]);
  EXPECT_EQ(Violations(b.Judge(), "sequence_reused"), 1);
  b.input().frames.back().transmission = 1;
  b.input().outcomes.back().line.tx = 2;
  EXPECT_TRUE(b.Judge().pass()) << b.Judge().ToJson().dump(2);
  b.input().frames.back().nonce_reused = true;
  EXPECT_EQ(Violations(b.Judge(), "sequence_reused"), 1);
  (void)id;
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
  EXPECT_EQ(Violations(b.Judge(), "never_sent"), 1);
}

}  // namespace
}  // namespace sim
