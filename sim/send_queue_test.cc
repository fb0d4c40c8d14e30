#include "sim/send_queue.h"

#include "gtest/gtest.h"

namespace sim {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(500);

TEST(SendQueueTest, PlannedMessagesComeOutInOrderWhenDue) {
  SendQueue q;
  q.Plan(0, absl::Milliseconds(0));
  q.Plan(1, absl::Milliseconds(50));
  EXPECT_EQ(q.Take(kStart, kStart), 0u);
  EXPECT_EQ(q.Take(kStart, kStart), std::nullopt);
  EXPECT_EQ(q.NextDue(kStart), kStart + absl::Milliseconds(50));
  // A later start (the schedule paused for a restart) moves the due time.
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(50), kStart + absl::Seconds(1)),
            std::nullopt);
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(50), kStart), 1u);
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.NextDue(kStart), std::nullopt);
}

// A BUSY is no loss: the message comes back after the back-off, ahead of
// planned messages that are due by then, and as often as the node says
// BUSY.
TEST(SendQueueTest, BusyMessageIsOfferedAgainAfterTheBackoff) {
  SendQueue q;
  q.Plan(7, absl::ZeroDuration());
  q.Plan(8, absl::Milliseconds(10));
  ASSERT_EQ(q.Take(kStart, kStart), 7u);
  q.Busy(7, kStart);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.waiting_after_busy(), 1u);
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(10), kStart), 8u);
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(20), kStart), std::nullopt);
  EXPECT_EQ(q.NextDue(kStart), kStart + SendQueue::kBusyBackoff);
  const absl::Time again = kStart + SendQueue::kBusyBackoff;
  ASSERT_EQ(q.Take(again, kStart), 7u);
  q.Busy(7, again);
  EXPECT_EQ(q.Take(again + SendQueue::kBusyBackoff, kStart), 7u);
  EXPECT_TRUE(q.empty());
  EXPECT_GE(SendQueue::kBusyBackoff, absl::Milliseconds(50));
  EXPECT_LE(SendQueue::kBusyBackoff, absl::Milliseconds(100));
}

TEST(SendQueueTest, DeferredMessageWaitsItsTurn) {
  SendQueue q;
  q.Plan(1, absl::ZeroDuration());
  q.Plan(2, absl::ZeroDuration());
  ASSERT_EQ(q.Take(kStart, kStart), 1u);
  q.Defer(1, kStart + absl::Milliseconds(30));
  EXPECT_EQ(q.Take(kStart, kStart), 2u);
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(29), kStart), std::nullopt);
  EXPECT_EQ(q.Take(kStart + absl::Milliseconds(30), kStart), 1u);
}

}  // namespace
}  // namespace sim
