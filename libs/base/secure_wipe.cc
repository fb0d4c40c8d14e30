#include "base/secure_wipe.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace base {

#if defined(__arm__)

void SecureWipe(void* data, std::size_t size) noexcept {
  auto* p = static_cast<std::byte*>(data);
  // Head: volatile byte stores up to a word boundary.
  while (size != 0 && (reinterpret_cast<std::uintptr_t>(p) & 3u) != 0) {
    *static_cast<volatile std::byte*>(p) = std::byte{0};
    ++p;
    --size;
  }
  // Bulk: 64-byte STM loop.
  const std::size_t bulk = size & ~static_cast<std::size_t>(63);
  if (bulk != 0) {
    internal::ArmZeroLoop(p, p + bulk);
    p += bulk;
    size -= bulk;
  }
  // Remaining words, then bytes: volatile stores.
  for (; size >= 4; size -= 4, p += 4) {
    *reinterpret_cast<volatile std::uint32_t*>(p) = 0;
  }
  for (; size != 0; --size, ++p) {
    *static_cast<volatile std::byte*>(p) = std::byte{0};
  }
  internal::ClobberMemory(data);
}

#else

void SecureWipe(void* data, std::size_t size) noexcept {
  if (size == 0) return;
  std::memset(data, 0, size);
  internal::ClobberMemory(data);
}

#endif

}  // namespace base
