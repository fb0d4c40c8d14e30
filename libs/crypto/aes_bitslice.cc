// The bitsliced AES building blocks: the 8x8 bit transpose between byte
// order and bit planes, and the S-box as a Boolean circuit. Both are
// straight-line code on eight words: no branches, no table lookups, so their
// timing and memory accesses cannot depend on the data (see aes.cc).
#include "libs/crypto/aes_bitslice.h"

namespace crypto {
namespace internal {

void Transpose(std::uint32_t q[8]) { TransposeSlices(q); }

void SubBytesWithoutConstant(std::uint32_t q[8]) { SubBytesInline(q); }

}  // namespace internal

}  // namespace crypto
