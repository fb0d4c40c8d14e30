#include "workspace/nonce.h"

#include "base/byte_order.h"

namespace workspace {

// The fields are a big-endian u32 and u64.
static_assert(kFixedFieldBytes == 4 && kInvocationFieldBytes == 8);

std::uint32_t FixedFieldOf(const Nonce& nonce) {
  return base::LoadBe32(nonce.data());
}

std::uint64_t InvocationOf(const Nonce& nonce) {
  return base::LoadBe64(nonce.data() + kFixedFieldBytes);
}

}  // namespace workspace
