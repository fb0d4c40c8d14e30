#include "workspace/rotation_policy.h"

namespace workspace {

RotationReason RotationDue(const RotationPolicy& policy, const KeyUsage& usage,
                           std::uint64_t now_us) {
  if (usage.nonces_exhausted) return RotationReason::kNonceExhausted;
  if (usage.messages >= policy.max_messages_per_key)
    return RotationReason::kMessageLimit;
  if (usage.bytes >= policy.max_bytes_per_key)
    return RotationReason::kByteLimit;
  // A clock reading before the load time (a clock that was replaced) counts
  // as age zero rather than wrapping to a huge age.
  const std::uint64_t age =
      now_us > usage.loaded_at_us ? now_us - usage.loaded_at_us : 0;
  if (age >= policy.max_key_age_us) return RotationReason::kKeyAge;
  return RotationReason::kNone;
}

RotationReason CheckEncryption(const RotationPolicy& policy,
                               const KeyUsage& usage, std::uint64_t now_us,
                               std::uint64_t message_bytes) {
  const RotationReason due = RotationDue(policy, usage, now_us);
  if (due != RotationReason::kNone) return due;
  // usage.bytes < max here, so the subtraction cannot wrap.
  if (message_bytes > policy.max_bytes_per_key - usage.bytes)
    return RotationReason::kByteLimit;
  return RotationReason::kNone;
}

const char* RotationReasonName(RotationReason reason) {
  switch (reason) {
    case RotationReason::kNone:
      return "None";
    case RotationReason::kNonceExhausted:
      return "NonceExhausted";
    case RotationReason::kMessageLimit:
      return "MessageLimit";
    case RotationReason::kByteLimit:
      return "ByteLimit";
    case RotationReason::kKeyAge:
      return "KeyAge";
  }
  return "Invalid";
}

}  // namespace workspace
