#include "apps/secure_node/payload.h"

namespace secure_node {

void GeneratePayload(std::uint32_t seed, std::span<std::uint8_t> out) {
  std::uint32_t x = seed != 0 ? seed : 0x9e37'79b9u;
  for (std::uint8_t& byte : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    byte = static_cast<std::uint8_t>(x);
  }
}

std::uint32_t Fnv1a32(std::span<const std::uint8_t> data) {
  std::uint32_t hash = 0x811c'9dc5u;
  for (std::uint8_t byte : data) {
    hash ^= byte;
    hash *= 0x0100'0193u;
  }
  return hash;
}

}  // namespace secure_node
