// Deterministic GCM nonces (NIST SP 800-38D, section 8.2.1).
//
// A nonce is 12 bytes: a 4-byte fixed field followed by an 8-byte
// invocation field, both big-endian:
//
//   | fixed field (device / direction identity) | invocation counter  |
//   |               4 bytes                     |       8 bytes       |
//
// The fixed field names the encrypting context: two parties sharing a key
// must use different fixed fields (e.g. device id with a direction bit), so
// their counters never meet. The invocation counter is per key and owned by
// the key slot (a crypto::CryptoContext, internal/records.h): every seal
// uses a value never used before under that key, and the counter refuses to
// wrap. WorkspaceCore::SealInPlace takes the value from its caller and the
// slot refuses any not above the last one used. The all-ones value is never
// issued; it is the "spent" mark, so exhaustion is a state, not an overflow.
//
// Uniqueness therefore holds as long as a key is never loaded twice with
// the same fixed field and an overlapping counter range. Within one
// workspace that is guaranteed (a reload restarts nothing it has not wiped,
// and provisioning a *fresh* key is the caller's contract); across power
// cycles the caller either provisions fresh keys or persists the counter
// and passes it back as first_invocation.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_NONCE_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_NONCE_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace workspace {

inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kFixedFieldBytes = 4;
inline constexpr std::size_t kInvocationFieldBytes = 8;
static_assert(kFixedFieldBytes + kInvocationFieldBytes == kNonceBytes);

using Nonce = std::array<std::uint8_t, kNonceBytes>;

// The invocation counter value that marks a key's nonces as spent; never
// issued (the key slot's crypto::CryptoContext refuses to seal with it).
inline constexpr std::uint64_t kSpentInvocation = ~std::uint64_t{0};

// Splits a nonce back into its fields (for tests and for logs).
std::uint32_t FixedFieldOf(const Nonce& nonce);
std::uint64_t InvocationOf(const Nonce& nonce);

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_NONCE_H_
