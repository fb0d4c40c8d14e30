// AES on eight blocks at once with NEON (Cortex-R52; internal to
// libs/crypto, used by Aes::EncryptBlocks). Compiled only for the
// Cortex-R52 backend (CRYPTO_BACKEND_R52_NEON, crypto/backend.h).
//
// Each 128-bit register holds the same slice word of four independent block
// pairs, one pair per 32-bit lane, so the fixsliced core (aes_fixslice.h,
// instantiated with uint32x4_t) runs four pairs for roughly the instruction
// count of one. Constant-time: the NEON logic, shift-by-immediate, insert,
// permute and load/store instructions used have data-independent timing on
// the Cortex-R52 (as the scalar logic ops do; check again before reusing this
// on another core), and there is no branch or address that depends on keys
// or data, only on the group count and the key size.
#ifndef LIBS_CRYPTO_AES_NEON_H_
#define LIBS_CRYPTO_AES_NEON_H_

#include <cstddef>
#include <cstdint>

#if defined(CRYPTO_BACKEND_R52_NEON)

namespace crypto::internal {

// Blocks per NEON group: four pairs.
inline constexpr std::size_t kNeonGroupBlocks = 8;
// Words per round key in the schedule the kernel reads (crypto::Aes's
// kRoundKeyWords; aes.cc checks they agree).
inline constexpr std::size_t kNeonRoundKeyWords = 8;

// Encrypts `groups` runs of kNeonGroupBlocks blocks from in to out (in ==
// out allowed; no alignment needed). rk is the bitsliced schedule of
// crypto::Aes (kRoundKeyWords words per round, rounds + 1 keys); rounds is
// 10, 12 or 14. The state is wiped from the stack before returning.
void EncryptBlockGroupsNeon(const std::uint32_t* rk, unsigned rounds,
                            const std::uint8_t* in, std::uint8_t* out,
                            std::size_t groups);

}  // namespace crypto::internal

#endif  // CRYPTO_BACKEND_R52_NEON

#endif  // LIBS_CRYPTO_AES_NEON_H_
