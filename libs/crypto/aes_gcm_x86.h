// AES and GHASH with the x86-64 AES-NI and PCLMULQDQ instructions (internal
// to libs/crypto; used only by keys whose backend takes it, see hw_dispatch.h).
//
// Why this is constant-time: AESENC/AESENCLAST perform a whole AES round in
// the execution unit, with no table in memory and a latency that does not
// depend on the data; PCLMULQDQ is a fixed-latency carry-less multiply. The
// code around them has no branch and no address that depends on keys or
// data (only on lengths), exactly like the portable path.
#ifndef LIBS_CRYPTO_AES_GCM_X86_H_
#define LIBS_CRYPTO_AES_GCM_X86_H_

#include <cstddef>
#include <cstdint>

#include "libs/crypto/hw_dispatch.h"

#if defined(CRYPTO_HAVE_X86_AESNI)

namespace crypto::internal::x86 {

// Words of storage the hardware path needs inside Aes and GhashKey.
inline constexpr std::size_t kGhashWords = 16;  // H, H^2, H^3, H^4

// rk: the FIPS-197 expanded key, 4 * (rounds + 1) little-endian words (the
// byte order AESENC expects). Encrypts `blocks` independent blocks.
void EncryptBlocks(const std::uint32_t* rk, unsigned rounds,
                   const std::uint8_t* in, std::uint8_t* out,
                   std::size_t blocks);

// h: H as bytes; table: kGhashWords words receiving H, H^2, H^3, H^4.
void GhashSet(const std::uint8_t h[16], std::uint32_t* table);
// y = (y ^ X) * H for each 16-byte block X of data (len a multiple of 16);
// four blocks at a time with one reduction.
void GhashAbsorb(const std::uint32_t* table, std::uint32_t y[4],
                 const std::uint8_t* data, std::size_t len);
// y = y * H.
void GhashMultiply(const std::uint32_t* table, std::uint32_t y[4]);

}  // namespace crypto::internal::x86

#endif  // CRYPTO_HAVE_X86_AESNI

#endif  // LIBS_CRYPTO_AES_GCM_X86_H_
