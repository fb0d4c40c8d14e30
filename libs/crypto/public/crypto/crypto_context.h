// A crypto session: AES-GCM under an active key with deterministic nonces
// (SP 800-38D section 8.2.1: a 4-byte fixed field naming the device/session
// followed by a 64-bit invocation counter), a backup key for rotation, and
// statistics, stored in the cache-aware OptimizedCryptoLayout.
//
// Pool-friendly: default-constructible, no heap, wiped on destruction.
// Its alignment is the cache line (alignof(CryptoContext) ==
// board::kCacheLineBytes); an object pool must honour alignof.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_CONTEXT_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "base/byte_order.h"
#include "crypto/crypto_layout.h"
#include "crypto/status.h"

namespace crypto {

class CryptoContext {
 public:
  static constexpr std::size_t kFixedFieldBytes = 4;
  static constexpr std::size_t kNonceBytes = AesGcm::kNonceBytes;
  static constexpr std::size_t kTagBytes = AesGcm::kMaxTagBytes;

  CryptoContext() = default;
  ~CryptoContext() { Clear(); }
  CryptoContext(const CryptoContext&) = delete;
  CryptoContext& operator=(const CryptoContext&) = delete;

  // The span functions are an inline layer over pointer-based cores
  // (crypto_context.cc), as in aes.h: a call costs what the pointer call
  // did. Nonce and tag are fixed-extent spans: the compiler checks their
  // sizes.

  // Starts a session under key (16, 24 or 32 bytes), set up for `backend`
  // (crypto/backend.h; Rotate() keeps it); the invocation counter restarts
  // at 0.
  base::Status Configure(
      std::uint32_t session_id, std::span<const std::uint8_t> key,
      std::uint32_t key_id,
      std::span<const std::uint8_t, kFixedFieldBytes> fixed_field,
      Backend backend = Backend::kAuto) {
    return RawConfigure(session_id, key.data(), key.size(), key_id,
                        fixed_field.data(), backend);
  }
  // Stores (in the cold area) the key the next Rotate() switches to.
  base::Status SetBackupKey(std::span<const std::uint8_t> key,
                            std::uint32_t key_id) {
    return RawSetBackupKey(key.data(), key.size(), key_id);
  }
  // Makes the backup key active (new key: the counter restarts) and wipes it
  // from the backup slot. kBadState without a backup key.
  base::Status Rotate();

  // Encrypts plaintext into ciphertext[0..plaintext.size()) (the buffer
  // rules of aes_gcm.h) under the next nonce, which is written to nonce_out
  // for the receiver, with a full 16-byte tag. kNonceExhausted once all
  // 2^64 - 1 counters are used. A refused call spends no nonce (the counter
  // moves only on success), but nonce_out may already hold the nonce it
  // would have used: read it only after an ok. Seal is SealAt(invocations()).
  //
  // Seal, SealAt and Open are inline: an owner that embeds the context (the
  // workspace's key slot) pays for no call beyond the cipher's own.
  base::Status Seal(std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> plaintext,
                    std::span<std::uint8_t> ciphertext,
                    std::span<std::uint8_t, kNonceBytes> nonce_out,
                    std::span<std::uint8_t, kTagBytes> tag) {
    // The compiler sees `invocation` is the counter itself and drops
    // SealAt's reuse check and skip: Seal costs what it did before SealAt.
    return SealAt(layout_.invocations, aad, plaintext, ciphertext, nonce_out,
                  tag);
  }
  // Seal with the invocation counter chosen by the caller, for an owner
  // that keeps its own message numbering (a link's epoch and sequence) and
  // wants it to be the nonce. The context still guarantees uniqueness: it
  // refuses, with kNonceReused, any `invocation` below invocations() (each
  // value below it was either used or skipped over, and both are gone for
  // good), and with kNonceExhausted the all-ones value (and any value once
  // the counter is spent). On success the next allowed invocation is
  // `invocation + 1`; a refused call moves nothing (nonce_out as for Seal).
  // In place (ciphertext.data() == plaintext.data()) is allowed.
  base::Status SealAt(std::uint64_t invocation,
                      std::span<const std::uint8_t> aad,
                      std::span<const std::uint8_t> plaintext,
                      std::span<std::uint8_t> ciphertext,
                      std::span<std::uint8_t, kNonceBytes> nonce_out,
                      std::span<std::uint8_t, kTagBytes> tag) {
    // The all-ones counter is never used, so `invocations` can count every
    // message without wrapping to a reused nonce.
    if (invocation == ~std::uint64_t{0}) [[unlikely]] {
      return configured() ? Code::kNonceExhausted : Code::kBadState;
    }
    if (invocation < layout_.invocations) [[unlikely]] {
      // Below a spent counter every value is gone: say why, not just that.
      return layout_.invocations == ~std::uint64_t{0} ? Code::kNonceExhausted
                                                      : Code::kNonceReused;
    }
    // How many counters this call skips over. The counter is then advanced
    // by it rather than set to invocation + 1 (the same value): in Seal the
    // skip is the constant 0 and the update is the plain increment of the
    // stored counter, with nothing extra kept alive across the cipher call.
    const std::uint64_t skipped = invocation - layout_.invocations;
    // The nonce is built in the caller's buffer: fixed field, then the
    // counter big-endian. Without a key, Encrypt refuses (kBadState).
    std::memcpy(nonce_out.data(), layout_.nonce, kFixedFieldBytes);
    base::StoreBe64(nonce_out.data() + kFixedFieldBytes, invocation);
    const base::Status status =
        layout_.active.Encrypt(nonce_out, aad, plaintext, ciphertext, tag);
    if (!status.ok()) [[unlikely]] {
      return status;
    }
    layout_.invocations += skipped + 1;
    ++layout_.statistics.messages_sealed;
    layout_.statistics.bytes_sealed += plaintext.size();
    return base::OkStatus();
  }
  // Verifies and decrypts a message sealed under the active key into
  // plaintext[0..ciphertext.size()).
  base::Status Open(std::span<const std::uint8_t, kNonceBytes> nonce,
                    std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> ciphertext,
                    std::span<const std::uint8_t, kTagBytes> tag,
                    std::span<std::uint8_t> plaintext) {
    // Without a key, Decrypt refuses (kBadState).
    const base::Status status =
        layout_.active.Decrypt(nonce, aad, ciphertext, tag, plaintext);
    if (!status.ok()) [[unlikely]] {
      // Whether a message was forged is public (it is the return value),
      // so counting it here leaks nothing.
      if (status == Code::kAuthenticationFailed) {
        ++layout_.statistics.authentication_failures;
      }
      return status;
    }
    ++layout_.statistics.messages_opened;
    layout_.statistics.bytes_opened += ciphertext.size();
    return base::OkStatus();
  }

  // Continues the active key's use where an earlier load of the same key
  // left off: the next nonce uses invocation counter `next_invocation` (all
  // ones: the key's nonces are spent, Seal refuses), and the sealed counts
  // and load time are the earlier ones. Only right after Configure (nothing
  // sealed yet): kBadState otherwise. The counter never goes back: an owner
  // resumes from what it persisted *before* using it.
  base::Status Resume(std::uint64_t next_invocation,
                      std::uint64_t messages_sealed, std::uint64_t bytes_sealed,
                      std::uint64_t loaded_at_us);

  // Nonces still available under the active key (none without one).
  std::uint64_t nonces_remaining() const {
    return configured() ? ~std::uint64_t{0} - layout_.invocations : 0;
  }
  // The 4-byte fixed field of the nonces, big-endian as on the wire.
  std::span<const std::uint8_t, kFixedFieldBytes> fixed_field() const {
    return std::span<const std::uint8_t, kFixedFieldBytes>(layout_.nonce,
                                                           kFixedFieldBytes);
  }

  // Wipes the whole context: keys, nonce state, metadata, statistics.
  void Clear();

  bool configured() const { return layout_.active.has_key(); }
  // The active key's cipher, for an owner that verifies with its own
  // accounting (the workspace counts per session and in total) and so
  // skips Open's per-key counts.
  const AesGcm& cipher() const { return layout_.active; }
  const SessionMetadata& metadata() const { return layout_.metadata; }
  const CryptoStatistics& statistics() const { return layout_.statistics; }
  std::uint64_t invocations() const { return layout_.invocations; }
  const OptimizedCryptoLayout& layout() const { return layout_; }

 private:
  // The pointer-based cores behind the span API.
  base::Status RawConfigure(std::uint32_t session_id, const std::uint8_t* key,
                            std::size_t key_bytes, std::uint32_t key_id,
                            const std::uint8_t* fixed_field, Backend backend);
  base::Status RawSetBackupKey(const std::uint8_t* key, std::size_t key_bytes,
                               std::uint32_t key_id);

  OptimizedCryptoLayout layout_;
};

static_assert(alignof(CryptoContext) == kCryptoCacheLineBytes);
static_assert(sizeof(CryptoContext) == sizeof(OptimizedCryptoLayout));

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_CONTEXT_H_
