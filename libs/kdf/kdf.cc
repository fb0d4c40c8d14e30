#include "kdf/kdf.h"

#include <array>
#include <cstring>

#include "base/byte_order.h"
#include "base/secure_wipe.h"
#include "kdf/cmac.h"

namespace kdf {
base::Status DeriveKey(std::span<const std::uint8_t> key_in,
                       std::span<const std::uint8_t> label,
                       std::span<const std::uint8_t> context,
                       std::span<std::uint8_t> out) {
  if (out.empty()) return Code::kEmptyOutput;
  if (out.size() > kMaxDerivedBytes) {
    base::SecureWipe(out.data(), out.size());
    return Code::kOutputTooLong;
  }
  AesCmac prf;
  if (!prf.SetKey(key_in).ok()) {
    base::SecureWipe(out.data(), out.size());
    return Code::kBadKey;
  }
  const auto length_bits =
      base::Be32Bytes(static_cast<std::uint32_t>(out.size() * 8));
  const std::uint8_t separator[1] = {0x00};
  std::size_t written = 0;
  for (std::uint32_t i = 1; written < out.size(); ++i) {
    const auto counter = base::Be32Bytes(i);
    const std::span<const std::uint8_t> pieces[] = {counter, label, separator,
                                                    context, length_bits};
    CmacTag block = prf.Compute(pieces);
    const std::size_t take = std::min(block.size(), out.size() - written);
    std::memcpy(out.data() + written, block.data(), take);
    written += take;
    base::SecureWipe(block.data(), block.size());
  }
  return base::OkStatus();
}

}  // namespace kdf
