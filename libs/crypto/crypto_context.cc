#include "crypto/crypto_context.h"

#include "base/secure_wipe.h"

namespace crypto {
namespace {

void StoreBe64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace

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

base::Status CryptoContext::RawSeal(
    const std::uint8_t* aad, std::size_t aad_len, const std::uint8_t* plaintext,
    std::size_t len, std::uint8_t* ciphertext, std::size_t ciphertext_len,
    std::uint8_t* nonce_out, std::uint8_t* tag) {
  if (!configured()) return Code::kBadState;
  // The all-ones counter is never used, so `invocations` can count every
  // message without wrapping to a reused nonce.
  if (layout_.invocations == ~std::uint64_t{0}) return Code::kNonceExhausted;
  StoreBe64(layout_.nonce + kFixedFieldBytes, layout_.invocations);
  const base::Status status =
      layout_.active.Encrypt(layout_.nonce, {aad, aad_len}, {plaintext, len},
                             {ciphertext, ciphertext_len}, {tag, kTagBytes});
  if (!status.ok()) return status;
  for (std::size_t i = 0; i < kNonceBytes; ++i) nonce_out[i] = layout_.nonce[i];
  ++layout_.invocations;
  ++layout_.statistics.messages_sealed;
  layout_.statistics.bytes_processed += len;
  return base::OkStatus();
}

base::Status CryptoContext::RawOpen(
    const std::uint8_t* nonce, const std::uint8_t* aad, std::size_t aad_len,
    const std::uint8_t* ciphertext, std::size_t len, const std::uint8_t* tag,
    std::uint8_t* plaintext, std::size_t plaintext_len) {
  if (!configured()) return Code::kBadState;
  const base::Status status = layout_.active.Decrypt(
      {nonce, kNonceBytes}, {aad, aad_len}, {ciphertext, len}, {tag, kTagBytes},
      {plaintext, plaintext_len});
  // Whether a message was forged is public (it is the return value), so
  // counting it here leaks nothing.
  if (status == Code::kAuthenticationFailed) {
    ++layout_.statistics.authentication_failures;
  } else if (status.ok()) {
    ++layout_.statistics.messages_opened;
    layout_.statistics.bytes_processed += len;
  }
  return status;
}

void CryptoContext::Clear() {
  layout_.active.Clear();
  base::SecureWipe(layout_.nonce, sizeof layout_.nonce);
  layout_.invocations = 0;
  base::SecureWipe(layout_.backup_key, sizeof layout_.backup_key);
  layout_.metadata = SessionMetadata{};
  layout_.statistics = CryptoStatistics{};
}

}  // namespace crypto
