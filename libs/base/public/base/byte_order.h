// Big- and little-endian loads and stores of 16-, 32- and 64-bit integers,
// the one copy for every library, app and tool.
//
// Byte-wise shifts and ORs: any alignment works (no unaligned word access,
// which faults on Device memory), the result does not depend on the host's
// byte order, and GCC still folds each function into one load or store
// (plus REV) where the core allows it. Everything is constexpr so that
// tables of encoded bytes can be built at compile time.
#ifndef LIBS_BASE_PUBLIC_BASE_BYTE_ORDER_H_
#define LIBS_BASE_PUBLIC_BASE_BYTE_ORDER_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace base {

constexpr std::uint16_t LoadBe16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(std::uint32_t{p[0]} << 8 | p[1]);
}

constexpr std::uint32_t LoadBe32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
         std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

constexpr std::uint64_t LoadBe64(const std::uint8_t* p) {
  return std::uint64_t{LoadBe32(p)} << 32 | LoadBe32(p + 4);
}

constexpr std::uint16_t LoadLe16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(std::uint32_t{p[1]} << 8 | p[0]);
}

constexpr std::uint32_t LoadLe32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
         std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

constexpr std::uint64_t LoadLe64(const std::uint8_t* p) {
  return std::uint64_t{LoadLe32(p + 4)} << 32 | LoadLe32(p);
}

constexpr void StoreBe16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

constexpr void StoreBe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

constexpr void StoreBe64(std::uint8_t* p, std::uint64_t v) {
  StoreBe32(p, static_cast<std::uint32_t>(v >> 32));
  StoreBe32(p + 4, static_cast<std::uint32_t>(v));
}

constexpr void StoreLe16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}

constexpr void StoreLe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
  p[2] = static_cast<std::uint8_t>(v >> 16);
  p[3] = static_cast<std::uint8_t>(v >> 24);
}

constexpr void StoreLe64(std::uint8_t* p, std::uint64_t v) {
  StoreLe32(p, static_cast<std::uint32_t>(v));
  StoreLe32(p + 4, static_cast<std::uint32_t>(v >> 32));
}

// The encodings as values, for building a message piece by piece.
constexpr std::array<std::uint8_t, 2> Be16Bytes(std::uint16_t v) {
  std::array<std::uint8_t, 2> bytes{};
  StoreBe16(bytes.data(), v);
  return bytes;
}

constexpr std::array<std::uint8_t, 4> Be32Bytes(std::uint32_t v) {
  std::array<std::uint8_t, 4> bytes{};
  StoreBe32(bytes.data(), v);
  return bytes;
}

constexpr std::array<std::uint8_t, 4> Le32Bytes(std::uint32_t v) {
  std::array<std::uint8_t, 4> bytes{};
  StoreLe32(bytes.data(), v);
  return bytes;
}

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_BYTE_ORDER_H_
