// ListPool: the pool algorithm for more blocks than a machine word has bits.
// Use it through pool::Pool / pool::LocalPool (pool/pool.h), which choose it
// by block count.
//
// A Treiber stack threaded through the free blocks plus a one-byte-per-block
// allocation state (two atomic operations per allocate / release). Head:
//   [ index : B ][ in_use : B ][ tag : rest ]   B = bit_width(kCount)
// index is the first free block (kCount = none), tag changes on every
// operation (ABA). The first 32-bit word of a free block i holds
//   link = next - i - 1   (two's complement)
// so an all-zero pool is the chain 0 -> 1 -> ... -> kCount-1 -> none, and
// pop computes the new head as head + link + constant.
//
// Release: the CLAIM first, one atomic exchange of the block's state byte to
// free -- refused (kNotAllocated, counted) unless it was allocated, so of two
// racing releases of one block exactly one proceeds; then the wipe, while
// the block is on no list (no allocation can get it); then the link word
// and the push.
#ifndef LIBS_POOL_PUBLIC_POOL_LIST_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_LIST_POOL_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "base/cache_line.h"
#include "base/secure_wipe.h"
#include "base/status.h"
#include "pool/internal/blocks.h"
#include "pool/internal/sync.h"
#include "pool/stats.h"
#include "pool/status.h"
#include "pool/unique_block.h"

namespace pool::internal {

// The stale-read race of a Treiber stack: a popper may read the link word of
// a block that another context has just popped and is writing. The value is
// then discarded (the CAS fails because the tag moved), but ThreadSanitizer
// cannot know that, so this one load is left uninstrumented.
#if defined(__SANITIZE_THREAD__)
[[gnu::no_sanitize_thread, gnu::noinline]]
#endif
inline std::uint32_t
LoadLink(const std::byte* block) noexcept {
  return __atomic_load_n(reinterpret_cast<const std::uint32_t*>(block),
                         __ATOMIC_RELAXED);
}

inline void StoreLink(std::byte* block, std::uint32_t link) noexcept {
  __atomic_store_n(reinterpret_cast<std::uint32_t*>(block), link,
                   __ATOMIC_RELAXED);
}

struct ListHeader {
  std::atomic<Word> map{0};  // the Treiber head
  std::atomic<Word> high_water{0};
  Counters counters;
};

template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
class ListPool {
  static_assert(kCount >= 1, "a pool needs at least one block");
  using G = Geometry<kBlockSize, kAlignment>;
  using SignedWord = std::make_signed_t<Word>;

 public:
  static constexpr std::size_t kBlockAlignment = G::kBlockAlignment;
  static constexpr std::size_t kStride = G::kStride;
  static constexpr bool kBitmap = false;

 private:
  static constexpr unsigned kIndexBits = std::bit_width(kCount);
  static constexpr unsigned kTagBits = kWordBits - 2 * kIndexBits;
  // An ABA failure needs a context stalled between its head read and its CAS
  // while exactly a multiple of 2^kTagBits operations complete on this pool
  // and the head returns to the same block with the same in_use.
  static_assert(kTagBits >= 16, "pool too large for the head word: split it");
  static constexpr Word kIndexMask = (Word{1} << kIndexBits) - 1;
  static constexpr Word kInUseOne = Word{1} << kIndexBits;
  static constexpr Word kTagOne = Word{1} << (2 * kIndexBits);
  // head + link + kPopAdd: index := next, in_use += 1, tag += 1.
  static constexpr Word kPopAdd = 1 + kInUseOne + kTagOne;
  // head - link + kPushAdd (link = head.index - i - 1): index := i,
  // in_use -= 1, tag += 1.
  static constexpr Word kPushAdd = kTagOne - kInUseOne - 1;
  static constexpr std::uint8_t kFree = 0;
  static constexpr std::uint8_t kAllocated = 1;

 public:
  constexpr ListPool() noexcept = default;
  ListPool(const ListPool&) = delete;
  ListPool& operator=(const ListPool&) = delete;

  static constexpr std::size_t block_size() { return kStride; }
  static constexpr std::size_t capacity() { return kCount; }
  // Bytes of the pool object that are not block storage: the only overhead.
  static constexpr std::size_t metadata_bytes() {
    return sizeof(ListPool) - sizeof(storage_);
  }

  // A block of block_size() bytes, zero except its first 4 bytes (a stale
  // link: a block-index delta, never a previous owner's data), or nullptr
  // when the pool is empty (counted in allocation_failures) or its free list
  // is found corrupted (counted in corruptions). O(1).
  [[nodiscard]] void* Allocate() noexcept { return AllocateBlock(nullptr); }

  // As Allocate(); on nullptr, status says why (kExhausted or kCorrupted).
  [[nodiscard]] void* Allocate(base::Status& status) noexcept {
    return AllocateBlock(&status);
  }

  // As BitmapPool::Release.
  base::Status Release(void* block) noexcept {
    const std::size_t index = BlockIndex<kStride, kCount>(block, storage_);
    if (index >= kCount) [[unlikely]] {
      return ForeignRelease<kSync>(&header_.counters);
    }
    const std::uint8_t previous = Claim(index);
    if (previous != kAllocated) [[unlikely]] {
      if (previous == kFree) return DoubleRelease<kSync>(&header_.counters);
      Increment<kSync>(header_.counters.corruptions);
      return Code::kCorrupted;
    }
    // Wipe before the block is reachable from the free list; the link word
    // is written after the wipe.
    base::SecureWipeFixed<kStride, kBlockAlignment>(
        static_cast<std::byte*>(block));
    Publish(index);
    return base::OkStatus();
  }

  base::Result<UniqueBlock> Acquire(std::size_t size = kStride) noexcept {
    return AcquireBlock<kStride>(
        BlockOwnerKey(), size, this, &ReleaseThunk,
        [this](base::Status* status) { return AllocateBlock(status); });
  }

  bool Owns(const void* p) const noexcept {
    return BlockIndex<kStride, kCount>(p, storage_) < kCount;
  }

  PoolStats stats() const noexcept {
    PoolStats s;
    s.block_size = kStride;
    s.capacity = kCount;
    s.in_use = InUse(header_.map.load(std::memory_order_relaxed));
    s.high_water = static_cast<std::size_t>(
        header_.high_water.load(std::memory_order_relaxed));
    CopyCounters(header_.counters, s);
    return s;
  }

  void ResetHighWater() noexcept {
    header_.high_water.store(InUse(header_.map.load(std::memory_order_relaxed)),
                             std::memory_order_relaxed);
  }

  // Walks the free list: every index in range, no cycle (a walk longer than
  // the free count fails), length = capacity - in use, every listed block
  // marked free, exactly in-use blocks marked allocated. Only meaningful
  // while no other context uses the pool.
  base::Status CheckInvariants(Check depth = Check::kStructure) const noexcept {
    const Word head = header_.map.load(std::memory_order_acquire);
    const std::size_t in_use = InUse(head);
    if (in_use > kCount) return Code::kCorrupted;
    if (header_.high_water.load(std::memory_order_relaxed) < in_use) {
      return Code::kCorrupted;
    }
    const std::size_t expected_free = kCount - in_use;
    std::size_t listed = 0;
    // Each step visits a distinct block or the walk exceeds expected_free:
    // a cycle cannot hide, so no visited set is needed.
    for (std::size_t index = head & kIndexMask; index != kCount;) {
      if (index > kCount || ++listed > expected_free) return Code::kCorrupted;
      if (state_[index].load(std::memory_order_relaxed) != kFree) {
        return Code::kCorrupted;
      }
      const std::byte* block = storage_ + index * kStride;
      if (depth == Check::kStructureAndWipe) {
        for (std::size_t i = sizeof(std::uint32_t); i < kStride; ++i) {
          if (block[i] != std::byte{0}) return Code::kCorrupted;
        }
      }
      const auto link = static_cast<std::int32_t>(LoadLink(block));
      const std::int64_t next = static_cast<std::int64_t>(index) + 1 + link;
      if (next < 0 || next > static_cast<std::int64_t>(kCount)) {
        return Code::kCorrupted;
      }
      index = static_cast<std::size_t>(next);
    }
    if (listed != expected_free) return Code::kCorrupted;
    // The listed blocks are distinct, all marked free, and as many as the
    // free count: so they are exactly the blocks the map marks free if the
    // map marks exactly in_use blocks allocated.
    std::size_t allocated = 0;
    for (std::size_t i = 0; i < kCount; ++i) {
      const std::uint8_t state = state_[i].load(std::memory_order_relaxed);
      if (state == kAllocated) {
        ++allocated;
      } else if (state != kFree) {
        return Code::kCorrupted;
      }
    }
    return allocated == in_use ? base::OkStatus()
                               : base::Status(Code::kCorrupted);
  }

 private:
  friend struct ::pool::PoolTestPeer;

  static base::Status ReleaseThunk(void* owner, std::byte* block) noexcept {
    return static_cast<ListPool*>(owner)->Release(block);
  }

  std::byte* BlockAt(std::size_t index) noexcept {
    return storage_ + index * kStride;
  }

  static constexpr std::size_t InUse(Word head) {
    return static_cast<std::size_t>((head >> kIndexBits) & kIndexMask);
  }

  std::byte* AllocateBlock(base::Status* status) noexcept {
    Word head = header_.map.load(kAcquireOrder<kSync>);
    for (;;) {
      const Word index = head & kIndexMask;
      if (index == kCount) [[unlikely]] {
        return Exhausted<kSync>(&header_.counters, status);
      }
      std::byte* const block = BlockAt(static_cast<std::size_t>(index));
      // Sign-extend: the link is a 32-bit two's-complement delta.
      const auto link = static_cast<Word>(
          static_cast<SignedWord>(static_cast<std::int32_t>(LoadLink(block))));
      // next = index + 1 + link must lie in [0, kCount]. A value outside is
      // either a stale read (the block was popped and written meanwhile; the
      // head has then moved) or a free block overwritten through a stale
      // pointer: never follow it.
      if (index + link + 1 > kCount) [[unlikely]] {
        const Word now = header_.map.load(kAcquireOrder<kSync>);
        if (now == head) {
          Increment<kSync>(header_.counters.corruptions);
          if (status != nullptr) *status = Code::kCorrupted;
          return nullptr;
        }
        head = now;
        continue;
      }
      const Word next_head = head + link + kPopAdd;
      if (CompareExchange<kSync>(header_.map, head, next_head,
                                 kAcquireOrder<kSync>, kAcquireOrder<kSync>)) {
        AcquireFence();
        state_[index].store(kAllocated, std::memory_order_relaxed);
        const Word in_use = InUse(next_head);
        if (in_use > header_.high_water.load(std::memory_order_relaxed))
            [[unlikely]] {
          RaiseHighWaterCount(in_use);
        }
        return block;
      }
    }
  }

  // The claim step of Release: the block's previous state, now free. Of two
  // racing claims of an allocated block exactly one sees kAllocated.
  std::uint8_t Claim(std::size_t index) noexcept {
    return Exchange<kSync>(state_[index], kFree, kAcquireOrder<kSync>);
  }

  // The last step of Release: link and push the (wiped) block.
  void Publish(std::size_t index) noexcept {
    std::byte* const block = BlockAt(index);
    Word head = header_.map.load(std::memory_order_relaxed);
    Word link;
    do {
      link = (head & kIndexMask) - index - 1;
      StoreLink(block, static_cast<std::uint32_t>(link));
      ReleaseFence();
    } while (!CompareExchange<kSync>(header_.map, head, head - link + kPushAdd,
                                     kReleaseOrder<kSync>,
                                     std::memory_order_relaxed));
  }

  [[gnu::noinline]] void RaiseHighWaterCount(Word in_use) noexcept {
    RaiseTo<kSync>(header_.high_water, in_use);
  }

  alignas(std::max(kBlockAlignment, base::kCacheLineBytes))
      std::byte storage_[kCount * kStride]{};
  alignas(base::kCacheLineBytes) ListHeader header_;
  // One allocation-state byte per block (a byte, not a bit, so that
  // Allocate marks a block with one plain store instead of a second
  // read-modify-write loop).
  std::atomic<std::uint8_t> state_[kCount]{};
};

}  // namespace pool::internal

#endif  // LIBS_POOL_PUBLIC_POOL_LIST_POOL_H_
