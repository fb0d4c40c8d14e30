#include "libs/crypto/hw_dispatch.h"

namespace crypto::internal {

#if defined(CRYPTO_HAVE_X86_AESNI)
namespace {

bool Detect() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul") &&
         __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1");
}

}  // namespace

bool CpuHasX86AesNi() {
  // Thread-safe one-time initialisation (C++11 static): the CPU does not
  // change while the process runs.
  static const bool has = Detect();
  return has;
}
#endif

}  // namespace crypto::internal
