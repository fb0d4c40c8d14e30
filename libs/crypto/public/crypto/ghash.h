// GHASH (NIST SP 800-38D, section 6.4), constant-time.
//
// A GhashKey holds H (precomputed for the multiplier); the running value Y
// is four 32-bit words owned by the caller, so one key can serve many
// concurrent GCM operations.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_GHASH_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_GHASH_H_

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/backend.h"

namespace crypto {

class GhashKey {
 public:
  static constexpr std::size_t kBlockBytes = 16;
  // Y: the GHASH state as big-endian words, Y[0] = bytes 0..3.
  using State = std::uint32_t[4];

  GhashKey() = default;
  ~GhashKey() { Clear(); }
  GhashKey(const GhashKey&) = delete;
  GhashKey& operator=(const GhashKey&) = delete;

  // The span functions are an inline layer over pointer-based cores
  // (ghash.cc), as in aes.h: a call costs what the pointer call did.

  // Sets H up for `backend` (crypto/backend.h).
  void Set(std::span<const std::uint8_t, kBlockBytes> h,
           Backend backend = Backend::kAuto) {
    RawSet(h.data(), backend);
  }
  void Clear();

  // For each 16-byte block X of data: Y = (Y ^ X) * H. A final partial
  // block is zero-padded, as GCM pads both AAD and ciphertext. An empty
  // (null) span absorbs nothing.
  void Absorb(State y, std::span<const std::uint8_t> data) const {
    RawAbsorb(y, data.data(), data.size());
  }
  // Absorbs the closing block [len(A)]_64 || [len(C)]_64, lengths in bits.
  void AbsorbLengths(State y, std::uint64_t aad_bits,
                     std::uint64_t text_bits) const;
  // Y = Y * H.
  void MultiplyByH(State y) const;

  static void Load(State y, std::span<const std::uint8_t, kBlockBytes> in) {
    RawLoad(y, in.data());
  }
  static void Store(const State y, std::span<std::uint8_t, kBlockBytes> out) {
    RawStore(y, out.data());
  }

 private:
  // The pointer-based cores behind the span API.
  void RawSet(const std::uint8_t* h, Backend backend);
  void RawAbsorb(State y, const std::uint8_t* data, std::size_t len) const;
  static void RawLoad(State y, const std::uint8_t* in);
  static void RawStore(const State y, std::uint8_t* out);

  // H and the XOR combinations Karatsuba needs, each pre-split into its four
  // "holes" masks (ghash.cc): [operand][mask]. On the Cortex-R5F (Thumb-2
  // GHASH, no Advanced SIMD) the same nine operands of H^2 come first, for
  // the routine's two-block step (ghash_arm.S); elsewhere only H's.
#if defined(CRYPTO_BACKEND_R5F_THUMB2)  // crypto/backend.h
  static constexpr std::size_t kKeyOperands = 18;
#else
  static constexpr std::size_t kKeyOperands = 9;
#endif
  std::uint32_t h_[kKeyOperands][4] = {};
#if defined(__x86_64__)
  // x86-64 hosts: h_ holds PCLMULQDQ's H .. H^4, not the split operands.
  bool x86_pclmul_ = false;
#endif

 public:
  // Bytes of key material (the layout in crypto_layout.h depends on it).
  static constexpr std::size_t kKeyBytes = kKeyOperands * 4 * 4;
  // Bytes after the key material: the backend flag, on x86-64 hosts only.
#if defined(__x86_64__)
  static constexpr std::size_t kBackendBytes = 4;
#else
  static constexpr std::size_t kBackendBytes = 0;
#endif
};

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_GHASH_H_
