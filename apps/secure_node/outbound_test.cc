#include "apps/secure_node/outbound.h"

#include <algorithm>
#include <memory>

#include "apps/secure_node/node_resources.h"
#include "gtest/gtest.h"

namespace secure_node {
namespace {

using Kind = Outbound::Event::Kind;

struct Fixture {
  NodeRouter pools;
  Outbound outbound;

  // A frame block of `size` bytes filled with `fill`.
  pool::UniqueBlock Frame(std::size_t size, std::uint8_t fill) {
    auto block = pools.Allocate(size);
    EXPECT_TRUE(block.ok());
    std::fill_n(block.value().data(), size, std::byte{fill});
    return std::move(block).value();
  }
};

TEST(OutboundTest, RetransmitsTheIdenticalFrameThenGivesUp) {
  auto f = std::make_unique<Fixture>();
  ASSERT_TRUE(f->outbound.Admit(2, 5, 0, 77, f->Frame(40, 0xab), 40));
  EXPECT_EQ(f->outbound.NextDeadline(),
            Outbound::kPolicy.Timeout(1) + Outbound::LineTimeUs(40));
  EXPECT_EQ(f->outbound.Poll(0).kind, Kind::kNone);
  std::uint64_t now = 0;
  for (std::uint8_t tx = 2; tx <= Outbound::kPolicy.max_transmissions; ++tx) {
    now = *f->outbound.NextDeadline();
    const Outbound::Event event = f->outbound.Poll(now);
    ASSERT_EQ(event.kind, Kind::kRetransmit);
    EXPECT_EQ(event.transmissions, tx);
    EXPECT_EQ(event.message_id, 77u);
    ASSERT_EQ(event.frame.size(), 40u);
    EXPECT_TRUE(std::all_of(event.frame.begin(), event.frame.end(),
                            [](std::uint8_t b) { return b == 0xab; }));
  }
  now = *f->outbound.NextDeadline();
  const Outbound::Event ended = f->outbound.Poll(now);
  EXPECT_EQ(ended.kind, Kind::kEnded);
  EXPECT_EQ(ended.transmissions, Outbound::kPolicy.max_transmissions);
  EXPECT_EQ(f->outbound.in_flight(), 0u);
  EXPECT_FALSE(f->outbound.NextDeadline().has_value());
  // The frame went back to the pool.
  for (std::size_t c = 0; c < NodeRouter::class_count(); ++c) {
    EXPECT_EQ(f->pools.stats(c).in_use, 0u);
  }
}

TEST(OutboundTest, AcknowledgementEndsOnlyItsOwnPeersMessage) {
  auto f = std::make_unique<Fixture>();
  ASSERT_TRUE(f->outbound.Admit(2, 1, 0, 10, f->Frame(40, 1), 40));
  ASSERT_TRUE(f->outbound.Admit(3, 1, 0, 11, f->Frame(40, 2), 40));
  EXPECT_FALSE(f->outbound.Acknowledge(4, 1, 0).has_value());  // no such peer
  EXPECT_FALSE(f->outbound.Acknowledge(2, 2, 0).has_value());  // never sent
  const auto ended = f->outbound.Acknowledge(3, 1, 0);
  ASSERT_TRUE(ended.has_value());
  EXPECT_EQ(ended->message_id, 11u);
  EXPECT_EQ(ended->peer, 3);
  EXPECT_FALSE(f->outbound.Acknowledge(3, 1, 0).has_value());  // already ended
  EXPECT_EQ(f->outbound.in_flight(), 1u);
  EXPECT_EQ(f->outbound.stats().acknowledged, 1u);
}

TEST(OutboundTest, WaitsFollowThePeersRoundTrip) {
  auto f = std::make_unique<Fixture>();
  const std::uint32_t line = Outbound::LineTimeUs(40);
  EXPECT_EQ(f->outbound.FirstWaitUs(2), Outbound::kPolicy.first_timeout_us);
  ASSERT_TRUE(f->outbound.Admit(2, 1, 0, 1, f->Frame(40, 0), 40));
  // Acknowledged after 3 s (a receiver with a backlog): the estimate
  // jumps to SRTT + 4 RTTVAR = 9 s, capped at 8 s.
  ASSERT_TRUE(f->outbound.Acknowledge(2, 1, 3'000'000 + line).has_value());
  EXPECT_EQ(f->outbound.FirstWaitUs(2), Outbound::kPolicy.max_timeout_us);
  EXPECT_EQ(f->outbound.FirstWaitUs(3), Outbound::kPolicy.first_timeout_us);
  ASSERT_TRUE(f->outbound.Admit(2, 2, 4'000'000, 2, f->Frame(40, 0), 40));
  EXPECT_EQ(f->outbound.NextDeadline(),
            4'000'000u + Outbound::kPolicy.max_timeout_us + line);
  // A retransmitted message gives no sample (Karn): the estimate stays.
  const std::uint64_t due = *f->outbound.NextDeadline();
  ASSERT_EQ(f->outbound.Poll(due).kind, Kind::kRetransmit);
  ASSERT_TRUE(f->outbound.Acknowledge(2, 2, due + 1).has_value());
  EXPECT_EQ(f->outbound.FirstWaitUs(2), Outbound::kPolicy.max_timeout_us);
  // Quick answers bring it down again.
  for (std::uint32_t s = 3; s < 60; ++s) {
    ASSERT_TRUE(
        f->outbound.Admit(2, s, 10'000'000 * s, s, f->Frame(40, 0), 40));
    ASSERT_TRUE(f->outbound.Acknowledge(2, s, 10'000'000 * s + line + 10'000)
                    .has_value());
  }
  EXPECT_EQ(f->outbound.FirstWaitUs(2), Outbound::kPolicy.first_timeout_us);
}

TEST(OutboundTest, RefusesBeyondItsPeersAndWindows) {
  auto f = std::make_unique<Fixture>();
  for (std::uint32_t s = 1; s <= Outbound::kWindow; ++s) {
    ASSERT_EQ(f->outbound.CanAdmit(2, s), Outbound::Admission::kOk);
    ASSERT_TRUE(f->outbound.Admit(2, s, 0, s, f->Frame(16, 0), 16));
  }
  EXPECT_EQ(f->outbound.CanAdmit(2, 9), Outbound::Admission::kWindowFull);
  EXPECT_EQ(f->outbound.CanAdmit(2, 3), Outbound::Admission::kSequenceRefused);
  EXPECT_FALSE(f->outbound.Admit(2, 9, 0, 9, f->Frame(16, 0), 16));
  ASSERT_TRUE(f->outbound.Acknowledge(2, 1, 0).has_value());
  // Span: the oldest in flight is 2; 66 would be 64 above it.
  EXPECT_EQ(f->outbound.CanAdmit(2, 66), Outbound::Admission::kWindowFull);
  EXPECT_EQ(f->outbound.CanAdmit(2, 65), Outbound::Admission::kOk);
  // Peer slots: one is taken by peer 2.
  for (std::uint8_t peer = 10; peer < 10 + Outbound::kMaxPeers - 1; ++peer) {
    ASSERT_TRUE(f->outbound.Admit(peer, 1, 0, 1, pool::UniqueBlock(), 0));
  }
  EXPECT_EQ(f->outbound.CanAdmit(200, 1), Outbound::Admission::kTooManyPeers);
  EXPECT_EQ(f->outbound.CanAdmit(0, 1), Outbound::Admission::kTooManyPeers);
  // A slot is free again once its last message ended.
  ASSERT_TRUE(f->outbound.Acknowledge(10, 1, 0).has_value());
  EXPECT_EQ(f->outbound.CanAdmit(200, 1), Outbound::Admission::kOk);
  // Abandon ends all of them, once each, and frees every slot.
  std::size_t abandoned = 0;
  while (f->outbound.Abandon()) ++abandoned;
  EXPECT_EQ(abandoned, Outbound::kWindow - 1 + Outbound::kMaxPeers - 2);
  EXPECT_EQ(f->outbound.CanAdmit(200, 1), Outbound::Admission::kOk);
  EXPECT_EQ(f->outbound.CanAdmit(2, 1), Outbound::Admission::kOk);
  EXPECT_EQ(f->outbound.stats().abandoned, abandoned);
}

}  // namespace
}  // namespace secure_node
