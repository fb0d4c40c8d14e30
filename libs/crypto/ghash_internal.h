// GHASH internals shared by ghash.cc and its tests: the portable C++
// multiplier (the host path and the reference) and, on the Cortex-R boards,
// the Thumb-2 block routine (ghash_arm.S) with its key layout.
#ifndef LIBS_CRYPTO_GHASH_INTERNAL_H_
#define LIBS_CRYPTO_GHASH_INTERNAL_H_

#include <cstddef>
#include <cstdint>

// The assembly is built for the bare-metal boards (BUILD.bazel selects
// ghash_arm.S on //platforms:bare_metal); both are R-profile AArch32 cores
// with Thumb-2.
#if defined(__arm__) && defined(__ARM_ARCH_PROFILE) &&            \
    __ARM_ARCH_PROFILE == 'R' && defined(__ARM_ARCH_ISA_THUMB) && \
    __ARM_ARCH_ISA_THUMB >= 2
#define CRYPTO_GHASH_ARM_ASM 1
#else
#define CRYPTO_GHASH_ARM_ASM 0
#endif

// Cores with Advanced SIMD (Cortex-R52) use the VMULL.P8 routine in
// ghash_neon.S instead; the Thumb-2 routine stays built (and tested).
#if CRYPTO_GHASH_ARM_ASM && defined(CRYPTO_BACKEND_R52_NEON)
#define CRYPTO_GHASH_NEON 1
#else
#define CRYPTO_GHASH_NEON 0
#endif

namespace crypto::internal {

// Key material for the multipliers: nine Karatsuba operands of a 128-bit
// value, each split into its four "holes" parts ([operand][mask]).
using GhashSplitKey = std::uint32_t[9][4];

// Portable layout: the operands of H itself.
void GhashPortableKey(const std::uint8_t h[16], GhashSplitKey out);
// Y = Y * H with a key from GhashPortableKey; y as GhashKey::State
// (big-endian words). Constant-time (ghash.cc).
void GhashPortableMultiply(const GhashSplitKey key, std::uint32_t y[4]);

#if CRYPTO_GHASH_ARM_ASM
// Assembly layout: the nine operands of H^2 * x^-1, then those of H * x^-1
// (ghash.cc explains the x^-1; H^2 serves the two-block step), each nine
// in the routine's order: entry i is entry kGhashArmOperandOrder[i] of a
// GhashPortableKey (W0, W0^W1, W2^W3, W0^W2, W1, W3, W2, W1^W3,
// W0^W1^W2^W3: the order of its operand slots, see ghash_arm.S).
inline constexpr int kGhashArmOperandOrder[9] = {0, 4, 5, 6, 1, 3, 2, 7, 8};
using GhashArmSplitKey = std::uint32_t[18][4];
void GhashArmKey(const std::uint8_t h[16], GhashArmSplitKey out);
#endif

#if CRYPTO_GHASH_NEON
// NEON layout: H * x^-1 as little-endian 64-bit words low, high, low ^ high
// (six 32-bit words, least significant first).
void GhashNeonKey(const std::uint8_t h[16], std::uint32_t out[6]);
#endif

}  // namespace crypto::internal

#if CRYPTO_GHASH_ARM_ASM
// ghash_arm.S: for each of `blocks` 16-byte blocks X at data (any
// alignment): y = (y ^ X) * H, key from GhashArmKey (72 words). blocks may
// be 0.
extern "C" void crypto_ghash_arm_absorb(std::uint32_t y[4],
                                        const std::uint8_t* data,
                                        std::size_t blocks,
                                        const std::uint32_t key[72]);
#endif

#if CRYPTO_GHASH_NEON
// ghash_neon.S: as crypto_ghash_arm_absorb, key from GhashNeonKey.
extern "C" void crypto_ghash_neon_absorb(std::uint32_t y[4],
                                         const std::uint8_t* data,
                                         std::size_t blocks,
                                         const std::uint32_t key[6]);
#endif

#endif  // LIBS_CRYPTO_GHASH_INTERNAL_H_
