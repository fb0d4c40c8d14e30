// The C++ fixsliced core around the shared building blocks, written out as
// in aes.cc's host path (load, transpose, rounds, output transform) but
// without any backend dispatch: this is what the assembly is checked
// against.
#include "libs/crypto/aes_cxx_reference.h"

#include <cstring>

#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_fixslice.h"

namespace crypto::cxx_reference {
namespace {

constexpr std::size_t kRk = 8;  // words per bitsliced round key

std::uint32_t LoadLe32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    v = __builtin_bswap32(v);
  return v;
}

void StoreLe32(std::uint8_t* p, std::uint32_t v) {
  if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
    v = __builtin_bswap32(v);
  std::memcpy(p, &v, 4);
}

// q[2c + b] = word c of block b, transposed into bit planes.
void LoadPair(const std::uint8_t* in, std::uint32_t q[8]) {
  for (int c = 0; c < 4; ++c) {
    q[2 * c] = LoadLe32(in + 4 * c);
    q[2 * c + 1] = LoadLe32(in + 16 + 4 * c);
  }
  internal::Transpose(q);
}

// Rounds k .. Nr (k = 1 or 5, MixColumns m = 1), k_keys = key k; then the
// last round and SR^(Nr mod 4) into out.
void RoundsFrom(std::uint32_t q[8], const std::uint32_t* rk, unsigned rounds,
                const std::uint32_t* k_keys, std::uint8_t* out) {
  const std::uint32_t* const last = rk + rounds * kRk;
  internal::RoundsUpToLast(q, k_keys, last);
  internal::SubBytesWithoutConstant(q);
  internal::AddRoundKey(q, last);
  internal::Transpose(q);
  if (rounds % 4 == 2) {
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t t = (q[i] ^ q[i + 4]) & 0xff00ff00u;
      q[i] ^= t;
      q[i + 4] ^= t;
    }
  }
  for (int c = 0; c < 4; ++c) {
    StoreLe32(out + 4 * c, q[2 * c]);
    StoreLe32(out + 16 + 4 * c, q[2 * c + 1]);
  }
}

}  // namespace

void EncryptPair(const std::uint32_t* round_keys, unsigned rounds,
                 const std::uint8_t in[32], std::uint8_t out[32]) {
  std::uint32_t q[8];
  LoadPair(in, q);
  internal::AddRoundKey(q, round_keys);
  RoundsFrom(q, round_keys, rounds, round_keys + kRk, out);
}

void EncryptPairFromRound2Mix(const std::uint32_t* round_keys, unsigned rounds,
                              const std::uint8_t state[32],
                              std::uint8_t out[32]) {
  std::uint32_t q[8];
  LoadPair(state, q);
  internal::MixColumnsFixsliced<2>(q);
  internal::AddRoundKey(q, round_keys + 2 * kRk);
  internal::Round<3>(q, round_keys + 3 * kRk);
  internal::Round<0>(q, round_keys + 4 * kRk);
  RoundsFrom(q, round_keys, rounds, round_keys + 5 * kRk, out);
}

}  // namespace crypto::cxx_reference
