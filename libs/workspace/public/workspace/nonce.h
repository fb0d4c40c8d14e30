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
// their counters never meet. The invocation counter is per key: every
// Next() returns a value never returned before under this sequence, and the
// sequence refuses to wrap. The all-ones counter value is never issued; it
// is the "spent" mark, so exhaustion is a state, not an overflow.
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

class NonceSequence {
 public:
  // The counter value that marks the sequence as spent; never issued.
  static constexpr std::uint64_t kSpent = ~std::uint64_t{0};

  constexpr NonceSequence() = default;

  // Starts a sequence for a new key. first_invocation lets a caller resume a
  // persisted counter; kSpent starts an already-exhausted sequence.
  void Reset(std::uint32_t fixed_field, std::uint64_t first_invocation) {
    fixed_field_ = fixed_field;
    next_ = first_invocation;
  }

  // Writes the next nonce and advances. Returns false, writing nothing, when
  // the sequence is spent.
  bool Next(Nonce& out);

  bool exhausted() const { return next_ == kSpent; }
  // Nonces still available.
  std::uint64_t remaining() const { return kSpent - next_; }
  std::uint64_t next_invocation() const { return next_; }
  std::uint32_t fixed_field() const { return fixed_field_; }

  // Splits a nonce back into its fields (for tests and for logs).
  static std::uint32_t FixedFieldOf(const Nonce& nonce);
  static std::uint64_t InvocationOf(const Nonce& nonce);

 private:
  std::uint32_t fixed_field_ = 0;
  std::uint64_t next_ = kSpent;  // a default sequence issues nothing
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_NONCE_H_
