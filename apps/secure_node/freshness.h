// Freshness that survives reboot: the node's epoch, and per peer the send
// sequence and the highest sequence received, persisted so that no GCM nonce
// is ever used twice under a key and no frame from before a reboot is ever
// delivered again.
//
// The scheme follows RFC 8613 (OSCORE) Appendix B.1 and the freshness
// manager of AUTOSAR SecOC:
//
//  * Send. The store holds, per peer, a ceiling: a sequence number the node
//    may use up to without writing. A send that would pass the ceiling first
//    persists a new ceiling kSendReserve higher, and only then is the frame
//    sealed. After any reboot, RESET or crash the node resumes strictly above
//    the persisted ceiling, so at most kSendReserve sequence numbers are
//    skipped per life and none is ever used twice. One store write per
//    kSendReserve frames.
//  * Receive. The highest sequence accepted from each peer is persisted
//    before the message is delivered (one store write per frame that raises
//    it). After a reboot the replay window resumes above it
//    (wire::ReplayWindow::ResumeAbove): every frame from before the reboot is
//    refused. What is lost: frames that were still in flight below that
//    floor (reordered by more than zero), which the sender will have to send
//    again under a new sequence.
//  * Epoch. Persisted before it is used; a ROTATE to an epoch not larger
//    than the persisted one is refused, whatever happened in between
//    (RESET included). Per-peer records carry the epoch they count in, so
//    an epoch change resets them without a multi-record transaction: a
//    record of an older epoch reads as zero.
//
// Each method writes at most one record, and the record store makes each
// write atomic, so a power cut at any instruction leaves either the old or
// the new state, both safe.
#ifndef APPS_SECURE_NODE_FRESHNESS_H_
#define APPS_SECURE_NODE_FRESHNESS_H_

#include <array>
#include <cstdint>

#include "base/status.h"
#include "storage/record_store.h"

namespace secure_node {

class Freshness {
 public:
  // Sequence numbers reserved per store write on the send side.
  static constexpr std::uint32_t kSendReserve = 256;

  enum class SendStatus : std::uint8_t { kOk, kExhausted, kStorageFailed };
  struct SendReservation {
    SendStatus status;
    std::uint32_t sequence;  // valid when status == kOk
  };

  explicit Freshness(storage::RecordStoreCore& store) : store_(store) {}
  Freshness(const Freshness&) = delete;
  Freshness& operator=(const Freshness&) = delete;

  // Reads the epoch and every peer's counters from the (mounted) store.
  // Sends resume above the persisted ceilings, receives above the
  // persisted highs. A refusal of the store (storage::StoreCode); a record
  // of the wrong size is kBufferTooSmall.
  base::Status Load();

  std::uint32_t epoch() const { return epoch_; }
  // Persists `epoch` (which must be larger than the current one) and starts
  // every peer's counters at zero for it. Ok, or the store's refusal, in
  // which case nothing changed.
  base::Status AdvanceEpoch(std::uint32_t epoch);

  // The sequence number the next frame to `peer` carries. Persists a new
  // ceiling first when needed. Nothing is consumed until CommitSend.
  SendReservation ReserveSend(std::uint8_t peer);
  // The frame carrying `sequence` (from ReserveSend) was sealed.
  void CommitSend(std::uint8_t peer, std::uint32_t sequence);
  std::uint32_t last_sent(std::uint8_t peer) const {
    return peers_[peer].last_sent;
  }

  // The highest sequence from `peer` persisted when the node loaded:
  // nothing at or below it may be delivered in this life.
  std::uint32_t receive_floor(std::uint8_t peer) const {
    return peers_[peer].receive_floor;
  }
  // Persists `sequence` as received from `peer` if it is the highest so
  // far. Call after authentication, before delivery; on a refusal the
  // message must not be delivered.
  base::Status RecordReceived(std::uint8_t peer, std::uint32_t sequence);

  std::uint64_t store_writes() const { return store_writes_; }

 private:
  struct PeerCounters {
    std::uint32_t last_sent = 0;      // RAM only: the ceiling covers it
    std::uint32_t send_ceiling = 0;   // persisted
    std::uint32_t received_high = 0;  // persisted
    std::uint32_t receive_floor = 0;  // received_high when loaded
  };

  base::Status Persist(std::uint8_t peer, std::uint32_t send_ceiling,
                       std::uint32_t received_high);

  storage::RecordStoreCore& store_;
  std::uint32_t epoch_ = 0;
  std::array<PeerCounters, 256> peers_{};
  std::uint64_t store_writes_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_FRESHNESS_H_
