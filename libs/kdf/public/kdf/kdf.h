// Key derivation in counter mode with AES-CMAC as the PRF
// (NIST SP 800-108r1, section 4.1).
//
// For i = 1, 2, ...: K(i) = CMAC(K_in, [i]_32 || Label || 0x00 || Context ||
// [L]_32), the output being the first L bits of K(1) || K(2) || ...; the
// counter and L are 32-bit big-endian. This is the layout OpenSSL's KBKDF
// uses by default (checked by the differential test).
#ifndef LIBS_KDF_PUBLIC_KDF_KDF_H_
#define LIBS_KDF_PUBLIC_KDF_KDF_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"

namespace kdf {

// Largest output: 255 PRF blocks is far beyond any key this firmware uses;
// the limit keeps the counter one byte in practice and the work bounded.
inline constexpr std::size_t kMaxDerivedBytes = 255 * 16;

// The KDF's own refusals (domain "kdf"); success is base::OkStatus().
enum class Code : std::uint8_t {
  kBadKey = 1,     // K_in not a 16/24/32-byte AES key
  kOutputTooLong,  // more than kMaxDerivedBytes
  kEmptyOutput,    // zero bytes requested
};

constexpr base::Domain StatusDomain(Code) { return base::Domain::kKdf; }

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kBadKey:
      return "kdf.bad_key";
    case Code::kOutputTooLong:
      return "kdf.output_too_long";
    case Code::kEmptyOutput:
      return "kdf.empty_output";
  }
  return "";
}

// Fills `out` with key material derived from `key_in`, `label` and
// `context`. On error `out` is zeroed.
base::Status DeriveKey(std::span<const std::uint8_t> key_in,
                       std::span<const std::uint8_t> label,
                       std::span<const std::uint8_t> context,
                       std::span<std::uint8_t> out);

}  // namespace kdf

#endif  // LIBS_KDF_PUBLIC_KDF_KDF_H_
