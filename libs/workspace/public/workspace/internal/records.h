// Storage records of the workspace: one key slot, one session. Internal;
// public only because SecureCryptoWorkspace holds arrays of them.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_INTERNAL_RECORDS_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_INTERNAL_RECORDS_H_

#include <cstddef>
#include <cstdint>

#include "crypto/aes_gcm.h"
#include "workspace/nonce.h"
#include "workspace/rotation_policy.h"
#include "workspace/session_state.h"

namespace workspace::internal {

inline constexpr std::size_t kMaxKeyBytes = 32;

// A key slot. Invariant: generation == 0 (empty) exactly when gcm holds no
// key, raw_key is all zero, and nonces is spent.
struct KeySlot {
  crypto::AesGcm gcm;  // expanded schedule and H
  std::uint8_t raw_key[kMaxKeyBytes] = {};
  std::uint8_t key_bytes = 0;    // 16, 24 or 32; 0 when empty
  std::uint32_t generation = 0;  // workspace-unique per load; 0 = empty
  NonceSequence nonces;
  KeyUsage usage;

  bool loaded() const { return generation != 0; }
};

// A session. Invariant: an Idle record is all-zero bytes (it is wiped with
// SecureWipe, padding included).
struct SessionRecord {
  SessionState state;
  std::uint16_t key_slot;
  std::uint32_t key_generation;  // the slot generation it was bound to
  std::uint64_t messages_encrypted;
  std::uint64_t messages_decrypted;
};
static_assert(static_cast<int>(SessionState::kIdle) == 0,
              "an all-zero record must read as Idle");

}  // namespace workspace::internal

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_INTERNAL_RECORDS_H_
