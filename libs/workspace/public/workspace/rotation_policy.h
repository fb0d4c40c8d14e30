// When a key must be replaced, decided from what the key slot has actually
// done and how old it is.
//
// A key's originator-usage period (NIST SP 800-57 part 1, 5.3) ends at the
// first of:
//   * its nonce sequence is spent (SP 800-38D: never reuse a nonce);
//   * it has protected max_messages_per_key messages;
//   * it has protected max_bytes_per_key bytes of plaintext;
//   * it is max_key_age_us old.
// After that the workspace refuses to *encrypt* under the key
// (kRotationRequired) but still *decrypts*: messages already in flight were
// protected legitimately and the recipient-usage period may be longer.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_ROTATION_POLICY_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_ROTATION_POLICY_H_

#include <cstdint>

namespace workspace {

struct RotationPolicy {
  // Defaults: one day; 2^32 messages (the SP 800-38D 8.3 bound, kept even
  // with deterministic nonces so that one key never protects more than a
  // well-studied amount of traffic); 2^36 bytes (64 GiB).
  std::uint64_t max_key_age_us = 24ull * 3600 * 1000 * 1000;
  std::uint64_t max_messages_per_key = 1ull << 32;
  std::uint64_t max_bytes_per_key = 1ull << 36;

  // Every limit must allow at least one message.
  constexpr bool valid() const {
    return max_key_age_us != 0 && max_messages_per_key != 0 &&
           max_bytes_per_key != 0;
  }
};

// What a key slot has done since it was loaded.
struct KeyUsage {
  std::uint64_t loaded_at_us = 0;
  std::uint64_t messages = 0;  // messages encrypted
  std::uint64_t bytes = 0;     // plaintext bytes encrypted
  bool nonces_exhausted = false;
};

enum class RotationReason : std::uint8_t {
  kNone = 0,
  kNonceExhausted,
  kMessageLimit,
  kByteLimit,
  kKeyAge,
};

// Why the key must be rotated now, or kNone. Checked in the order above:
// the nonce rule first because breaking it is the catastrophic one.
RotationReason RotationDue(const RotationPolicy& policy, const KeyUsage& usage,
                           std::uint64_t now_us);

// Whether one more message of message_bytes may be encrypted: RotationDue,
// plus the byte budget counting this message (a message that would cross
// the limit is refused whole, never split).
RotationReason CheckEncryption(const RotationPolicy& policy,
                               const KeyUsage& usage, std::uint64_t now_us,
                               std::uint64_t message_bytes);

const char* RotationReasonName(RotationReason reason);

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_ROTATION_POLICY_H_
