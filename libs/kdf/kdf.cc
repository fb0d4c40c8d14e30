#include "kdf/kdf.h"

#include <array>
#include <cstring>

#include "pool/secure_wipe.h"
#include "kdf/cmac.h"

namespace kdf {
namespace {

std::array<std::uint8_t, 4> BigEndian32(std::uint32_t value) {
  return {static_cast<std::uint8_t>(value >> 24),
          static_cast<std::uint8_t>(value >> 16),
          static_cast<std::uint8_t>(value >> 8),
          static_cast<std::uint8_t>(value)};
}

}  // namespace

KdfError DeriveKey(std::span<const std::uint8_t> key_in,
                   std::span<const std::uint8_t> label,
                   std::span<const std::uint8_t> context,
                   std::span<std::uint8_t> out) {
  if (out.empty()) return KdfError::kEmptyOutput;
  if (out.size() > kMaxDerivedBytes) {
    pool::SecureWipe(out.data(), out.size());
    return KdfError::kOutputTooLong;
  }
  AesCmac prf;
  if (prf.SetKey(key_in) != crypto::Status::kOk) {
    pool::SecureWipe(out.data(), out.size());
    return KdfError::kBadKey;
  }
  const auto length_bits = BigEndian32(static_cast<std::uint32_t>(out.size() * 8));
  const std::uint8_t separator[1] = {0x00};
  std::size_t written = 0;
  for (std::uint32_t i = 1; written < out.size(); ++i) {
    const auto counter = BigEndian32(i);
    const std::span<const std::uint8_t> pieces[] = {counter, label, separator,
                                                    context, length_bits};
    CmacTag block = prf.Compute(pieces);
    const std::size_t take = std::min(block.size(), out.size() - written);
    std::memcpy(out.data() + written, block.data(), take);
    written += take;
    pool::SecureWipe(block.data(), block.size());
  }
  return KdfError::kOk;
}

}  // namespace kdf
