#include "pool/stats.h"

#include <cstdio>

namespace pool {

std::size_t FormatStats(const PoolStats& stats, std::span<char> out) noexcept {
  if (out.empty()) return 0;
  // %llu with casts: newlib in strict C++20 mode hides the PRI* macros.
  const int n = std::snprintf(
      out.data(), out.size(),
      "block=%llu capacity=%llu in_use=%llu high_water=%llu failures=%llu "
      "foreign=%llu double=%llu corrupt=%llu",
      static_cast<unsigned long long>(stats.block_size),
      static_cast<unsigned long long>(stats.capacity),
      static_cast<unsigned long long>(stats.in_use),
      static_cast<unsigned long long>(stats.high_water),
      static_cast<unsigned long long>(stats.allocation_failures),
      static_cast<unsigned long long>(stats.foreign_releases),
      static_cast<unsigned long long>(stats.double_releases),
      static_cast<unsigned long long>(stats.corruptions));
  if (n < 0) {
    out[0] = '\0';
    return 0;
  }
  const auto written = static_cast<std::size_t>(n);
  return written < out.size() ? written : out.size() - 1;
}

}  // namespace pool
