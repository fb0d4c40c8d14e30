// The one run-time backend check of libs/crypto (internal): whether an
// x86-64 host's CPU has AES-NI, PCLMULQDQ, SSSE3 and SSE4.1 (CPUID, read
// once per process). Backend::kAuto keys use the hardware code where it
// does; Backend::kPortable keys never do (crypto/backend.h). Every other
// backend choice is the build's: on the boards (and on any non-x86-64
// host) there is no hardware code and this is the constant false.
#ifndef LIBS_CRYPTO_HW_DISPATCH_H_
#define LIBS_CRYPTO_HW_DISPATCH_H_

#include "crypto/backend.h"

namespace crypto::internal {

#if defined(__x86_64__)
#define CRYPTO_HAVE_X86_AESNI 1
// True when the CPU has AES-NI, PCLMULQDQ, SSSE3 and SSE4.1.
bool CpuHasX86AesNi();
// Whether a key set up for `backend` uses the AES-NI/PCLMULQDQ code.
inline bool UsesX86AesNi(Backend backend) {
  return backend == Backend::kAuto && CpuHasX86AesNi();
}
#else
constexpr bool CpuHasX86AesNi() { return false; }
constexpr bool UsesX86AesNi(Backend) { return false; }
#endif

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_HW_DISPATCH_H_
