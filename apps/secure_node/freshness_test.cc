#include "apps/secure_node/freshness.h"

#include <memory>
#include <optional>

#include "apps/secure_node/stored_records.h"
#include "gtest/gtest.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"

namespace secure_node {
namespace {

using storage::StoreCode;

// A store that can be power-cycled: the flash survives, RAM does not.
struct Persistent {
  storage::RamFlash<4096, 2> flash;
  std::optional<storage::RecordStore<records::kMaxRecordKeys>> store;
  std::optional<Freshness> freshness;

  Persistent() { Reboot(); }
  void Reboot() {
    freshness.reset();
    store.reset();
    flash.RestorePower();
    store.emplace(flash);
    EXPECT_EQ(store->Mount(), base::OkStatus());
    freshness.emplace(*store);
    EXPECT_EQ(freshness->Load(), base::OkStatus());
  }
  std::uint32_t Send(std::uint8_t peer) {
    const auto reservation = freshness->ReserveSend(peer);
    EXPECT_EQ(reservation.status, Freshness::SendStatus::kOk);
    freshness->CommitSend(peer, reservation.sequence);
    return reservation.sequence;
  }
};

TEST(FreshnessTest, SendsResumeAboveEverySequenceReservedBeforeAReboot) {
  auto p = std::make_unique<Persistent>();
  EXPECT_EQ(p->Send(7), 1u);
  EXPECT_EQ(p->Send(7), 2u);
  EXPECT_EQ(p->freshness->store_writes(), 1u);  // one ceiling for 256 sends
  p->Reboot();
  EXPECT_EQ(p->Send(7), Freshness::kSendReserve + 1);
  EXPECT_EQ(p->Send(9), 1u);  // per peer
  for (std::uint32_t i = 0; i < Freshness::kSendReserve; ++i) p->Send(7);
  p->Reboot();
  EXPECT_EQ(p->Send(7), 3 * Freshness::kSendReserve + 1);
}

using Verdict = wire::ReplayWindow::Verdict;
using Record = Freshness::ReceiveRecord;

TEST(FreshnessTest, ReceiveWindowSurvivesARebootExactly) {
  auto p = std::make_unique<Persistent>();
  EXPECT_EQ(p->freshness->RecordReceived(3, 10), Record::kRecorded);
  EXPECT_EQ(p->freshness->RecordReceived(3, 4), Record::kRecorded);
  EXPECT_EQ(p->freshness->RecordReceived(3, 4), Record::kNotFresh);
  EXPECT_EQ(p->freshness->store_writes(), 2u);  // one per delivered frame
  p->Reboot();
  // Delivered before the reboot: refused (and so acknowledged again, never
  // delivered twice). Never arrived, inside the window: still deliverable.
  EXPECT_EQ(p->freshness->CheckReceived(3, 10), Verdict::kReplayed);
  EXPECT_EQ(p->freshness->CheckReceived(3, 4), Verdict::kReplayed);
  EXPECT_EQ(p->freshness->CheckReceived(3, 5), Verdict::kFresh);
  EXPECT_EQ(p->freshness->CheckReceived(3, 9), Verdict::kFresh);
  EXPECT_EQ(p->freshness->CheckReceived(3, 11), Verdict::kFresh);
  EXPECT_EQ(p->freshness->CheckReceived(4, 1), Verdict::kFresh);
  EXPECT_EQ(p->freshness->receive_window(3).highest(), 10u);
}

TEST(FreshnessTest, ARecordWithoutTheBitmapRefusesEverythingUpToItsHigh) {
  auto p = std::make_unique<Persistent>();
  // What firmware before the persisted window wrote: epoch, ceiling, high.
  std::array<std::uint8_t, 12> legacy{};
  legacy[8] = 10;  // high 10 in epoch 0, ceiling 0
  ASSERT_EQ(p->store->Write(records::LinkFreshness(6), legacy),
            base::OkStatus());
  p->Reboot();
  EXPECT_EQ(p->freshness->CheckReceived(6, 9), Verdict::kReplayed);
  EXPECT_EQ(p->freshness->CheckReceived(6, 10), Verdict::kReplayed);
  EXPECT_EQ(p->freshness->CheckReceived(6, 11), Verdict::kFresh);
}

TEST(FreshnessTest, EpochNeverRewindsAndResetsPeerCounters) {
  auto p = std::make_unique<Persistent>();
  p->Send(2);
  ASSERT_EQ(p->freshness->RecordReceived(2, 5), Record::kRecorded);
  ASSERT_EQ(p->freshness->AdvanceEpoch(3), base::OkStatus());
  EXPECT_EQ(p->Send(2), 1u);  // a new epoch is a new key
  p->Reboot();
  EXPECT_EQ(p->freshness->epoch(), 3u);
  // The record of epoch 0 is stale: the window of epoch 3 is empty.
  EXPECT_EQ(p->freshness->CheckReceived(2, 5), Verdict::kFresh);
  EXPECT_EQ(p->Send(2), Freshness::kSendReserve + 1);
}

TEST(FreshnessTest, ExhaustedSequenceIsRefused) {
  auto p = std::make_unique<Persistent>();
  p->freshness->CommitSend(5, 0xffff'fffeu);
  // The ceiling is persisted before the last sequence is handed out.
  const auto last = p->freshness->ReserveSend(5);
  ASSERT_EQ(last.status, Freshness::SendStatus::kOk);
  EXPECT_EQ(last.sequence, 0xffff'ffffu);
  p->freshness->CommitSend(5, last.sequence);
  EXPECT_EQ(p->freshness->ReserveSend(5).status,
            Freshness::SendStatus::kExhausted);
  p->Reboot();
  EXPECT_EQ(p->freshness->ReserveSend(5).status,
            Freshness::SendStatus::kExhausted);
}

TEST(FreshnessTest, AFailedWriteRefusesTheSend) {
  auto p = std::make_unique<Persistent>();
  p->flash.CutPowerAfter(0);
  EXPECT_EQ(p->freshness->ReserveSend(1).status,
            Freshness::SendStatus::kStorageFailed);
  // The cut unmounted the store: later writes are refused with their own
  // code, never taken as done.
  EXPECT_EQ(p->freshness->RecordReceived(1, 1), Record::kStorageFailed);
  EXPECT_EQ(p->freshness->CheckReceived(1, 1), Verdict::kFresh);
}

}  // namespace
}  // namespace secure_node
