// One fixsliced AES round (SubBytes, MixColumns with the ShiftRows drift,
// AddRoundKey) on eight slice words, for any slice word type W of
// aes_slice_word.h: the scalar block pair (W = std::uint32_t) and the NEON
// kernel of four pairs (W = uint32x4_t) run this same source. Internal to
// libs/crypto. Constant-time: fixed logic, shifts and rotations, no branch
// or index that depends on the state or the key.
#ifndef LIBS_CRYPTO_AES_FIXSLICE_H_
#define LIBS_CRYPTO_AES_FIXSLICE_H_

#include <cstddef>
#include <cstdint>

#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_slice_word.h"

namespace crypto::internal {

// R_j of the fixsliced MixColumns (see MixColumnsFixsliced): row r + j
// (rotate the word by 8j) and column d + j*m (rotate each lane by 2jm).
template <int j, int m, typename W>
[[gnu::always_inline]] inline W R(W x) {
  const W rows = RotateRight<8 * j>(x);
  constexpr int bits = (2 * j * m) % 8;
  if constexpr (bits == 0) {
    return rows;
  } else {
    return RotateBytesRight<bits>(rows);
  }
}

// Fixslicing (Adomnicai & Peyrin, TCHES 2021), derived for this layout.
// ShiftRows is never applied to the state. If the stored state X holds the
// true state Z with a drift i, X = SR^-i(Z), then Z[r][c] = X[r][c + i*r],
// and the true MixColumns(ShiftRows(Z)), stored with drift i + 1, is
//   Y[r][d] = 2 X[r][d] ^ 3 X[r+1][d+m] ^ X[r+2][d+2m] ^ X[r+3][d+3m],
// m = i + 1 (mod 4): rows come from whole-word rotations (R_j above), the
// column offset j*m from a rotation inside every byte lane, which is free
// for m = 0, one nibble swap for m = 2 and two lane rotations for m = 1, 3
// (on average cheaper than the per-lane ShiftRows it replaces). The round
// keys are stored with the drift the state has when they are added (see
// Aes::SetKey), and the output transform undoes what is left
// (SR^(Nr mod 4)). As before, 2*(X ^ R1 X) ^ R1 X ^ R2 (X ^ R1 X) =
// 2X ^ 3 R1X ^ R2X ^ R3X, using R2 R1 = R3. xtime on bit planes: bit j takes
// bit j-1, and bit 7 folds back into bits 0, 1, 3 and 4
// (x^8 = x^4 + x^3 + x + 1).
template <int m, typename W>
[[gnu::always_inline]] inline void MixColumnsFixsliced(W q[8]) {
  W r[8];
  W t[8];
  // Unrolled so that r and t live in registers: GCC 12 -O2 keeps this loop
  // (and AddRoundKey's) rolled, through arrays on the stack, which cost 22%
  // of a scalar round.
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) {
    r[j] = R<1, m>(q[j]);
    t[j] = q[j] ^ r[j];
  }
  q[0] = t[7] ^ r[0] ^ R<2, m>(t[0]);
  q[1] = t[0] ^ t[7] ^ r[1] ^ R<2, m>(t[1]);
  q[2] = t[1] ^ r[2] ^ R<2, m>(t[2]);
  q[3] = t[2] ^ t[7] ^ r[3] ^ R<2, m>(t[3]);
  q[4] = t[3] ^ t[7] ^ r[4] ^ R<2, m>(t[4]);
  q[5] = t[4] ^ r[5] ^ R<2, m>(t[5]);
  q[6] = t[5] ^ r[6] ^ R<2, m>(t[6]);
  q[7] = t[6] ^ r[7] ^ R<2, m>(t[7]);
}

// k: one bitsliced round key (Aes::kRoundKeyWords words), the same for every
// block pair.
template <typename W>
[[gnu::always_inline]] inline void AddRoundKey(W q[8], const std::uint32_t* k) {
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) q[j] ^= LoadKeyWord<W>(k + j);
}

// One full round whose MixColumns has column step m (round number mod 4).
// Out of line: the four variants are called from one loop, which keeps the
// code small and gives each variant all registers.
template <int m, typename W>
[[gnu::noinline]] void Round(W q[8], const std::uint32_t* k) {
  SubBytesInline(q);
  MixColumnsFixsliced<m>(q);
  AddRoundKey(q, k);
}

// Rounds k .. Nr-1, where round i uses the MixColumns variant m = i mod 4:
// `keys` is the round key of a round with m = 1 (round 1 or 5) and `last`
// the final round key (round Nr = 10, 12 or 14). Nr - 1 = 9, 11, 13, so one
// or three rounds follow the whole groups of four. The branches depend on
// the key size only.
template <typename W>
[[gnu::always_inline]] inline void RoundsUpToLast(W q[8],
                                                  const std::uint32_t* keys,
                                                  const std::uint32_t* last) {
  constexpr std::ptrdiff_t kWords = 8;  // one bitsliced round key
  while (last - keys >= 4 * kWords) {
    Round<1>(q, keys);
    Round<2>(q, keys + kWords);
    Round<3>(q, keys + 2 * kWords);
    Round<0>(q, keys + 3 * kWords);
    keys += 4 * kWords;
  }
  Round<1>(q, keys);
  keys += kWords;
  if (keys != last) {
    Round<2>(q, keys);
    Round<3>(q, keys + kWords);
  }
}

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_AES_FIXSLICE_H_
