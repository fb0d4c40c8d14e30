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

TEST(FreshnessTest, ReceiveFloorIsTheHighestRecordedBeforeTheReboot) {
  auto p = std::make_unique<Persistent>();
  EXPECT_EQ(p->freshness->RecordReceived(3, 10), base::OkStatus());
  EXPECT_EQ(p->freshness->RecordReceived(3, 4),
            base::OkStatus());  // older: no write
  EXPECT_EQ(p->freshness->store_writes(), 1u);
  p->Reboot();
  EXPECT_EQ(p->freshness->receive_floor(3), 10u);
  EXPECT_EQ(p->freshness->receive_floor(4), 0u);
}

TEST(FreshnessTest, EpochNeverRewindsAndResetsPeerCounters) {
  auto p = std::make_unique<Persistent>();
  p->Send(2);
  ASSERT_EQ(p->freshness->RecordReceived(2, 5), base::OkStatus());
  ASSERT_EQ(p->freshness->AdvanceEpoch(3), base::OkStatus());
  EXPECT_EQ(p->Send(2), 1u);  // a new epoch is a new key
  p->Reboot();
  EXPECT_EQ(p->freshness->epoch(), 3u);
  EXPECT_EQ(p->freshness->receive_floor(2),
            0u);  // the record of epoch 0 is stale
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
  EXPECT_EQ(p->freshness->RecordReceived(1, 1), StoreCode::kNotMounted);
}

}  // namespace
}  // namespace secure_node
