// Big-endian loads and stores of 32-bit words: GCM's counter block, length
// block and GHASH operands are big-endian. Byte-wise, so any alignment
// works and the code is the same on every core.
#ifndef LIBS_CRYPTO_BYTE_ORDER_H_
#define LIBS_CRYPTO_BYTE_ORDER_H_

#include <cstdint>

namespace crypto::internal {

inline std::uint32_t LoadBe32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) |
         (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) |
         static_cast<std::uint32_t>(p[3]);
}

inline void StoreBe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_BYTE_ORDER_H_
