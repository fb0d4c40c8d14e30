// Cache-aware memory layout of a crypto session (the "OptimizedCryptoLayout"
// of the original design).
//
// Hot data, touched for every block (the active key schedule, H, the nonce
// and its invocation counter), is packed together from offset 0, with the
// bitsliced round keys starting on a cache-line boundary. Cold data, touched
// once per session or key rotation (backup key, session metadata,
// statistics), starts on the next cache line, so encrypting never drags it
// into the cache and never shares a line with it. The line size is the
// board's (base::kCacheLineBytes, from the build: 32 B on Cortex-R5, 64 B on
// Cortex-R52 and on x86-64 hosts); the static_asserts below pin every offset
// for both.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_LAYOUT_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "base/cache_line.h"
#include "crypto/aes_gcm.h"
#include "crypto/backend.h"

namespace crypto {

inline constexpr std::size_t kCryptoCacheLineBytes = base::kCacheLineBytes;

struct SessionMetadata {
  // When the active key was loaded, by the owner's clock (the context has
  // none): what a key-age rotation budget counts from. 0 unless the owner
  // says (Resume).
  std::uint64_t loaded_at_us = 0;
  std::uint32_t session_id = 0;
  std::uint32_t active_key_id = 0;
  std::uint32_t backup_key_id = 0;
  std::uint8_t active_key_bytes = 0;
  std::uint8_t backup_key_bytes = 0;  // 0: no backup key loaded
  Backend backend = Backend::kAuto;   // the keys' (Configure's argument)
};

// Counts under the active key, except key_rotations (the session's). An
// owner that reloads a key may carry messages_sealed and bytes_sealed over
// (Resume), so that a rotation budget counts the key, not the load.
struct CryptoStatistics {
  std::uint64_t messages_sealed = 0;
  std::uint64_t bytes_sealed = 0;  // plaintext bytes
  std::uint64_t messages_opened = 0;
  std::uint64_t bytes_opened = 0;
  std::uint64_t authentication_failures = 0;
  std::uint32_t key_rotations = 0;
};

struct alignas(kCryptoCacheLineBytes) OptimizedCryptoLayout {
  static constexpr std::size_t kNonceBytes = AesGcm::kNonceBytes;
  static constexpr std::size_t kMaxKeyBytes = 32;

  // ---- hot ----
  AesGcm active;  // round keys at offset 0, then H
  // The nonce's fixed field (bytes 0..3); Seal writes fixed field ||
  // counter into the caller's nonce buffer, so bytes 4..11 stay 0.
  std::uint8_t nonce[kNonceBytes] = {};
  std::uint64_t invocations = 0;  // messages sealed under `active`
  // ---- cold ----
  alignas(kCryptoCacheLineBytes) std::uint8_t backup_key[kMaxKeyBytes] = {};
  SessionMetadata metadata;
  CryptoStatistics statistics;
};

namespace layout_internal {

constexpr std::size_t RoundUp(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

// Sizes the offsets below are derived from: the bitsliced AES schedule
// (15 rounds x 8 words + the round count and backend flag) and the
// pre-split H (9 x 4 words; on the Cortex-R5F also H^2 for the two-block
// GHASH step, 18 x 4 words: ghash.h), followed on x86-64 hosts by GHASH's
// backend flag (4 bytes with padding; crypto/backend.h).
static_assert(sizeof(Aes) == (15 * 8 + 1) * 4);
static_assert(sizeof(GhashKey) ==
              GhashKey::kKeyBytes + GhashKey::kBackendBytes);
static_assert(GhashKey::kKeyBytes == 9 * 4 * 4 ||
              GhashKey::kKeyBytes == 18 * 4 * 4);
inline constexpr bool kGhashKeyHasH2 = GhashKey::kKeyBytes == 18 * 4 * 4;
// AesGcm: 772 on the Cortex-R5F, 628 on the Cortex-R52, 632 on x86-64.
inline constexpr std::size_t kAesGcmBytes =
    (kGhashKeyHasH2 ? 772 : 628) + GhashKey::kBackendBytes;
static_assert(sizeof(AesGcm) == kAesGcmBytes);

}  // namespace layout_internal

// offsetof needs a standard-layout type to be well defined.
static_assert(std::is_standard_layout_v<OptimizedCryptoLayout>);
static_assert(alignof(OptimizedCryptoLayout) == kCryptoCacheLineBytes);
// Hot: key schedule first and line-aligned, nonce and counter right after H
// (and H^2 on the Cortex-R5F).
static_assert(offsetof(OptimizedCryptoLayout, active) == 0);
static_assert(offsetof(OptimizedCryptoLayout, nonce) ==
              layout_internal::kAesGcmBytes);
// The counter is 8-byte aligned: 784 on the Cortex-R5F, 640 on the
// Cortex-R52, 648 on x86-64.
static_assert(offsetof(OptimizedCryptoLayout, invocations) ==
              layout_internal::RoundUp(layout_internal::kAesGcmBytes + 12, 8));
// Cold: starts on the first line boundary after the hot 648 bytes (792 on
// the Cortex-R5F, 656 on x86-64).
inline constexpr std::size_t kHotBytes =
    layout_internal::RoundUp(layout_internal::kAesGcmBytes + 12, 8) + 8;
static_assert(kHotBytes == (layout_internal::kGhashKeyHasH2 ? 792
                            : GhashKey::kBackendBytes != 0  ? 656
                                                            : 648));
static_assert(offsetof(OptimizedCryptoLayout, backup_key) ==
              layout_internal::RoundUp(kHotBytes, kCryptoCacheLineBytes));
// Per platform: host and Cortex-R52 (64-byte lines, H only) 704; Cortex-R5F
// (32-byte lines, H and H^2) 800. The R5F is the only board with 32-byte
// lines and the only one whose key holds H^2.
static_assert(layout_internal::kGhashKeyHasH2 == (kCryptoCacheLineBytes == 32));
static_assert(offsetof(OptimizedCryptoLayout, backup_key) ==
              (kCryptoCacheLineBytes == 32 ? 800 : 704));
static_assert(offsetof(OptimizedCryptoLayout, metadata) ==
              offsetof(OptimizedCryptoLayout, backup_key) + 32);
static_assert(offsetof(OptimizedCryptoLayout, statistics) ==
              offsetof(OptimizedCryptoLayout, metadata) + 24);
static_assert(sizeof(OptimizedCryptoLayout) % kCryptoCacheLineBytes == 0);

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_CRYPTO_LAYOUT_H_
