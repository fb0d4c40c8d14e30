#include "workspace/nonce.h"

#include "base/byte_order.h"

namespace workspace {

// The fields are a big-endian u32 and u64.
static_assert(kFixedFieldBytes == 4 && kInvocationFieldBytes == 8);

bool NonceSequence::Next(Nonce& out) {
  if (exhausted()) return false;
  base::StoreBe32(out.data(), fixed_field_);
  base::StoreBe64(out.data() + kFixedFieldBytes, next_);
  ++next_;  // cannot wrap: next_ < kSpent here
  return true;
}

std::uint32_t NonceSequence::FixedFieldOf(const Nonce& nonce) {
  return base::LoadBe32(nonce.data());
}

std::uint64_t NonceSequence::InvocationOf(const Nonce& nonce) {
  return base::LoadBe64(nonce.data() + kFixedFieldBytes);
}

}  // namespace workspace
