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
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static std::span<const std::byte> Storage(const Pool<kBlockSize, kCount, kAlignment>& p) {
    return {p.storage_, sizeof(p.storage_)};
  }

  template <typename T, std::size_t kCount>
  static std::span<const std::byte> Storage(const ObjectPool<T, kCount>& p) {
    return Storage(p.blocks_);
  }

  // Overwrites the link word of block `index`, as a write through a stale
  // pointer into a free block would.
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static void WriteLink(Pool<kBlockSize, kCount, kAlignment>& p, std::size_t index,
                        std::uint32_t value) {
    std::memcpy(p.storage_ + index * p.kStride, &value, sizeof value);
  }

  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static void WriteByte(Pool<kBlockSize, kCount, kAlignment>& p, std::size_t offset,
                        std::byte value) {
    p.storage_[offset] = value;
  }

  // Index of the block at the head of the free list (kCount when empty).
  template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment>
  static std::size_t HeadIndex(const Pool<kBlockSize, kCount, kAlignment>& p) {
    return static_cast<std::size_t>(p.head_.load() & p.kIndexMask);
  }
};

}  // namespace pool

#endif  // LIBS_POOL_POOL_TEST_PEER_H_
