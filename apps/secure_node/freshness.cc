#include "apps/secure_node/freshness.h"

#include "apps/secure_node/stored_records.h"
#include "base/byte_order.h"

namespace secure_node {

using storage::StoreCode;

namespace {

// LinkFreshness record: epoch, send ceiling, receive high (u32 each), then
// the receive window's seen bits (u64). Firmware before the persisted
// window wrote the first 12 bytes only.
constexpr std::size_t kLegacyRecordBytes = 12;
constexpr std::size_t kRecordBytes = 20;

}  // namespace

base::Status Freshness::Load() {
  peers_.fill(PeerCounters{});
  epoch_ = 0;
  std::array<std::uint8_t, kRecordBytes> value{};
  std::size_t size = 0;
  base::Status status = store_.Read(records::kEpoch, value, size);
  if (status.ok() && size == 4) {
    epoch_ = base::LoadLe32(value.data());
  } else if (status != StoreCode::kNotFound) {
    return status.ok() ? StoreCode::kBufferTooSmall : status;
  }
  for (std::size_t peer = 0; peer < peers_.size(); ++peer) {
    status = store_.Read(
        records::LinkFreshness(static_cast<std::uint8_t>(peer)), value, size);
    if (status == StoreCode::kNotFound) continue;
    if (!status.ok()) return status;
    if ((size != kRecordBytes && size != kLegacyRecordBytes) ||
        base::LoadLe32(value.data()) != epoch_) {
      continue;
    }
    PeerCounters& counters = peers_[peer];
    counters.send_ceiling = base::LoadLe32(value.data() + 4);
    counters.last_sent = counters.send_ceiling;  // resume strictly above
    const std::uint32_t high = base::LoadLe32(value.data() + 8);
    if (size == kRecordBytes) {
      counters.received =
          wire::ReplayWindow::Restore(high, base::LoadLe64(value.data() + 12));
    } else {
      counters.received.ResumeAbove(high);  // no bitmap: all seen
    }
  }
  return base::OkStatus();
}

base::Status Freshness::AdvanceEpoch(std::uint32_t epoch) {
  std::array<std::uint8_t, 4> value;
  base::StoreLe32(value.data(), epoch);
  const base::Status status = store_.Write(records::kEpoch, value);
  if (!status.ok()) return status;
  ++store_writes_;
  epoch_ = epoch;
  peers_.fill(PeerCounters{});
  return base::OkStatus();
}

Freshness::SendReservation Freshness::ReserveSend(std::uint8_t peer) {
  PeerCounters& counters = peers_[peer];
  if (counters.last_sent == 0xffff'ffffu) return {SendStatus::kExhausted, 0};
  const std::uint32_t next = counters.last_sent + 1;
  if (next > counters.send_ceiling) {
    const std::uint32_t ceiling =
        counters.last_sent > 0xffff'ffffu - kSendReserve
            ? 0xffff'ffffu
            : counters.last_sent + kSendReserve;
    if (!Persist(peer, ceiling, counters.received).ok()) {
      return {SendStatus::kStorageFailed, 0};
    }
    counters.send_ceiling = ceiling;
  }
  return {SendStatus::kOk, next};
}

void Freshness::CommitSend(std::uint8_t peer, std::uint32_t sequence) {
  peers_[peer].last_sent = sequence;
}

Freshness::ReceiveRecord Freshness::RecordReceived(std::uint8_t peer,
                                                   std::uint32_t sequence) {
  PeerCounters& counters = peers_[peer];
  if (counters.received.Check(sequence) !=
      wire::ReplayWindow::Verdict::kFresh) {
    return ReceiveRecord::kNotFresh;
  }
  wire::ReplayWindow received = counters.received;
  received.Accept(sequence);
  if (!Persist(peer, counters.send_ceiling, received).ok()) {
    return ReceiveRecord::kStorageFailed;
  }
  counters.received = received;
  return ReceiveRecord::kRecorded;
}

base::Status Freshness::Persist(std::uint8_t peer, std::uint32_t send_ceiling,
                                const wire::ReplayWindow& received) {
  std::array<std::uint8_t, kRecordBytes> value;
  base::StoreLe32(value.data(), epoch_);
  base::StoreLe32(value.data() + 4, send_ceiling);
  base::StoreLe32(value.data() + 8, received.highest());
  base::StoreLe64(value.data() + 12, received.seen());
  const base::Status status = store_.Write(records::LinkFreshness(peer), value);
  if (status.ok()) ++store_writes_;
  return status;
}

}  // namespace secure_node
