// Helpers shared by the workspace tests.
#ifndef LIBS_WORKSPACE_TEST_SUPPORT_H_
#define LIBS_WORKSPACE_TEST_SUPPORT_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "workspace/workspace.h"

namespace workspace::testing {

template <typename Byte>
bool AllZero(std::span<const Byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](Byte b) { return b == Byte{0}; });
}

inline bool AllZero(std::span<const std::uint8_t> bytes) {
  return AllZero<std::uint8_t>(bytes);
}
inline bool AllZero(std::span<const std::byte> bytes) {
  return AllZero<std::byte>(bytes);
}

// Every buffer that is not leased is all zero (invariant I1).
inline bool UnleasedBuffersAreZero(const WorkspaceCore& ws) {
  for (std::size_t i = 0; i < kBufferCount; ++i) {
    const BufferId id = static_cast<BufferId>(i);
    if (!ws.IsLeased(id) && !AllZero(ws.InspectBufferForTesting(id)))
      return false;
  }
  return true;
}

// An empty slot holds no key material (invariant I2).
inline bool SlotIsWiped(const WorkspaceCore& ws, KeySlotId slot) {
  return AllZero(ws.InspectKeySlotForTesting(slot));
}

// A deterministic byte pattern that is never all zero.
inline std::vector<std::uint8_t> Pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<std::uint8_t>(seed + 31 * i + 1) | 1;
  }
  return bytes;
}

inline std::span<const std::uint8_t> Bytes(const std::vector<std::uint8_t>& v) {
  return {v.data(), v.size()};
}

}  // namespace workspace::testing

#endif  // LIBS_WORKSPACE_TEST_SUPPORT_H_
