// Test-only access to the internals of Pool and ObjectPool: the raw block
// storage (to check wipes without touching a released block through a
// handle) and the free-list link words (to inject corruption).
#ifndef LIBS_POOL_POOL_TEST_PEER_H_
#define LIBS_POOL_POOL_TEST_PEER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "pool/object_pool.h"
#include "pool/pool.h"

namespace pool {

struct PoolTestPeer {
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
            internal::Sync kSync>
  static std::span<const std::byte> Storage(
      const internal::BasicPool<kBlockSize, kCount, kAlignment, kSync>& p) {
    return {p.storage_, sizeof(p.storage_)};
  }

  template <typename T, std::size_t kCount>
  static std::span<const std::byte> Storage(const ObjectPool<T, kCount>& p) {
    return Storage(p.blocks_);
  }

  // Overwrites the link word of block `index` of a list pool, as a write
  // through a stale pointer into a free block would.
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static void WriteLink(Pool<kBlockSize, kCount, kAlignment>& p,
                        std::size_t index, std::uint32_t value) {
    static_assert(!Pool<kBlockSize, kCount, kAlignment>::kBitmap,
                  "list pools only");
    std::memcpy(p.storage_ + index * p.kStride, &value, sizeof value);
  }

  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
            internal::Sync kSync>
  static void WriteByte(
      internal::BasicPool<kBlockSize, kCount, kAlignment, kSync>& p,
      std::size_t offset, std::byte value) {
    p.storage_[offset] = value;
  }

  // Index of the block at the head of the free list of a list pool (kCount
  // when empty).
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static std::size_t HeadIndex(const Pool<kBlockSize, kCount, kAlignment>& p) {
    static_assert(!Pool<kBlockSize, kCount, kAlignment>::kBitmap,
                  "list pools only");
    return static_cast<std::size_t>(p.header_.map.load() & p.kIndexMask);
  }

  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static std::uint64_t Map(const Pool<kBlockSize, kCount, kAlignment>& p) {
    static_assert(Pool<kBlockSize, kCount, kAlignment>::kBitmap,
                  "bitmap pools only");
    return p.header_.map.load();
  }

  // Byte distance from the allocation word to the high-water word (the Arm
  // allocate sequence loads the latter at [word, #4]).
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static std::ptrdiff_t HighWaterOffset(
      const Pool<kBlockSize, kCount, kAlignment>& p) {
    return reinterpret_cast<const char*>(&p.header_.high_water) -
           reinterpret_cast<const char*>(&p.header_.map);
  }

  // Overwrites the allocation map word of a bitmap pool.
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static void WriteMap(Pool<kBlockSize, kCount, kAlignment>& p,
                       std::uint64_t value) {
    static_assert(Pool<kBlockSize, kCount, kAlignment>::kBitmap,
                  "bitmap pools only");
    p.header_.map.store(static_cast<internal::HeadWord>(value));
  }
};

}  // namespace pool

#endif  // LIBS_POOL_POOL_TEST_PEER_H_
