#include "libs/crypto/hw_dispatch.h"

#if defined(CRYPTO_HAVE_X86_AESNI)
#include <cstdlib>
#endif

namespace crypto::internal {

#if defined(CRYPTO_HAVE_X86_AESNI)
namespace {

bool Detect() {
  const char* force = std::getenv("CRYPTO_FORCE_PORTABLE");
  if (force != nullptr && force[0] == '1') return false;
  __builtin_cpu_init();
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul") &&
         __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1");
}

}  // namespace

bool UseX86AesNi() {
  // Thread-safe one-time initialisation (C++11 static): the value is fixed
  // before any key schedule can be built.
  static const bool use = Detect();
  return use;
}
#endif

}  // namespace crypto::internal
