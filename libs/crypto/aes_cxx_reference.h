// Test-only: the fixsliced C++ block-pair core (aes_bitslice.h,
// aes_fixslice.h) as plain functions of a bitsliced key schedule, in its
// own namespace and target (:cipher_cxx_reference), so that a test can
// compare the core Aes ships (the assembly on the boards) with the C++ one
// in the same image. The schedule is the one Aes::SetKey builds for a
// bitsliced backend (internal::AesCtrAccess::RoundKeys; on x86-64 hosts set
// the key up with Backend::kPortable).
#ifndef LIBS_CRYPTO_AES_CXX_REFERENCE_H_
#define LIBS_CRYPTO_AES_CXX_REFERENCE_H_

#include <cstddef>
#include <cstdint>

namespace crypto::cxx_reference {

// out = the block pair in, encrypted under round_keys (rounds 10, 12, 14).
void EncryptPair(const std::uint32_t* round_keys, unsigned rounds,
                 const std::uint8_t in[32], std::uint8_t out[32]);

// The core from round 2's MixColumns on, on state (the layout of
// crypto_aes_fixsliced_pair_from_round2_mix_arm, aes_pair_arm.h).
void EncryptPairFromRound2Mix(const std::uint32_t* round_keys, unsigned rounds,
                              const std::uint8_t state[32],
                              std::uint8_t out[32]);

}  // namespace crypto::cxx_reference

#endif  // LIBS_CRYPTO_AES_CXX_REFERENCE_H_
