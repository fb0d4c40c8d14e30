// The reasons a node refuses a frame (PROTOCOL.md, "Receiving"), and sets of
// them: for some injected faults the harness can say only which few reasons
// are possible (a flipped sequence number is a replay or a forgery depending
// on the receiver's window), so expectations are sets.
#ifndef SIM_REJECT_REASON_H_
#define SIM_REJECT_REASON_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace sim {

enum class RejectReason : std::uint8_t {
  kMalformed = 0,
  kMisrouted,
  kUnknownPeer,
  kEpoch,
  kReplay,
  kForged,
  // Not in PROTOCOL.md's list, but the firmware reports it once its crypto
  // workspace has locked itself out. No injected fault explains it, so the
  // verdict counts it as an unexplained refusal.
  kLockedOut,
  // An authentic frame the receiver could not record as received in its
  // storage (so it refused to deliver it). No injected fault explains it.
  kStorage,
  // An authenticated acknowledgement for no message the node has in flight:
  // a second acknowledgement of a message (the peer acknowledged a
  // retransmission again), one that arrived after the message had ended, or
  // an old one replayed.
  kAckUnknown,
};
inline constexpr int kRejectReasonCount = 9;

absl::string_view RejectReasonName(RejectReason reason);
std::optional<RejectReason> ParseRejectReason(absl::string_view name);

class ReasonSet {
 public:
  constexpr ReasonSet() = default;
  constexpr ReasonSet(std::initializer_list<RejectReason> reasons) {
    for (RejectReason r : reasons) bits_ |= Bit(r);
  }
  static constexpr ReasonSet Any() {
    ReasonSet set;
    set.bits_ = static_cast<std::uint16_t>((1u << kRejectReasonCount) - 1);
    return set;
  }
  constexpr bool Contains(RejectReason r) const {
    return (bits_ & Bit(r)) != 0;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr ReasonSet With(RejectReason r) const {
    ReasonSet set = *this;
    set.bits_ |= Bit(r);
    return set;
  }
  friend constexpr bool operator==(ReasonSet, ReasonSet) = default;
  // "replay|forged"
  std::string ToString() const;

 private:
  static constexpr std::uint16_t Bit(RejectReason r) {
    return static_cast<std::uint16_t>(1u << static_cast<int>(r));
  }
  std::uint16_t bits_ = 0;
};

}  // namespace sim

#endif  // SIM_REJECT_REASON_H_
