// Internal: what bitmap and list pools share: block geometry, the release
// range check, the UniqueBlock form of Allocate, and the counters' part of
// the stats.
#ifndef LIBS_POOL_PUBLIC_POOL_INTERNAL_BLOCKS_H_
#define LIBS_POOL_PUBLIC_POOL_INTERNAL_BLOCKS_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "base/status.h"
#include "pool/internal/sync.h"
#include "pool/stats.h"
#include "pool/status.h"
#include "pool/unique_block.h"

namespace pool {

// How deep CheckInvariants() looks.
enum class Check : std::uint8_t {
  // Allocation state: bitmap, claim words and counters agree (bitmap pools);
  // free list bounds, no cycle, length = capacity - in_use, agreement with
  // the allocation map (list pools). O(capacity).
  kStructure,
  // kStructure, and every free block is zero (list pools: apart from its
  // link word) -- proof that each release wiped. O(capacity x block size).
  kStructureAndWipe,
};

struct PoolTestPeer;

namespace internal {

template <std::size_t kBlockSize, std::size_t kAlignment>
struct Geometry {
  static_assert(kBlockSize >= 1, "blocks need at least one byte");
  static_assert(std::has_single_bit(kAlignment),
                "alignment must be a power of two");
  // The link word of list pools needs 4 aligned bytes.
  static constexpr std::size_t kBlockAlignment =
      std::max<std::size_t>(kAlignment, 4);
  // Distance between blocks: the block size rounded up to the alignment.
  static constexpr std::size_t kStride =
      RoundUp(std::max<std::size_t>(kBlockSize, 4), kBlockAlignment);
  static constexpr bool kPowerOfTwoStride = std::has_single_bit(kStride);
  static constexpr unsigned kStrideShift =
      static_cast<unsigned>(std::countr_zero(kStride));
};

// Index of the block at `block`, or a value >= kCount when it is not the
// start of a block of storage. Power-of-two strides: one compare rejects both
// out-of-range and misaligned pointers (a misaligned offset rotates its low
// bits to the top and becomes huge).
template <std::size_t kStride, std::size_t kCount>
[[gnu::always_inline]] inline std::size_t BlockIndex(
    const void* block, const std::byte* storage) noexcept {
  const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(block) -
                                reinterpret_cast<std::uintptr_t>(storage);
  if constexpr (std::has_single_bit(kStride)) {
    return static_cast<std::size_t>(
        std::rotr(offset, std::countr_zero(kStride)));
  } else {
    if (offset >= kCount * kStride || offset % kStride != 0) return kCount;
    return offset / kStride;
  }
}

inline void CopyCounters(const Counters& c, PoolStats& s) noexcept {
  s.allocation_failures = c.allocation_failures.load(std::memory_order_relaxed);
  s.foreign_releases = c.foreign_releases.load(std::memory_order_relaxed);
  s.double_releases = c.double_releases.load(std::memory_order_relaxed);
  s.corruptions = c.corruptions.load(std::memory_order_relaxed);
}

// Acquire of either pool algorithm: a block of `kStride` bytes from
// `allocate` (the pool's AllocateBlock), owned by a UniqueBlock of size()
// = size (1 .. kStride) that `release` gives back to `owner`. `key` comes
// from the pool: only pools can make a UniqueBlock.
template <std::size_t kStride, typename AllocateFn>
base::Result<UniqueBlock> AcquireBlock(BlockOwnerKey key, std::size_t size,
                                       void* owner, ReleaseFn release,
                                       AllocateFn&& allocate) noexcept {
  if (size == 0) return Code::kZeroSize;
  if (size > kStride) return Code::kSizeUnsupported;
  base::Status status;
  std::byte* const block = allocate(&status);
  if (block == nullptr) return status;
  return UniqueBlock(key, owner, release, block, size, kStride);
}

}  // namespace internal
}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_INTERNAL_BLOCKS_H_
