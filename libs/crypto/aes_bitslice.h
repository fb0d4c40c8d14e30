// The bitsliced AES core shared by the cipher and its tests.
//
// Representation: two 16-byte blocks are eight words q[0..7]; bit j of the
// byte in row r, column c of block b lives in q[j] at bit position
// 8*r + 2*c + b. So each byte lane of a word is one row of both states, and
// the operations of a round become word-wide logic:
//   SubBytes    a Boolean circuit applied to the eight words in parallel;
//   ShiftRows   a rotation of each byte lane by 2*r bits;
//   MixColumns  rotations of whole words by 8 and 16 bits plus XORs.
#ifndef LIBS_CRYPTO_AES_BITSLICE_H_
#define LIBS_CRYPTO_AES_BITSLICE_H_

#include <cstdint>

namespace crypto::internal {

// Converts between two blocks loaded as little-endian words,
// q = {b0.w0, b1.w0, b0.w1, b1.w1, b0.w2, b1.w2, b0.w3, b1.w3}, and the
// bitsliced form. An 8x8 bit-matrix transpose in every byte lane, hence its
// own inverse.
void Transpose(std::uint32_t q[8]);

// The AES S-box on all 32 bytes, without the final XOR with 0x63 (callers
// fold that constant into round keys, or add it with AddSboxConstant).
void SubBytesWithoutConstant(std::uint32_t q[8]);

// XORs 0x63 into every byte: bits 0, 1, 5 and 6 of each byte.
inline void AddSboxConstant(std::uint32_t q[8]) {
  q[0] = ~q[0];
  q[1] = ~q[1];
  q[5] = ~q[5];
  q[6] = ~q[6];
}

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_AES_BITSLICE_H_
