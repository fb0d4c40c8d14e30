#include "crypto/secure_wipe.h"

#include <cstring>

namespace crypto {

void SecureWipe(void* p, std::size_t n) {
  if (n == 0) return;
  std::memset(p, 0, n);
  // The empty asm takes p as an input and clobbers memory: the compiler
  // must assume the zeroed bytes are read afterwards, so dead-store
  // elimination (even under LTO, which can see that the caller's object is
  // about to be destroyed) cannot drop the memset.
  asm volatile("" : : "r"(p) : "memory");
}

}  // namespace crypto
