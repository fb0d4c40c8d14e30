// The bitsliced AES building blocks: the 8x8 bit transpose between byte
// order and bit planes, and the S-box as a Boolean circuit. Both are
// straight-line code on eight words: no branches, no table lookups, so their
// timing and memory accesses cannot depend on the data (see aes.cc).
#include "libs/crypto/aes_bitslice.h"

namespace crypto {
namespace internal {
namespace {

// Swaps the bits of a at positions (p + shift) with those of b at positions
// p, for every p in mask: one step of the recursive 8x8 transpose.
inline void SwapBits(std::uint32_t& a, std::uint32_t& b, std::uint32_t mask,
                     int shift) {
  const std::uint32_t t = ((a >> shift) ^ b) & mask;
  b ^= t;
  a ^= t << shift;
}

}  // namespace

void Transpose(std::uint32_t q[8]) {
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

void SubBytesWithoutConstant(std::uint32_t q[8]) { SubBytesInline(q); }

}  // namespace internal

}  // namespace crypto
