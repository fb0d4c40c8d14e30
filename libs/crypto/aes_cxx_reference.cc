// Compiled with crypto=crypto_cxx_reference (BUILD.bazel), together with
// aes.cc and its helpers: `crypto::Aes` below is the renamed C++ copy.
#include "libs/crypto/aes_cxx_reference.h"

#include "crypto/aes.h"
#include "libs/crypto/aes_ctr.h"

extern "C" bool crypto_cxx_reference_encrypt_pair(const std::uint8_t* key,
                                                  std::size_t key_bytes,
                                                  const std::uint8_t in[32],
                                                  std::uint8_t out[32]) {
  crypto::Aes aes;
  if (aes.SetKey(key, key_bytes) != base::OkStatus()) return false;
  aes.EncryptBlockPair(in, out);
  return true;
}

extern "C" bool crypto_cxx_reference_encrypt_pair_from_round2_mix(
    const std::uint8_t* key, std::size_t key_bytes,
    const std::uint8_t state[32], std::uint8_t out[32]) {
  crypto::Aes aes;
  if (aes.SetKey(key, key_bytes) != base::OkStatus()) return false;
  crypto::internal::AesCtrAccess::FromRound2MixColumns(aes, state, out);
  return true;
}
