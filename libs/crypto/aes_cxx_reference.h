// Test-only: the C++ Aes (aes.cc) compiled a second time into its own
// namespace, without the assembly dispatch, so that a test can compare the
// assembly block-pair core with the C++ one in the same image (see
// :cipher_cxx_reference in BUILD.bazel).
#ifndef LIBS_CRYPTO_AES_CXX_REFERENCE_H_
#define LIBS_CRYPTO_AES_CXX_REFERENCE_H_

#include <cstddef>
#include <cstdint>

// Expands key (16, 24 or 32 bytes) and encrypts the block pair in -> out with
// the C++ fixsliced core. Returns false for an invalid key length.
extern "C" bool crypto_cxx_reference_encrypt_pair(const std::uint8_t* key,
                                                  std::size_t key_bytes,
                                                  const std::uint8_t in[32],
                                                  std::uint8_t out[32]);

// Expands key and runs the C++ core from round 2's MixColumns on, on state
// (the layout of crypto_aes_fixsliced_pair_from_round2_mix_arm,
// aes_pair_arm.h).
extern "C" bool crypto_cxx_reference_encrypt_pair_from_round2_mix(
    const std::uint8_t* key, std::size_t key_bytes,
    const std::uint8_t state[32], std::uint8_t out[32]);

#endif  // LIBS_CRYPTO_AES_CXX_REFERENCE_H_
