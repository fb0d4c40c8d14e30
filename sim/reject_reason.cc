#include "sim/reject_reason.h"

#include <array>

#include "absl/strings/str_join.h"

namespace sim {
namespace {

constexpr std::array<absl::string_view, kRejectReasonCount> kNames = {
    "malformed", "misrouted",  "unknown_peer", "epoch",       "replay",
    "forged",    "locked_out", "storage",      "ack_unknown",
};

}  // namespace

absl::string_view RejectReasonName(RejectReason reason) {
  return kNames[static_cast<int>(reason)];
}

std::optional<RejectReason> ParseRejectReason(absl::string_view name) {
  for (int i = 0; i < kRejectReasonCount; ++i) {
    if (kNames[i] == name) return static_cast<RejectReason>(i);
  }
  return std::nullopt;
}

std::string ReasonSet::ToString() const {
  std::vector<absl::string_view> names;
  for (int i = 0; i < kRejectReasonCount; ++i) {
    if (Contains(static_cast<RejectReason>(i))) names.push_back(kNames[i]);
  }
  return absl::StrJoin(names, "|");
}

}  // namespace sim
