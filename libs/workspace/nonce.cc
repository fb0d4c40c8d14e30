#include "workspace/nonce.h"

namespace workspace {

bool NonceSequence::Next(Nonce& out) {
  if (exhausted()) return false;
  for (std::size_t i = 0; i < kFixedFieldBytes; ++i) {
    out[i] = static_cast<std::uint8_t>(fixed_field_ >> (8 * (kFixedFieldBytes - 1 - i)));
  }
  for (std::size_t i = 0; i < kInvocationFieldBytes; ++i) {
    out[kFixedFieldBytes + i] =
        static_cast<std::uint8_t>(next_ >> (8 * (kInvocationFieldBytes - 1 - i)));
  }
  ++next_;  // cannot wrap: next_ < kSpent here
  return true;
}

std::uint32_t NonceSequence::FixedFieldOf(const Nonce& nonce) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < kFixedFieldBytes; ++i) value = (value << 8) | nonce[i];
  return value;
}

std::uint64_t NonceSequence::InvocationOf(const Nonce& nonce) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < kInvocationFieldBytes; ++i) {
    value = (value << 8) | nonce[kFixedFieldBytes + i];
  }
  return value;
}

}  // namespace workspace
