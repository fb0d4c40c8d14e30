#include "sim/payload.h"

namespace sim {

std::vector<std::uint8_t> GeneratePayload(std::uint32_t seed,
                                          std::size_t size) {
  std::vector<std::uint8_t> out(size);
  std::uint32_t x = seed != 0 ? seed : 0x9e3779b9u;
  for (std::uint8_t& byte : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    byte = static_cast<std::uint8_t>(x & 0xff);
  }
  return out;
}

std::uint32_t Fnv1a32(std::span<const std::uint8_t> data) {
  std::uint32_t hash = 0x811c9dc5u;
  for (std::uint8_t byte : data) {
    hash ^= byte;
    hash *= 0x01000193u;
  }
  return hash;
}

}  // namespace sim
