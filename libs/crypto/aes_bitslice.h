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

// The circuit itself, inline so that a round can keep its outputs in
// registers for MixColumns. Straight-line code: no branches, no lookups.
[[gnu::always_inline]] inline void SubBytesInline(std::uint32_t q[8]) {
  // Circuit inputs are numbered from the most significant bit.
  const std::uint32_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
  const std::uint32_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];

  // Top linear layer: maps the byte into the tower-field basis.
  const std::uint32_t y14 = u3 ^ u5;
  const std::uint32_t y13 = u0 ^ u6;
  const std::uint32_t y9 = u0 ^ u3;
  const std::uint32_t y8 = u0 ^ u5;
  const std::uint32_t a0 = u1 ^ u2;
  const std::uint32_t y1 = a0 ^ u7;
  const std::uint32_t y4 = y1 ^ u3;
  const std::uint32_t y12 = y13 ^ y14;
  const std::uint32_t y2 = y1 ^ u0;
  const std::uint32_t y5 = y1 ^ u6;
  const std::uint32_t y3 = y5 ^ y8;
  const std::uint32_t a1 = u4 ^ y12;
  const std::uint32_t y15 = a1 ^ u5;
  const std::uint32_t y20 = a1 ^ u1;
  const std::uint32_t y6 = y15 ^ u7;
  const std::uint32_t y10 = y15 ^ a0;
  const std::uint32_t y11 = y20 ^ y9;
  const std::uint32_t y7 = u7 ^ y11;
  const std::uint32_t y17 = y10 ^ y11;
  const std::uint32_t y19 = y10 ^ y8;
  const std::uint32_t y16 = a0 ^ y11;
  const std::uint32_t y21 = y13 ^ y16;
  const std::uint32_t y18 = u0 ^ y16;

  // Middle, non-linear layer: inversion in GF(((2^2)^2)^2).
  const std::uint32_t m2 = y12 & y15;
  const std::uint32_t m3 = y3 & y6;
  const std::uint32_t m4 = m3 ^ m2;
  const std::uint32_t m5 = y4 & u7;
  const std::uint32_t m6 = m5 ^ m2;
  const std::uint32_t m7 = y13 & y16;
  const std::uint32_t m8 = y5 & y1;
  const std::uint32_t m9 = m8 ^ m7;
  const std::uint32_t m10 = y2 & y7;
  const std::uint32_t m11 = m10 ^ m7;
  const std::uint32_t m12 = y9 & y11;
  const std::uint32_t m13 = y14 & y17;
  const std::uint32_t m14 = m13 ^ m12;
  const std::uint32_t m15 = y8 & y10;
  const std::uint32_t m16 = m15 ^ m12;
  const std::uint32_t m17 = m4 ^ m14;
  const std::uint32_t m18 = m6 ^ m16;
  const std::uint32_t m19 = m9 ^ m14;
  const std::uint32_t m20 = m11 ^ m16;
  const std::uint32_t m21 = m17 ^ y20;
  const std::uint32_t m22 = m18 ^ y19;
  const std::uint32_t m23 = m19 ^ y21;
  const std::uint32_t m24 = m20 ^ y18;

  const std::uint32_t m25 = m21 ^ m22;
  const std::uint32_t m26 = m21 & m23;
  const std::uint32_t m27 = m24 ^ m26;
  const std::uint32_t m28 = m25 & m27;
  const std::uint32_t m29 = m28 ^ m22;
  const std::uint32_t m30 = m23 ^ m24;
  const std::uint32_t m31 = m22 ^ m26;
  const std::uint32_t m32 = m31 & m30;
  const std::uint32_t m33 = m32 ^ m24;
  const std::uint32_t m34 = m23 ^ m33;
  const std::uint32_t m35 = m27 ^ m33;
  const std::uint32_t m36 = m24 & m35;
  const std::uint32_t m37 = m36 ^ m34;
  const std::uint32_t m38 = m27 ^ m36;
  const std::uint32_t m39 = m29 & m38;
  const std::uint32_t m40 = m25 ^ m39;

  const std::uint32_t m41 = m40 ^ m37;
  const std::uint32_t m42 = m29 ^ m33;
  const std::uint32_t m43 = m29 ^ m40;
  const std::uint32_t m44 = m33 ^ m37;
  const std::uint32_t m45 = m42 ^ m41;
  const std::uint32_t z0 = m44 & y15;
  const std::uint32_t z1 = m37 & y6;
  const std::uint32_t z2 = m33 & u7;
  const std::uint32_t z3 = m43 & y16;
  const std::uint32_t z4 = m40 & y1;
  const std::uint32_t z5 = m29 & y7;
  const std::uint32_t z6 = m42 & y11;
  const std::uint32_t z7 = m45 & y17;
  const std::uint32_t z8 = m41 & y10;
  const std::uint32_t z9 = m44 & y12;
  const std::uint32_t z10 = m37 & y3;
  const std::uint32_t z11 = m33 & y4;
  const std::uint32_t z12 = m43 & y13;
  const std::uint32_t z13 = m40 & y5;
  const std::uint32_t z14 = m29 & y2;
  const std::uint32_t z15 = m42 & y9;
  const std::uint32_t z16 = m45 & y14;
  const std::uint32_t z17 = m41 & y8;

  // Bottom linear layer: back to the polynomial basis, with the affine map
  // of the S-box but not its constant 0x63 (the four NOTs of the published
  // circuit), which the caller adds where it is cheapest.
  const std::uint32_t b46 = z15 ^ z16;
  const std::uint32_t b47 = z10 ^ z11;
  const std::uint32_t b48 = z5 ^ z13;
  const std::uint32_t b49 = z9 ^ z10;
  const std::uint32_t b50 = z2 ^ z12;
  const std::uint32_t b51 = z2 ^ z5;
  const std::uint32_t b52 = z7 ^ z8;
  const std::uint32_t b53 = z0 ^ z3;
  const std::uint32_t b54 = z6 ^ z7;
  const std::uint32_t b55 = z16 ^ z17;
  const std::uint32_t b56 = z12 ^ b48;
  const std::uint32_t b57 = b50 ^ b53;
  const std::uint32_t b58 = z4 ^ b46;
  const std::uint32_t b59 = z3 ^ b54;
  const std::uint32_t b60 = b46 ^ b57;
  const std::uint32_t b61 = z14 ^ b57;
  const std::uint32_t b62 = b52 ^ b58;
  const std::uint32_t b63 = b49 ^ b58;
  const std::uint32_t b64 = z4 ^ b59;
  const std::uint32_t b65 = b61 ^ b62;
  const std::uint32_t b66 = z1 ^ b63;
  const std::uint32_t s0 = b59 ^ b63;
  const std::uint32_t s6 = b56 ^ b62;
  const std::uint32_t s7 = b48 ^ b60;
  const std::uint32_t b67 = b64 ^ b65;
  const std::uint32_t s3 = b53 ^ b66;
  const std::uint32_t s4 = b51 ^ b66;
  const std::uint32_t s5 = b47 ^ b65;
  // s1, s2, s6 and s7 are XNORs in the published circuit; their NOTs are
  // exactly the constant 0x63 (bits 1, 2, 6, 7 counted from the MSB).
  const std::uint32_t s1 = b64 ^ s3;
  const std::uint32_t s2 = b55 ^ b67;

  q[7] = s0;
  q[6] = s1;
  q[5] = s2;
  q[4] = s3;
  q[3] = s4;
  q[2] = s5;
  q[1] = s6;
  q[0] = s7;
}

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
