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

  // Starts a session under key, set up for `backend` (crypto/backend.h;
  // Rotate() keeps it); the invocation counter restarts at 0.
  base::Status Configure(std::uint32_t session_id, const std::uint8_t* key,
                         std::size_t key_bytes, std::uint32_t key_id,
                         const std::uint8_t fixed_field[kFixedFieldBytes],
                         Backend backend = Backend::kAuto);
  // Stores (in the cold area) the key the next Rotate() switches to.
  base::Status SetBackupKey(const std::uint8_t* key, std::size_t key_bytes,
                            std::uint32_t key_id);
  // Makes the backup key active (new key: the counter restarts) and wipes it
  // from the backup slot. kBadState without a backup key.
  base::Status Rotate();

  // Encrypts under the next nonce, which is written to nonce_out for the
  // receiver. kNonceExhausted once all 2^64 - 1 counters are used.
  base::Status Seal(const std::uint8_t* aad, std::size_t aad_len,
                    const std::uint8_t* plaintext, std::size_t len,
                    std::uint8_t* ciphertext,
                    std::uint8_t nonce_out[kNonceBytes],
                    std::uint8_t tag[kTagBytes]);
  // Verifies and decrypts a message sealed under the active key.
  base::Status Open(const std::uint8_t nonce[kNonceBytes],
                    const std::uint8_t* aad, std::size_t aad_len,
                    const std::uint8_t* ciphertext, std::size_t len,
                    const std::uint8_t tag[kTagBytes], std::uint8_t* plaintext);

  // Wipes keys, nonce state and metadata.
  void Clear();

  bool configured() const { return layout_.active.has_key(); }
  const SessionMetadata& metadata() const { return layout_.metadata; }
  const CryptoStatistics& statistics() const { return layout_.statistics; }
  std::uint64_t invocations() const { return layout_.invocations; }
  const OptimizedCryptoLayout& layout() const { return layout_; }

 private:
  OptimizedCryptoLayout layout_;
};

static_assert(alignof(CryptoContext) == kCryptoCacheLineBytes);
static_assert(sizeof(CryptoContext) == sizeof(OptimizedCryptoLayout));

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_CONTEXT_H_
