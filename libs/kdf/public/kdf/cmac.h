// AES-CMAC (NIST SP 800-38B, RFC 4493): a MAC built from the block cipher
// alone, which is why the node's key derivation uses it: the firmware
// already carries a constant-time AES and nothing else.
//
// Constant-time: the subkey derivation's conditional XOR with R_128 is done
// with a mask, and the message is processed with no secret-dependent branch
// or index (the only branches depend on the public message length).
#ifndef LIBS_KDF_PUBLIC_KDF_CMAC_H_
#define LIBS_KDF_PUBLIC_KDF_CMAC_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/status.h"
#include "crypto/aes.h"

namespace kdf {

inline constexpr std::size_t kCmacBytes = 16;
using CmacTag = std::array<std::uint8_t, kCmacBytes>;

class AesCmac {
 public:
  AesCmac() = default;
  ~AesCmac() { Clear(); }
  AesCmac(const AesCmac&) = delete;
  AesCmac& operator=(const AesCmac&) = delete;

  // 16-, 24- or 32-byte AES key; derives the subkeys K1 and K2. Any other
  // size (an empty or null span included) is crypto::Code::kInvalidKeyLength.
  base::Status SetKey(std::span<const std::uint8_t> key);
  // Wipes the key schedule and subkeys.
  void Clear();

  // The full 16-byte CMAC of `message` (the key must be set).
  CmacTag Compute(std::span<const std::uint8_t> message) const;

  // CMAC over the concatenation of several pieces, without copying them
  // together (the KDF's input is counter || label || 0 || context || L).
  CmacTag Compute(std::span<const std::span<const std::uint8_t>> pieces) const;

 private:
  crypto::Aes aes_;
  std::array<std::uint8_t, 16> k1_{};
  std::array<std::uint8_t, 16> k2_{};
};

}  // namespace kdf

#endif  // LIBS_KDF_PUBLIC_KDF_CMAC_H_
