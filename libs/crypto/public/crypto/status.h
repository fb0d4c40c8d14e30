// The refusals of libs/crypto, as base::Status codes (domain "crypto").
// Every rejected input has its own code, so a caller (and a test) can tell
// exactly which rule an input broke. Success is base::OkStatus().
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace crypto {

enum class Code : std::uint8_t {
  kInvalidKeyLength = 1,  // AES key not 16, 24 or 32 bytes
  kInvalidIvLength,       // GCM IV of 0 bytes or more than 2^61 - 1 bytes
  kInvalidTagLength,      // tag length not in {12, 13, 14, 15, 16} bytes
  kMessageTooLong,        // GCM plaintext over 2^36 - 32 bytes
  kAadTooLong,            // GCM AAD over 2^61 - 1 bytes
  kNullBuffer,            // null output span where bytes must be written
  kOverlappingBuffers,    // output overlaps input without being in place
  kNonContiguousOutput,   // streaming decrypt output not one running buffer
  kBadState,              // streaming call out of order / no key set
  kAuthenticationFailed,  // tag mismatch: output wiped
  kNonceExhausted,        // CryptoContext ran out of invocation counters
  kOutputTooShort,        // output span (not null) shorter than the text
  kNonceReused,           // CryptoContext::SealAt below the next unused counter
};

// The last code, for tests that walk all of them.
inline constexpr Code kLastCode = Code::kNonceReused;

constexpr base::Domain StatusDomain(Code) { return base::Domain::kCrypto; }

constexpr std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInvalidKeyLength:
      return "crypto.invalid_key_length";
    case Code::kInvalidIvLength:
      return "crypto.invalid_iv_length";
    case Code::kInvalidTagLength:
      return "crypto.invalid_tag_length";
    case Code::kMessageTooLong:
      return "crypto.message_too_long";
    case Code::kAadTooLong:
      return "crypto.aad_too_long";
    case Code::kNullBuffer:
      return "crypto.null_buffer";
    case Code::kOverlappingBuffers:
      return "crypto.overlapping_buffers";
    case Code::kNonContiguousOutput:
      return "crypto.non_contiguous_output";
    case Code::kBadState:
      return "crypto.bad_state";
    case Code::kAuthenticationFailed:
      return "crypto.authentication_failed";
    case Code::kNonceExhausted:
      return "crypto.nonce_exhausted";
    case Code::kOutputTooShort:
      return "crypto.output_too_short";
    case Code::kNonceReused:
      return "crypto.nonce_reused";
  }
  return "";
}

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_
