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

// Swaps the bits of a at positions (p + shift) with those of b at positions
// p, for every p in mask: one step of the recursive 8x8 transpose.
template <typename W>
inline void SwapBits(W& a, W& b, std::uint32_t mask, int shift) {
  const W t = ((a >> shift) ^ b) & mask;
  b ^= t;
  a ^= t << shift;
}

// Transpose on any slice word type (lane-wise for vectors); Transpose above
// is its out-of-line uint32_t instance.
template <typename W>
[[gnu::always_inline]] inline void TransposeSlices(W q[8]) {
  // Word index bit k is exchanged with bit-in-lane index bit k, k = 0, 1, 2.
  SwapBits(q[0], q[1], 0x55555555u, 1);
  SwapBits(q[2], q[3], 0x55555555u, 1);
  SwapBits(q[4], q[5], 0x55555555u, 1);
  SwapBits(q[6], q[7], 0x55555555u, 1);
  SwapBits(q[0], q[2], 0x33333333u, 2);
  SwapBits(q[1], q[3], 0x33333333u, 2);
  SwapBits(q[4], q[6], 0x33333333u, 2);
  SwapBits(q[5], q[7], 0x33333333u, 2);
  SwapBits(q[0], q[4], 0x0f0f0f0fu, 4);
  SwapBits(q[1], q[5], 0x0f0f0f0fu, 4);
  SwapBits(q[2], q[6], 0x0f0f0f0fu, 4);
  SwapBits(q[3], q[7], 0x0f0f0f0fu, 4);
}

// The circuit itself, inline so that a round can keep its outputs in
// registers for MixColumns. Straight-line code: no branches, no lookups.
// W is a slice word (aes_slice_word.h): std::uint32_t for one block pair,
// uint32x4_t for four pairs; the gates are the same lane-wise logic.
template <typename W>
[[gnu::always_inline]] inline void SubBytesInline(W q[8]) {
  // Circuit inputs are numbered from the most significant bit.
  const W u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
  const W u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];

  // Top linear layer: maps the byte into the tower-field basis.
  const W y14 = u3 ^ u5;
  const W y13 = u0 ^ u6;
  const W y9 = u0 ^ u3;
  const W y8 = u0 ^ u5;
  const W a0 = u1 ^ u2;
  const W y1 = a0 ^ u7;
  const W y4 = y1 ^ u3;
  const W y12 = y13 ^ y14;
  const W y2 = y1 ^ u0;
  const W y5 = y1 ^ u6;
  const W y3 = y5 ^ y8;
  const W a1 = u4 ^ y12;
  const W y15 = a1 ^ u5;
  const W y20 = a1 ^ u1;
  const W y6 = y15 ^ u7;
  const W y10 = y15 ^ a0;
  const W y11 = y20 ^ y9;
  const W y7 = u7 ^ y11;
  const W y17 = y10 ^ y11;
  const W y19 = y10 ^ y8;
  const W y16 = a0 ^ y11;
  const W y21 = y13 ^ y16;
  const W y18 = u0 ^ y16;

  // Middle, non-linear layer: inversion in GF(((2^2)^2)^2).
  const W m2 = y12 & y15;
  const W m3 = y3 & y6;
  const W m4 = m3 ^ m2;
  const W m5 = y4 & u7;
  const W m6 = m5 ^ m2;
  const W m7 = y13 & y16;
  const W m8 = y5 & y1;
  const W m9 = m8 ^ m7;
  const W m10 = y2 & y7;
  const W m11 = m10 ^ m7;
  const W m12 = y9 & y11;
  const W m13 = y14 & y17;
  const W m14 = m13 ^ m12;
  const W m15 = y8 & y10;
  const W m16 = m15 ^ m12;
  const W m17 = m4 ^ m14;
  const W m18 = m6 ^ m16;
  const W m19 = m9 ^ m14;
  const W m20 = m11 ^ m16;
  const W m21 = m17 ^ y20;
  const W m22 = m18 ^ y19;
  const W m23 = m19 ^ y21;
  const W m24 = m20 ^ y18;

  const W m25 = m21 ^ m22;
  const W m26 = m21 & m23;
  const W m27 = m24 ^ m26;
  const W m28 = m25 & m27;
  const W m29 = m28 ^ m22;
  const W m30 = m23 ^ m24;
  const W m31 = m22 ^ m26;
  const W m32 = m31 & m30;
  const W m33 = m32 ^ m24;
  const W m34 = m23 ^ m33;
  const W m35 = m27 ^ m33;
  const W m36 = m24 & m35;
  const W m37 = m36 ^ m34;
  const W m38 = m27 ^ m36;
  const W m39 = m29 & m38;
  const W m40 = m25 ^ m39;

  const W m41 = m40 ^ m37;
  const W m42 = m29 ^ m33;
  const W m43 = m29 ^ m40;
  const W m44 = m33 ^ m37;
  const W m45 = m42 ^ m41;
  const W z0 = m44 & y15;
  const W z1 = m37 & y6;
  const W z2 = m33 & u7;
  const W z3 = m43 & y16;
  const W z4 = m40 & y1;
  const W z5 = m29 & y7;
  const W z6 = m42 & y11;
  const W z7 = m45 & y17;
  const W z8 = m41 & y10;
  const W z9 = m44 & y12;
  const W z10 = m37 & y3;
  const W z11 = m33 & y4;
  const W z12 = m43 & y13;
  const W z13 = m40 & y5;
  const W z14 = m29 & y2;
  const W z15 = m42 & y9;
  const W z16 = m45 & y14;
  const W z17 = m41 & y8;

  // Bottom linear layer: back to the polynomial basis, with the affine map
  // of the S-box but not its constant 0x63 (the four NOTs of the published
  // circuit), which the caller adds where it is cheapest.
  const W b46 = z15 ^ z16;
  const W b47 = z10 ^ z11;
  const W b48 = z5 ^ z13;
  const W b49 = z9 ^ z10;
  const W b50 = z2 ^ z12;
  const W b51 = z2 ^ z5;
  const W b52 = z7 ^ z8;
  const W b53 = z0 ^ z3;
  const W b54 = z6 ^ z7;
  const W b55 = z16 ^ z17;
  const W b56 = z12 ^ b48;
  const W b57 = b50 ^ b53;
  const W b58 = z4 ^ b46;
  const W b59 = z3 ^ b54;
  const W b60 = b46 ^ b57;
  const W b61 = z14 ^ b57;
  const W b62 = b52 ^ b58;
  const W b63 = b49 ^ b58;
  const W b64 = z4 ^ b59;
  const W b65 = b61 ^ b62;
  const W b66 = z1 ^ b63;
  const W s0 = b59 ^ b63;
  const W s6 = b56 ^ b62;
  const W s7 = b48 ^ b60;
  const W b67 = b64 ^ b65;
  const W s3 = b53 ^ b66;
  const W s4 = b51 ^ b66;
  const W s5 = b47 ^ b65;
  // s1, s2, s6 and s7 are XNORs in the published circuit; their NOTs are
  // exactly the constant 0x63 (bits 1, 2, 6, 7 counted from the MSB).
  const W s1 = b64 ^ s3;
  const W s2 = b55 ^ b67;

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
