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
#include <span>

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
  // 2^64 - 1 counters are used.
  base::Status Seal(std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> plaintext,
                    std::span<std::uint8_t> ciphertext,
                    std::span<std::uint8_t, kNonceBytes> nonce_out,
                    std::span<std::uint8_t, kTagBytes> tag) {
    return RawSeal(aad.data(), aad.size(), plaintext.data(), plaintext.size(),
                   ciphertext.data(), ciphertext.size(), nonce_out.data(),
                   tag.data());
  }
  // Verifies and decrypts a message sealed under the active key into
  // plaintext[0..ciphertext.size()).
  base::Status Open(std::span<const std::uint8_t, kNonceBytes> nonce,
                    std::span<const std::uint8_t> aad,
                    std::span<const std::uint8_t> ciphertext,
                    std::span<const std::uint8_t, kTagBytes> tag,
                    std::span<std::uint8_t> plaintext) {
    return RawOpen(nonce.data(), aad.data(), aad.size(), ciphertext.data(),
                   ciphertext.size(), tag.data(), plaintext.data(),
                   plaintext.size());
  }

  // Wipes keys, nonce state and metadata.
  void Clear();

  bool configured() const { return layout_.active.has_key(); }
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
  base::Status RawSeal(const std::uint8_t* aad, std::size_t aad_len,
                       const std::uint8_t* plaintext, std::size_t len,
                       std::uint8_t* ciphertext, std::size_t ciphertext_len,
                       std::uint8_t* nonce_out, std::uint8_t* tag);
  base::Status RawOpen(const std::uint8_t* nonce, const std::uint8_t* aad,
                       std::size_t aad_len, const std::uint8_t* ciphertext,
                       std::size_t len, const std::uint8_t* tag,
                       std::uint8_t* plaintext, std::size_t plaintext_len);

  OptimizedCryptoLayout layout_;
};

static_assert(alignof(CryptoContext) == kCryptoCacheLineBytes);
static_assert(sizeof(CryptoContext) == sizeof(OptimizedCryptoLayout));

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_CONTEXT_H_
