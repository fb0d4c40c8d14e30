// Error codes of libs/crypto. Every rejected input has its own name, so a
// caller (and a test) can tell exactly which rule an input broke.
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_

namespace crypto {

enum class Status {
  kOk = 0,
  kInvalidKeyLength,       // AES key not 16, 24 or 32 bytes
  kInvalidIvLength,        // GCM IV of 0 bytes or more than 2^61 - 1 bytes
  kInvalidTagLength,       // tag length not in {12, 13, 14, 15, 16} bytes
  kMessageTooLong,         // GCM plaintext over 2^36 - 32 bytes
  kAadTooLong,             // GCM AAD over 2^61 - 1 bytes
  kNullBuffer,             // null pointer with a non-zero length
  kOverlappingBuffers,     // output overlaps input without being in place
  kNonContiguousOutput,    // streaming decrypt output not one running buffer
  kBadState,               // streaming call out of order / no key set
  kAuthenticationFailed,   // tag mismatch: output wiped
  kNonceExhausted,         // CryptoContext ran out of invocation counters
};

// A short constant name for logs and test messages.
const char* StatusName(Status status);

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_STATUS_H_
