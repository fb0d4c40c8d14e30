// Run-time choice between the portable constant-time code and the x86-64
// AES-NI/PCLMULQDQ code (internal to libs/crypto).
//
// The choice is made once per process, before the first key is expanded,
// and never changes: a key schedule laid out for one path is only ever used
// by that path. On the boards (and on any non-x86-64 host) it is the
// constant false, so the hardware code is not even compiled.
//
// Setting the environment variable CRYPTO_FORCE_PORTABLE=1 selects the
// portable path on an AES-NI host; the tests use it to run every known-answer,
// Wycheproof, differential and constant-time check on both paths.
#ifndef LIBS_CRYPTO_HW_DISPATCH_H_
#define LIBS_CRYPTO_HW_DISPATCH_H_

namespace crypto::internal {

#if defined(__x86_64__)
#define CRYPTO_HAVE_X86_AESNI 1
// True when the CPU has AES-NI, PCLMULQDQ, SSSE3 and SSE4.1 and the portable
// path is not forced.
bool UseX86AesNi();
#else
constexpr bool UseX86AesNi() { return false; }
#endif

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_HW_DISPATCH_H_
