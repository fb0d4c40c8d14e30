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
//  * Receive. Freshness owns each peer's receive window
//    (wire::ReplayWindow: the highest DATA sequence accepted and which of
//    the 64 before it were) and persists the whole window, 12 bytes, before
//    a message is delivered: one store write per delivered message. After a
//    reboot the window is restored exactly, so a retransmission of a
//    message delivered before the reboot is recognised (and acknowledged
//    again, never delivered twice) and one that never arrived is still
//    fresh and delivered once. What a reboot still loses: nothing the
//    window can judge; a frame more than 64 sequences below the highest is
//    refused as too old, which the sender's window prevents for its own
//    retransmissions (libs/arq). A record from an older firmware, with the
//    high only, restores as "everything up to the high was seen".
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
#include "wire/replay_window.h"

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

  // How a DATA frame with `sequence` from `peer` stands in the persisted
  // receive window: kFresh may be delivered once it authenticated.
  wire::ReplayWindow::Verdict CheckReceived(std::uint8_t peer,
                                            std::uint32_t sequence) const {
    return peers_[peer].received.Check(sequence);
  }
  // Records the authenticated DATA frame `sequence` from `peer`: the window
  // with it is persisted first, then kept. Call before delivery; unless
  // kRecorded nothing changed and the message must not be delivered
  // (kNotFresh: CheckReceived would not say kFresh; kStorageFailed: the
  // sender will retransmit it).
  enum class ReceiveRecord : std::uint8_t {
    kRecorded,
    kNotFresh,
    kStorageFailed
  };
  ReceiveRecord RecordReceived(std::uint8_t peer, std::uint32_t sequence);
  const wire::ReplayWindow& receive_window(std::uint8_t peer) const {
    return peers_[peer].received;
  }

  std::uint64_t store_writes() const { return store_writes_; }

 private:
  struct PeerCounters {
    std::uint32_t last_sent = 0;     // RAM only: the ceiling covers it
    std::uint32_t send_ceiling = 0;  // persisted
    wire::ReplayWindow received;     // persisted
  };

  base::Status Persist(std::uint8_t peer, std::uint32_t send_ceiling,
                       const wire::ReplayWindow& received);

  storage::RecordStoreCore& store_;
  std::uint32_t epoch_ = 0;
  std::array<PeerCounters, 256> peers_{};
  std::uint64_t store_writes_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_FRESHNESS_H_
