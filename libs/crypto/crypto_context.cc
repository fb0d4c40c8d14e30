#include "crypto/crypto_context.h"

#include "base/secure_wipe.h"

namespace crypto {

base::Status CryptoContext::RawConfigure(
    std::uint32_t session_id, const std::uint8_t* key, std::size_t key_bytes,
    std::uint32_t key_id, const std::uint8_t* fixed_field, Backend backend) {
  Clear();
  const base::Status status = layout_.active.SetKey({key, key_bytes}, backend);
  if (!status.ok()) return status;
  layout_.metadata.backend = backend;
  for (std::size_t i = 0; i < kFixedFieldBytes; ++i) {
    layout_.nonce[i] = fixed_field[i];
  }
  layout_.invocations = 0;
  layout_.metadata.session_id = session_id;
  layout_.metadata.active_key_id = key_id;
  layout_.metadata.active_key_bytes = static_cast<std::uint8_t>(key_bytes);
  return base::OkStatus();
}

base::Status CryptoContext::Resume(std::uint64_t next_invocation,
                                   std::uint64_t messages_sealed,
                                   std::uint64_t bytes_sealed,
                                   std::uint64_t loaded_at_us) {
  if (!configured() || layout_.invocations != 0 ||
      layout_.statistics.messages_sealed != 0) {
    return Code::kBadState;
  }
  layout_.invocations = next_invocation;
  layout_.statistics.messages_sealed = messages_sealed;
  layout_.statistics.bytes_sealed = bytes_sealed;
  layout_.metadata.loaded_at_us = loaded_at_us;
  return base::OkStatus();
}

base::Status CryptoContext::RawSetBackupKey(const std::uint8_t* key,
                                            std::size_t key_bytes,
                                            std::uint32_t key_id) {
  if (!configured()) return Code::kBadState;
  // A span of 16, 24 or 32 bytes points at them: no null key to refuse.
  if (key_bytes != 16 && key_bytes != 24 && key_bytes != 32) {
    return Code::kInvalidKeyLength;
  }
  base::SecureWipe(layout_.backup_key, sizeof layout_.backup_key);
  for (std::size_t i = 0; i < key_bytes; ++i) layout_.backup_key[i] = key[i];
  layout_.metadata.backup_key_id = key_id;
  layout_.metadata.backup_key_bytes = static_cast<std::uint8_t>(key_bytes);
  return base::OkStatus();
}

base::Status CryptoContext::Rotate() {
  if (!configured() || layout_.metadata.backup_key_bytes == 0) {
    return Code::kBadState;
  }
  const base::Status status = layout_.active.SetKey(
      std::span<const std::uint8_t>(layout_.backup_key,
                                    layout_.metadata.backup_key_bytes),
      layout_.metadata.backend);
  if (!status.ok()) return status;
  // Nonces only need to be unique per key: a fresh key restarts the count.
  layout_.invocations = 0;
  layout_.metadata.active_key_id = layout_.metadata.backup_key_id;
  layout_.metadata.active_key_bytes = layout_.metadata.backup_key_bytes;
  layout_.metadata.backup_key_id = 0;
  layout_.metadata.backup_key_bytes = 0;
  base::SecureWipe(layout_.backup_key, sizeof layout_.backup_key);
  ++layout_.statistics.key_rotations;
  return base::OkStatus();
}

void CryptoContext::Clear() {
  layout_.active.Clear();
  // Everything else, padding included: an empty context is all zero bytes
  // after its key schedule (what the workspace's wipe tests check).
  auto* const rest = reinterpret_cast<std::uint8_t*>(&layout_) + sizeof(AesGcm);
  base::SecureWipe(rest, sizeof layout_ - sizeof(AesGcm));
}

static_assert(Backend{} == Backend::kAuto &&
                  static_cast<int>(Backend::kAuto) == 0,
              "wiped metadata must read as a fresh context's");

}  // namespace crypto
