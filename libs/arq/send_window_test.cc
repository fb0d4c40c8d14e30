#include "arq/send_window.h"

#include <cstdint>

#include "arq/retransmit_policy.h"
#include "arq/status.h"
#include "gtest/gtest.h"

namespace arq {
namespace {

constexpr RetransmitPolicy kPolicy{
    .first_timeout_us = 100, .max_timeout_us = 350, .max_transmissions = 4};

TEST(RetransmitPolicyTest, BackoffDoublesUpToTheCap) {
  EXPECT_EQ(kPolicy.Timeout(1), 100u);
  EXPECT_EQ(kPolicy.Timeout(2), 200u);
  EXPECT_EQ(kPolicy.Timeout(3), 350u);
  EXPECT_EQ(kPolicy.Timeout(4), 350u);
  EXPECT_EQ(kPolicy.Timeout(255), 350u);
  EXPECT_EQ(kPolicy.LifetimeUs(), 100u + 200 + 350 + 350);
  EXPECT_EQ(kPolicy.Timeout(1, 300), 300u);  // an estimated first wait
  EXPECT_EQ(kPolicy.Timeout(2, 300), 350u);  // doubles up to the cap
  EXPECT_EQ(kPolicy.LifetimeUs(kPolicy.max_timeout_us), 4u * 350);
}

TEST(RetransmitPolicyTest, UnworkablePoliciesAreRefused) {
  EXPECT_TRUE(kPolicy.Validate().ok());
  EXPECT_EQ(RetransmitPolicy({0, 10, 1}).Validate(), Code::kInvalidPolicy);
  EXPECT_EQ(RetransmitPolicy({10, 9, 1}).Validate(), Code::kInvalidPolicy);
  EXPECT_EQ(RetransmitPolicy({10, 10, 0}).Validate(), Code::kInvalidPolicy);
  SendWindow<2> window(RetransmitPolicy{0, 10, 1});
  EXPECT_EQ(window.Admit(1, 0).status(), Code::kInvalidPolicy);
  EXPECT_EQ(window.in_flight(), 0u);
}

TEST(SendWindowTest, AdmitFillsTheWindowThenRefusesWithBackpressure) {
  SendWindow<2> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 0).ok());
  ASSERT_TRUE(window.Admit(2, 0).ok());
  EXPECT_EQ(window.Admit(3, 0).status(), Code::kWindowFull);
  EXPECT_EQ(window.stats().window_full, 1u);
  EXPECT_EQ(window.in_flight(), 2u);
  // A refused sequence may be admitted once room is made.
  ASSERT_TRUE(window.Acknowledge(1).ok());
  EXPECT_TRUE(window.Admit(3, 0).ok());
}

TEST(SendWindowTest, OneFrameFallingBehindFillsTheWindow) {
  SendWindow<2, /*kSequenceSpan=*/8> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 0).ok());  // never acknowledged
  for (std::uint32_t s = 2; s <= 8; ++s) {
    ASSERT_TRUE(window.Admit(s, 0).ok()) << s;
    ASSERT_TRUE(window.Acknowledge(s).ok());
  }
  // 9 is 8 above the oldest (1): the receiver could no longer tell a
  // retransmission of 1 from a frame too old to judge.
  EXPECT_EQ(window.Admit(9, 0).status(), Code::kWindowFull);
  ASSERT_TRUE(window.Acknowledge(1).ok());
  EXPECT_TRUE(window.Admit(9, 0).ok());
}

TEST(SendWindowTest, SequencesMustStrictlyIncrease) {
  SendWindow<4> window(kPolicy);
  EXPECT_EQ(window.Admit(0, 0).status(), Code::kZeroSequence);
  ASSERT_TRUE(window.Admit(5, 0).ok());
  EXPECT_EQ(window.Admit(5, 0).status(), Code::kSequenceNotIncreasing);
  EXPECT_EQ(window.Admit(4, 0).status(), Code::kSequenceNotIncreasing);
  // Even after 5 is acknowledged: a second frame under sequence 5 would
  // reuse its nonce.
  ASSERT_TRUE(window.Acknowledge(5).ok());
  EXPECT_EQ(window.Admit(5, 0).status(), Code::kSequenceNotIncreasing);
  EXPECT_TRUE(window.Admit(6, 0).ok());
}

TEST(SendWindowTest, AcknowledgeFreesExactlyItsEntryAndOnlyOnce) {
  SendWindow<4> window(kPolicy);
  const std::size_t a = window.Admit(10, 0).value();
  const std::size_t b = window.Admit(11, 0).value();
  ASSERT_NE(a, b);
  const base::Result<std::size_t> acked = window.Acknowledge(11);
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked.value(), b);
  EXPECT_FALSE(window.occupied(b));
  EXPECT_TRUE(window.occupied(a));
  // Replayed, future, never sent, zero: refused and counted, nothing moves.
  EXPECT_EQ(window.Acknowledge(11).status(), Code::kUnknownSequence);
  EXPECT_EQ(window.Acknowledge(12).status(), Code::kUnknownSequence);
  EXPECT_EQ(window.Acknowledge(9).status(), Code::kUnknownSequence);
  EXPECT_EQ(window.Acknowledge(0).status(), Code::kZeroSequence);
  EXPECT_EQ(window.stats().unknown_acks, 4u);
  EXPECT_EQ(window.in_flight(), 1u);
  EXPECT_EQ(window.sequence(a), 10u);
}

TEST(SendWindowTest, RetransmitsWithBackoffThenGivesUp) {
  SendWindow<2> window(kPolicy);
  const std::size_t entry = window.Admit(7, 1000).value();
  EXPECT_EQ(window.NextDeadline(), 1100u);
  EXPECT_EQ(window.Poll(1099).kind, SendAction::Kind::kNone);

  SendAction action = window.Poll(1100);
  EXPECT_EQ(action.kind, SendAction::Kind::kRetransmit);
  EXPECT_EQ(action.entry, entry);
  EXPECT_EQ(action.sequence, 7u);
  EXPECT_EQ(action.transmissions, 2);
  EXPECT_EQ(window.NextDeadline(), 1300u);  // 1100 + 200
  EXPECT_EQ(window.Poll(1299).kind, SendAction::Kind::kNone);

  EXPECT_EQ(window.Poll(1300).transmissions, 3);  // next wait 350
  EXPECT_EQ(window.Poll(1650).transmissions, 4);  // the last one
  EXPECT_EQ(window.Poll(1999).kind, SendAction::Kind::kNone);
  action = window.Poll(2000);
  EXPECT_EQ(action.kind, SendAction::Kind::kGiveUp);
  EXPECT_EQ(action.sequence, 7u);
  EXPECT_EQ(action.transmissions, 4);
  EXPECT_EQ(window.in_flight(), 0u);
  EXPECT_FALSE(window.NextDeadline().has_value());
  EXPECT_EQ(window.stats().retransmissions, 3u);
  EXPECT_EQ(window.stats().given_up, 1u);
  // A late acknowledgement of a message given up is refused: its outcome
  // (failed) has already been reported.
  EXPECT_EQ(window.Acknowledge(7).status(), Code::kUnknownSequence);
}

TEST(SendWindowTest, LineTimeLengthensEveryWaitOfItsEntryOnly) {
  SendWindow<2> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 0, /*line_time_us=*/1000).ok());
  ASSERT_TRUE(window.Admit(2, 0).ok());
  EXPECT_EQ(window.NextDeadline(), 100u);  // entry 2: no line time
  EXPECT_EQ(window.Poll(100).sequence, 2u);
  EXPECT_EQ(window.Poll(1099).kind, SendAction::Kind::kRetransmit);  // 2 again
  EXPECT_EQ(window.Poll(1099).kind, SendAction::Kind::kNone);
  const SendAction first = window.Poll(1100);
  EXPECT_EQ(first.kind, SendAction::Kind::kRetransmit);
  EXPECT_EQ(first.sequence, 1u);
  EXPECT_EQ(window.Acknowledge(2).ok(), true);
  EXPECT_EQ(window.NextDeadline(), 1100u + 200 + 1000);
  EXPECT_EQ(kPolicy.LifetimeUs(0, 1000), 100u + 200 + 350 + 350 + 4000);
}

TEST(SendWindowTest, AnEstimatedFirstWaitAppliesToItsEntry) {
  SendWindow<2> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 1000, 0, /*first_wait_us=*/300).ok());
  EXPECT_EQ(window.NextDeadline(), 1300u);
  const auto timing = window.timing(0);
  EXPECT_EQ(timing.sent_at_us, 1000u);
  EXPECT_EQ(timing.transmissions, 1);
  ASSERT_EQ(window.Poll(1300).kind, SendAction::Kind::kRetransmit);
  EXPECT_EQ(window.NextDeadline(), 1300u + 350);  // 600, capped
  EXPECT_EQ(window.timing(0).transmissions, 2);
}

TEST(SendWindowTest, CheckAdmitSaysWhatAdmitWouldWithoutCounting) {
  SendWindow<1> window(kPolicy);
  EXPECT_EQ(window.CheckAdmit(0), Code::kZeroSequence);
  EXPECT_TRUE(window.CheckAdmit(1).ok());
  ASSERT_TRUE(window.Admit(1, 0).ok());
  EXPECT_EQ(window.CheckAdmit(1), Code::kSequenceNotIncreasing);
  EXPECT_EQ(window.CheckAdmit(2), Code::kWindowFull);
  EXPECT_EQ(window.stats().window_full, 0u);
  EXPECT_EQ(window.Admit(2, 0).status(), Code::kWindowFull);
  EXPECT_EQ(window.stats().window_full, 1u);
}

TEST(SendWindowTest, PollServesTheEarliestDeadlineFirst) {
  SendWindow<4> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 50).ok());  // due 150
  ASSERT_TRUE(window.Admit(2, 0).ok());   // due 100
  ASSERT_TRUE(window.Admit(3, 0).ok());   // due 100, higher sequence
  EXPECT_EQ(window.Poll(1000).sequence, 2u);
  EXPECT_EQ(window.Poll(1000).sequence, 3u);
  EXPECT_EQ(window.Poll(1000).sequence, 1u);
}

TEST(SendWindowTest, AbandonEndsEveryEntryOnceAndAllowsANewSequenceOrder) {
  SendWindow<4> window(kPolicy);
  ASSERT_TRUE(window.Admit(1, 0).ok());
  ASSERT_TRUE(window.Admit(2, 0).ok());
  EXPECT_EQ(window.ResetSequences(), Code::kWindowFull);
  int abandoned = 0;
  while (const std::optional<SendAction> action = window.Abandon()) {
    EXPECT_EQ(action->kind, SendAction::Kind::kGiveUp);
    ++abandoned;
  }
  EXPECT_EQ(abandoned, 2);
  EXPECT_EQ(window.stats().abandoned, 2u);
  EXPECT_EQ(window.Acknowledge(1).status(), Code::kUnknownSequence);
  EXPECT_EQ(window.Admit(1, 0).status(), Code::kSequenceNotIncreasing);
  ASSERT_TRUE(window.ResetSequences().ok());
  EXPECT_TRUE(window.Admit(1, 0).ok());
}

TEST(SendWindowTest, CodesHaveNames) {
  EXPECT_EQ(base::StatusName<Code>(Code::kWindowFull), "arq.window_full");
  EXPECT_EQ(base::StatusName<Code>(Code::kUnknownSequence),
            "arq.unknown_sequence");
}

}  // namespace
}  // namespace arq
