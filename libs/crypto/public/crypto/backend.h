// Which implementation of AES and GHASH a key is set up for.
//
// Backends are explicit, never switched by the environment:
//  * On the boards the build fixes the backend (BUILD.bazel selects it from
//    the platform's CPU constraint): the Cortex-R52 runs the NEON AES kernel
//    and the NEON GHASH, the Cortex-R5F the Thumb-2 AES pair core with the
//    counter-mode cache and the Thumb-2 GHASH with H^2. There is nothing to
//    choose at run time, and both values below mean that backend.
//  * On x86-64 hosts the CPU may or may not have AES-NI and PCLMULQDQ, so
//    kAuto makes the one run-time check, CPUID (hw_dispatch.cc), when the
//    key is set up; kPortable takes the portable fixsliced AES and the
//    constant-time C++ multiplier (what the boards' code is checked against)
//    whatever the CPU has.
//
// The choice is made per key, by whoever sets the key up (Aes::SetKey,
// GhashKey::Set, AesGcm::SetKey, CryptoContext::Configure), and is kept with
// the key: a key schedule laid out for one backend is only ever used by it.
// Tests that want the portable path on an AES-NI host pass kPortable.
//
// The build's choice is one macro, defined by :backend (BUILD.bazel) through
// select() on the platform's CPU constraint (//platforms:cortex_r52,
// //platforms:cortex_r5f) and seen by every user of the library, so that
// headers whose layout depends on it (ghash.h) agree everywhere:
//   CRYPTO_BACKEND_R52_NEON    Cortex-R52: NEON AES and GHASH
//   CRYPTO_BACKEND_R5F_THUMB2  Cortex-R5F: Thumb-2 GHASH with H^2, CTR cache
//   neither                    host: portable, plus AES-NI on x86-64
// (the assembly AES pair core of both boards is CRYPTO_AES_PAIR_ASM, chosen
// by select() on //platforms:bare_metal).
#ifndef LIBS_CRYPTO_PUBLIC_CRYPTO_BACKEND_H_
#define LIBS_CRYPTO_PUBLIC_CRYPTO_BACKEND_H_

#include <cstdint>

// The build's choice must match the code generator's target.
#if defined(CRYPTO_BACKEND_R52_NEON) && !defined(__ARM_NEON)
#error "Cortex-R52 backend selected without NEON (-mfpu=neon-fp-armv8)"
#endif
#if defined(CRYPTO_BACKEND_R52_NEON) && defined(CRYPTO_BACKEND_R5F_THUMB2)
#error "two board backends selected"
#endif
#if defined(__arm__) && defined(__ARM_ARCH_PROFILE) &&                \
    __ARM_ARCH_PROFILE == 'R' && !defined(CRYPTO_BACKEND_R52_NEON) && \
    !defined(CRYPTO_BACKEND_R5F_THUMB2)
#error "Cortex-R build without a board backend: see :backend in BUILD.bazel"
#endif

namespace crypto {

enum class Backend : std::uint8_t {
  kAuto = 0,      // the build's backend; on x86-64, AES-NI where CPUID has it
  kPortable = 1,  // the portable code (on the boards: the build's backend)
};

}  // namespace crypto

#endif  // LIBS_CRYPTO_PUBLIC_CRYPTO_BACKEND_H_
