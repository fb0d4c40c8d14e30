// Storage records of the workspace: one key slot, one session. Internal;
// public only because SecureCryptoWorkspace holds arrays of them.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_INTERNAL_RECORDS_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_INTERNAL_RECORDS_H_

#include <cstddef>
#include <cstdint>

#include "crypto/crypto_context.h"
#include "workspace/session_state.h"

namespace workspace::internal {

// A key slot is the cache-aware crypto context (libs/crypto,
// crypto_layout.h): hot -- the key schedule and H, then the nonce and its
// invocation counter -- on the first cache lines, cold -- metadata and
// counts -- after them, offsets pinned there by static_asserts. The
// workspace keeps nothing beside it and no copy of the raw key:
//   loaded           context.configured()
//   generation       metadata().active_key_id (workspace-unique, never 0)
//   key bytes        metadata().active_key_bytes
//   nonce sequence   fixed_field() || invocations() (spent at all ones)
//   rotation budget  statistics().messages_sealed / bytes_sealed,
//                    metadata().loaded_at_us
// Invariant: an empty slot is all zero bytes after its key schedule, which
// holds no key (CryptoContext::Clear).
using KeySlot = crypto::CryptoContext;

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
