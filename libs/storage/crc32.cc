#include "storage/crc32.h"

#include <array>

namespace storage {
namespace {

// Entry n: the CRC register after shifting the nibble n out of its low end.
constexpr std::array<std::uint32_t, 16> MakeNibbleTable() {
  std::array<std::uint32_t, 16> table{};
  for (std::uint32_t n = 0; n < 16; ++n) {
    std::uint32_t c = n;
    for (int bit = 0; bit < 4; ++bit) {
      c = (c & 1u) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    table[n] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 16> kNibbleTable = MakeNibbleTable();

}  // namespace

std::uint32_t Crc32Update(std::uint32_t state,
                          std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t byte : bytes) {
    state ^= byte;
    state = (state >> 4) ^ kNibbleTable[state & 0x0Fu];
    state = (state >> 4) ^ kNibbleTable[state & 0x0Fu];
  }
  return state;
}

}  // namespace storage
