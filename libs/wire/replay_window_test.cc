#include "wire/replay_window.h"

#include <random>
#include <set>

#include "gtest/gtest.h"

namespace wire {
namespace {

using Verdict = ReplayWindow::Verdict;

TEST(ReplayWindowTest, AcceptsInOrderAndRejectsRepeats) {
  ReplayWindow w;
  EXPECT_EQ(w.Check(0), Verdict::kInvalid);
  for (std::uint32_t s = 1; s <= 100; ++s) {
    ASSERT_EQ(w.Check(s), Verdict::kFresh);
    w.Accept(s);
    ASSERT_EQ(w.Check(s), Verdict::kReplayed);
  }
}

TEST(ReplayWindowTest, WindowEdges) {
  ReplayWindow w;
  w.Accept(100);
  EXPECT_EQ(w.Check(100), Verdict::kReplayed);
  EXPECT_EQ(w.Check(37), Verdict::kFresh);   // age 63: last slot in window
  EXPECT_EQ(w.Check(36), Verdict::kTooOld);  // age 64: out of window
  w.Accept(37);
  EXPECT_EQ(w.Check(37), Verdict::kReplayed);
  w.Accept(101);  // window slides by one
  EXPECT_EQ(w.Check(37), Verdict::kTooOld);
  EXPECT_EQ(w.Check(38), Verdict::kFresh);
  w.Accept(1000);  // jump beyond the window
  EXPECT_EQ(w.Check(101), Verdict::kTooOld);
  EXPECT_EQ(w.Check(999), Verdict::kFresh);
  EXPECT_EQ(w.Check(1000), Verdict::kReplayed);
  EXPECT_EQ(w.highest(), 1000u);
  w.Reset();
  EXPECT_EQ(w.Check(1000), Verdict::kFresh);
}

// Out-of-order delivery within the window: each sequence is accepted once,
// every repeat is refused, against a reference set.
TEST(ReplayWindowTest, MatchesReferenceModelUnderReordering) {
  std::mt19937 rng(3);
  ReplayWindow w;
  std::set<std::uint32_t> accepted;
  std::uint32_t next = 1;
  for (int i = 0; i < 20000; ++i) {
    std::uint32_t s;
    if (rng() % 3 == 0 && next > 1) {
      s = next - 1 -
          static_cast<std::uint32_t>(rng() %
                                     std::min<std::uint32_t>(next - 1, 80));
    } else {
      s = next;
      next += 1 + rng() % 3;
    }
    const Verdict v = w.Check(s);
    const std::uint32_t highest = accepted.empty() ? 0 : *accepted.rbegin();
    if (accepted.count(s)) {
      ASSERT_TRUE(v == Verdict::kReplayed || v == Verdict::kTooOld) << s;
    } else if (highest >= s && highest - s >= ReplayWindow::kWindowSize) {
      ASSERT_EQ(v, Verdict::kTooOld) << s;
    } else {
      ASSERT_EQ(v, Verdict::kFresh) << s;
      w.Accept(s);
      accepted.insert(s);
    }
  }
}

// After a reboot the window resumes above the persisted highest sequence:
// nothing at or below it is fresh, everything above it is.
TEST(ReplayWindowTest, ResumeAboveRefusesEverythingUpToTheFloor) {
  ReplayWindow w;
  w.ResumeAbove(1000);
  EXPECT_EQ(w.Check(1000), Verdict::kReplayed);
  EXPECT_EQ(w.Check(999), Verdict::kReplayed);
  EXPECT_EQ(w.Check(937), Verdict::kReplayed);  // age 63: still in the window
  EXPECT_EQ(w.Check(936), Verdict::kTooOld);
  EXPECT_EQ(w.Check(1), Verdict::kTooOld);
  EXPECT_EQ(w.Check(1001), Verdict::kFresh);
  w.Accept(1003);
  EXPECT_EQ(w.Check(1002), Verdict::kFresh);  // above the floor, reordered
  EXPECT_EQ(w.Check(1001), Verdict::kFresh);
  EXPECT_EQ(w.Check(1000), Verdict::kReplayed);  // the floor stays refused
  EXPECT_EQ(w.Check(990), Verdict::kReplayed);

  ReplayWindow fresh;
  fresh.ResumeAbove(0);  // nothing was ever accepted
  EXPECT_EQ(fresh.Check(1), Verdict::kFresh);
}

TEST(ReplayWindowTest, RestoreJudgesEverySequenceAsBefore) {
  ReplayWindow original;
  for (std::uint32_t s = 1; s <= 100; ++s) {
    if (s % 7 != 0) original.Accept(s);  // 7, 14, ... still in flight
  }
  const ReplayWindow restored =
      ReplayWindow::Restore(original.highest(), original.seen());
  for (std::uint32_t s = 0; s <= 140; ++s) {
    EXPECT_EQ(restored.Check(s), original.Check(s)) << s;
  }
  // A frame still in flight at the reboot is delivered once, not refused.
  EXPECT_EQ(restored.Check(98), ReplayWindow::Verdict::kFresh);
  EXPECT_EQ(restored.Check(97), ReplayWindow::Verdict::kReplayed);
  // An empty state restores an empty window; the highest is always seen.
  EXPECT_EQ(ReplayWindow::Restore(0, ~std::uint64_t{0}).Check(1),
            ReplayWindow::Verdict::kFresh);
  EXPECT_EQ(ReplayWindow::Restore(5, 0).Check(5),
            ReplayWindow::Verdict::kReplayed);
}

}  // namespace
}  // namespace wire
