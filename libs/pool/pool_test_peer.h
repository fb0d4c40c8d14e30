// Test-only access to the internals of the pools: the raw block storage (to
// check wipes without touching a released block through a handle), the
// free-list link words and the allocation words (to inject corruption), and
// the steps of a release (to run another operation between the claim and
// the end of the wipe).
#ifndef LIBS_POOL_POOL_TEST_PEER_H_
#define LIBS_POOL_POOL_TEST_PEER_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "base/secure_wipe.h"
#include "pool/object_pool.h"
#include "pool/pool.h"

namespace pool {

struct PoolTestPeer {
  template <typename P>
  static std::span<const std::byte> Storage(const P& p) {
    return {p.storage_, sizeof(p.storage_)};
  }

  template <typename T, std::size_t kCount>
  static std::span<const std::byte> Storage(const ObjectPool<T, kCount>& p) {
    return Storage(p.blocks_);
  }

  // Overwrites the link word of block `index` of a list pool, as a write
  // through a stale pointer into a free block would.
  template <typename P>
  static void WriteLink(P& p, std::size_t index, std::uint32_t value) {
    static_assert(!P::kBitmap, "list pools only");
    std::memcpy(p.storage_ + index * P::kStride, &value, sizeof value);
  }

  template <typename P>
  static void WriteByte(P& p, std::size_t offset, std::byte value) {
    p.storage_[offset] = value;
  }

  // Index of the block at the head of the free list of a list pool (kCount
  // when empty).
  template <typename P>
  static std::size_t HeadIndex(const P& p) {
    static_assert(!P::kBitmap, "list pools only");
    return static_cast<std::size_t>(p.header_.map.load() & p.kIndexMask);
  }

  template <typename P>
  static std::uint64_t Map(const P& p) {
    static_assert(P::kBitmap, "bitmap pools only");
    return p.header_.map.load();
  }

  // Byte distance from the allocation word to the high-water word (the Arm
  // allocate sequence loads the latter at a fixed offset from the former).
  template <typename P>
  static std::ptrdiff_t HighWaterOffset(const P& p) {
    return reinterpret_cast<const char*>(&p.header_.high_water) -
           reinterpret_cast<const char*>(&p.header_.map);
  }

  // Overwrites the allocation map word of a bitmap pool.
  template <typename P>
  static void WriteMap(P& p, std::uint64_t value) {
    static_assert(P::kBitmap, "bitmap pools only");
    p.header_.map.store(static_cast<internal::Word>(value));
  }

  // Overwrites the claim word of block `index` of a bitmap pool.
  template <typename P>
  static void WriteClaim(P& p, std::size_t index, std::uint64_t value) {
    static_assert(P::kBitmap, "bitmap pools only");
    p.header_.claim[index].store(static_cast<internal::Word>(value));
  }

  // The steps of P::Release(block) for a block of p (range-checked by the
  // caller), as Release runs them: BeginRelease is the claim (true: this
  // caller holds the release; false: Release would refuse), EndRelease the
  // wipe and the step that makes the block allocatable again. Between the
  // two, a test runs what an interrupt handler or another core could.
  template <typename P>
  struct Claimed {
    bool held = false;
    std::uint64_t value = 0;  // the claim word's value / the state byte
    internal::Zeros zeros;    // bitmap pools: what the claim leaves the wipe
  };

  template <typename P>
  static Claimed<P> BeginRelease(P& p, void* block) {
    const std::size_t index =
        internal::BlockIndex<P::kStride, P::capacity()>(block, p.storage_);
    Claimed<P> claimed;
    if constexpr (P::kBitmap) {
      claimed.value = P::Claim(&p.header_, index, claimed.zeros);
      claimed.held = claimed.value != 0;
    } else {
      claimed.value = p.Claim(index);
      claimed.held = claimed.value == P::kAllocated;
    }
    return claimed;
  }

  template <typename P>
  static base::Status EndRelease(P& p, void* block, Claimed<P> claimed) {
    if constexpr (P::kBitmap) {
      internal::WipeBlock<P::kStride, P::kBlockAlignment>(block, claimed.zeros);
      return P::Publish(&p.header_, static_cast<internal::Word>(claimed.value),
                        claimed.zeros);
    } else {
      base::SecureWipeFixed<P::kStride, P::kBlockAlignment>(block);
      p.Publish(
          internal::BlockIndex<P::kStride, P::capacity()>(block, p.storage_));
      return base::OkStatus();
    }
  }
};

}  // namespace pool

#endif  // LIBS_POOL_POOL_TEST_PEER_H_
