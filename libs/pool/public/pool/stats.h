// Operator-facing counters of a pool, and their one-line text form.
#ifndef LIBS_POOL_PUBLIC_POOL_STATS_H_
#define LIBS_POOL_PUBLIC_POOL_STATS_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace pool {

struct PoolStats {
  std::size_t block_size = 0;  // bytes per block (after alignment rounding)
  std::size_t capacity = 0;    // blocks in the pool
  std::size_t in_use = 0;      // blocks allocated now
  // Most blocks ever in use at once since construction or the last
  // ResetHighWater(): the figure to size a pool from field data.
  std::size_t high_water = 0;
  // Allocation requests that found the pool empty. Non-zero means the pool
  // is too small for the load it saw (or a size-class spill happened).
  std::uint32_t allocation_failures = 0;
  // Release() of a pointer that is not a block of this pool.
  std::uint32_t foreign_releases = 0;
  // Release() of a block that was already free.
  std::uint32_t double_releases = 0;
  // Inconsistencies found by Allocate/Release (a free block overwritten
  // through a stale pointer). Must stay 0; anything else is a bug report.
  std::uint32_t corruptions = 0;
};

// Writes "block=64 capacity=32 in_use=3 high_water=7 failures=0 foreign=0
// double=0 corrupt=0" (NUL-terminated, truncated to fit). Returns the
// length written, excluding the NUL.
std::size_t FormatStats(const PoolStats& stats, std::span<char> out) noexcept;

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_STATS_H_
