// Pool<kBlockSize, kCount, kAlignment>: a fixed-block pool in static memory.
//
// Properties (README.md has the reasoning and the measured figures):
//  * constinit-able: the constructor is constexpr and the initial state is
//    all-zero bytes, so a global pool lives in .bss, costs no start-up code
//    and is usable from the first instruction of main() or of an interrupt.
//  * O(1), lock-free allocate and release: a Treiber stack threaded through
//    the free blocks, its head one atomic word updated by compare-and-swap
//    (LDREX/STREX on Cortex-R, LOCK CMPXCHG on x86-64). Safe to call from
//    interrupt handlers. Worst case: one CAS retry per concurrent operation
//    that completes in between (lock-free, not wait-free).
//  * ABA-safe: the head word carries a modification tag that changes on
//    every successful operation.
//  * Zero per-block overhead: no header inside or next to a block. The only
//    metadata is the head word, four counters and one state byte per block
//    (the allocation map), all outside the blocks: metadata_bytes().
//  * Every released block is wiped (SecureWipeFixed) before it is put back on
//    the free list. A block handed out is zero except its first 4 bytes,
//    which hold a stale free-list link (a block index delta, never data of
//    a previous owner); clearing it would cost the fast path 2-3 instructions.
//  * Release of a foreign pointer or of a free block is detected, counted
//    and refused; it never touches the free list.
//
// Head word layout (32 bits on Cortex-R, 64 on the host), from bit 0:
//   [ index : B ][ in_use : B ][ tag : rest ]   B = bit_width(kCount)
// index is the first free block (kCount = none). Keeping in_use in the same
// word makes the in-use count and high-water mark exact at no extra atomic
// operation.
//
// Free-list encoding: the first 32-bit word of a free block i holds
//   link = next - i - 1   (two's complement)
// so an all-zero pool is the chain 0 -> 1 -> ... -> kCount-1 -> none, which
// is what makes the zero state "all free" without a bump pointer. It also
// lets pop compute the new head as head + link + constant: one add for
// index, in_use and tag together.
#ifndef LIBS_POOL_PUBLIC_POOL_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_POOL_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "board/cache.h"
#include "pool/config.h"
#include "pool/error.h"
#include "pool/secure_wipe.h"
#include "pool/stats.h"
#include "pool/unique_block.h"

namespace pool {

// How deep CheckInvariants() looks.
enum class Check : std::uint8_t {
  // Free list: bounds, no cycle, length = capacity - in_use, agreement with
  // the allocation map. O(capacity).
  kStructure,
  // kStructure, and every free block is zero apart from its link word
  // (proof that each release wiped). O(capacity x block size).
  kStructureAndWipe,
};

namespace internal {

// One machine word: 64-bit CAS on the host, 32-bit LDREX/STREX on Cortex-R.
using HeadWord = std::conditional_t<(sizeof(void*) >= 8), std::uint64_t, std::uint32_t>;
static_assert(std::atomic<HeadWord>::is_always_lock_free);
static_assert(std::atomic<std::uint8_t>::is_always_lock_free);

// The stale-read race of a Treiber stack: a popper may read the link word of
// a block that another context has just popped and is writing. The value is
// then discarded (the CAS fails because the tag moved), but ThreadSanitizer
// cannot know that, so this one load is left uninstrumented.
#if defined(__SANITIZE_THREAD__)
[[gnu::no_sanitize_thread, gnu::noinline]]
#endif
inline std::uint32_t LoadLink(const std::byte* block) noexcept {
  return __atomic_load_n(reinterpret_cast<const std::uint32_t*>(block), __ATOMIC_RELAXED);
}

inline void StoreLink(std::byte* block, std::uint32_t link) noexcept {
  __atomic_store_n(reinterpret_cast<std::uint32_t*>(block), link, __ATOMIC_RELAXED);
}

constexpr std::size_t RoundUp(std::size_t value, std::size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace internal

template <std::size_t kBlockSize, std::size_t kCount,
          std::size_t kAlignment = alignof(std::max_align_t)>
class Pool {
  static_assert(kCount >= 1, "a pool needs at least one block");
  static_assert(kBlockSize >= 1, "blocks need at least one byte");
  static_assert(std::has_single_bit(kAlignment), "alignment must be a power of two");

  using HeadWord = internal::HeadWord;
  using SignedHeadWord = std::make_signed_t<HeadWord>;

 public:
  // The link word needs 4 aligned bytes.
  static constexpr std::size_t kBlockAlignment = std::max<std::size_t>(kAlignment, 4);
  // Distance between blocks: the block size rounded up to the alignment.
  static constexpr std::size_t kStride =
      internal::RoundUp(std::max<std::size_t>(kBlockSize, 4), kBlockAlignment);

 private:
  static constexpr unsigned kHeadBits = 8 * sizeof(HeadWord);
  static constexpr unsigned kIndexBits = std::bit_width(kCount);
  static constexpr unsigned kTagBits = kHeadBits - 2 * kIndexBits;
  // An ABA failure needs a context stalled between its head read and its CAS
  // while exactly a multiple of 2^kTagBits operations complete on this pool
  // and the head returns to the same block with the same in_use. 2^16 is the
  // smallest period accepted; the boards' classes get 20-24 bits.
  static_assert(kTagBits >= 16, "pool too large for the head word: split it");

  static constexpr HeadWord kIndexMask = (HeadWord{1} << kIndexBits) - 1;
  static constexpr HeadWord kInUseOne = HeadWord{1} << kIndexBits;
  static constexpr HeadWord kTagOne = HeadWord{1} << (2 * kIndexBits);
  // head + link + kPopAdd: index := next, in_use += 1, tag += 1.
  static constexpr HeadWord kPopAdd = 1 + kInUseOne + kTagOne;
  // head - link + kPushAdd (link = head.index - i - 1): index := i,
  // in_use -= 1, tag += 1.
  static constexpr HeadWord kPushAdd = kTagOne - kInUseOne - 1;

  static constexpr std::uint8_t kFree = 0;
  static constexpr std::uint8_t kAllocated = 1;

 public:
  constexpr Pool() noexcept = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  static constexpr std::size_t block_size() { return kStride; }
  static constexpr std::size_t capacity() { return kCount; }
  // Bytes of the pool object that are not block storage: the only overhead.
  static constexpr std::size_t metadata_bytes() { return sizeof(Pool) - sizeof(storage_); }

  // Returns a block of block_size() bytes (zero after its first 4 bytes, see
  // above), or nullptr when the pool is empty (counted in
  // allocation_failures) or its free list is found corrupted (counted in
  // corruptions). O(1); lock-free.
  [[nodiscard]] void* Allocate() noexcept {
    Error error = Error::kOk;
    return AllocateBlock(error);
  }

  // As Allocate(); on nullptr, error says why (kExhausted or kCorrupted).
  [[nodiscard]] void* Allocate(Error& error) noexcept { return AllocateBlock(error); }

  // Releases a block from Allocate(): wipes it and returns it to the pool.
  // kForeignPointer: not the start of a block of this pool.
  // kNotAllocated: the block is already free (double release).
  // Neither error modifies the pool apart from its error counter.
  Error Release(void* block) noexcept {
    const std::uintptr_t offset =
        reinterpret_cast<std::uintptr_t>(block) - reinterpret_cast<std::uintptr_t>(storage_);
    if (offset >= kCount * kStride || offset % kStride != 0) [[unlikely]] {
      foreign_releases_.fetch_add(1, std::memory_order_relaxed);
      return Error::kForeignPointer;
    }
    return ReleaseIndex(offset / kStride);
  }

  // Allocates a block owned by a UniqueBlock of size() = size (1 ..
  // block_size(), default the whole block).
  Result<UniqueBlock> Acquire(std::size_t size = kStride) noexcept {
    if (size == 0) return Error::kZeroSize;
    if (size > kStride) return Error::kSizeUnsupported;
    Error error = Error::kOk;
    std::byte* block = AllocateBlock(error);
    if (block == nullptr) return error;
    return UniqueBlock(internal::BlockOwnerKey(), this, &ReleaseThunk, block, size, kStride);
  }

  // True when p is the start of a block of this pool (allocated or not).
  bool Owns(const void* p) const noexcept {
    const std::uintptr_t offset =
        reinterpret_cast<std::uintptr_t>(p) - reinterpret_cast<std::uintptr_t>(storage_);
    return offset < kCount * kStride && offset % kStride == 0;
  }

  PoolStats stats() const noexcept {
    PoolStats s;
    s.block_size = kStride;
    s.capacity = kCount;
    s.in_use = InUse(head_.load(std::memory_order_relaxed));
    s.high_water = high_water_.load(std::memory_order_relaxed);
    s.allocation_failures = allocation_failures_.load(std::memory_order_relaxed);
    s.foreign_releases = foreign_releases_.load(std::memory_order_relaxed);
    s.double_releases = double_releases_.load(std::memory_order_relaxed);
    s.corruptions = corruptions_.load(std::memory_order_relaxed);
    return s;
  }

  // Starts a new high-water period at the current in-use count.
  void ResetHighWater() noexcept {
    high_water_.store(static_cast<std::uint32_t>(InUse(head_.load(std::memory_order_relaxed))),
                      std::memory_order_relaxed);
  }

  // Walks the free list and cross-checks it with the allocation map and the
  // counters. Returns kOk or kCorrupted. Only meaningful while no other
  // context is using the pool (tests, a diagnostics command, a watchdog
  // task that holds the users off). O(capacity), or O(storage) with
  // kStructureAndWipe.
  Error CheckInvariants(Check depth = Check::kStructure) const noexcept {
    const HeadWord head = head_.load(std::memory_order_acquire);
    const std::size_t in_use = InUse(head);
    if (in_use > kCount) return Error::kCorrupted;
    if (high_water_.load(std::memory_order_relaxed) < in_use) return Error::kCorrupted;
    const std::size_t expected_free = kCount - in_use;
    std::size_t listed = 0;
    // Each step visits a distinct block or the walk exceeds expected_free:
    // a cycle cannot hide, so no visited set is needed.
    for (std::size_t index = head & kIndexMask; index != kCount;) {
      if (index > kCount || ++listed > expected_free) return Error::kCorrupted;
      if (state_[index].load(std::memory_order_relaxed) != kFree) return Error::kCorrupted;
      const std::byte* block = storage_ + index * kStride;
      if (depth == Check::kStructureAndWipe) {
        for (std::size_t i = sizeof(std::uint32_t); i < kStride; ++i) {
          if (block[i] != std::byte{0}) return Error::kCorrupted;
        }
      }
      const auto link = static_cast<std::int32_t>(internal::LoadLink(block));
      const std::int64_t next = static_cast<std::int64_t>(index) + 1 + link;
      if (next < 0 || next > static_cast<std::int64_t>(kCount)) return Error::kCorrupted;
      index = static_cast<std::size_t>(next);
    }
    if (listed != expected_free) return Error::kCorrupted;
    // The listed blocks are distinct, all marked free, and as many as the
    // free count: so they are exactly the blocks the map marks free if the
    // map marks exactly in_use blocks allocated.
    std::size_t allocated = 0;
    for (std::size_t i = 0; i < kCount; ++i) {
      const std::uint8_t state = state_[i].load(std::memory_order_relaxed);
      if (state == kAllocated) {
        ++allocated;
      } else if (state != kFree) {
        return Error::kCorrupted;
      }
    }
    return allocated == in_use ? Error::kOk : Error::kCorrupted;
  }

 private:
  friend struct PoolTestPeer;

  static constexpr std::size_t InUse(HeadWord head) {
    return static_cast<std::size_t>((head >> kIndexBits) & kIndexMask);
  }

  std::byte* BlockAt(HeadWord index) noexcept { return storage_ + index * kStride; }

  // The allocation fast path. On Cortex-R: one plain load of the head, the
  // link load, a bounds check, then the CAS as LDREX / CMP / BNE / STREX:
  // the exclusive window holds only the compare, no other memory access.
  std::byte* AllocateBlock(Error& error) noexcept {
    HeadWord head = head_.load(internal::kAcquire);
    for (;;) {
      const HeadWord index = head & kIndexMask;
      if (index == kCount) [[unlikely]] {
        allocation_failures_.fetch_add(1, std::memory_order_relaxed);
        error = Error::kExhausted;
        return nullptr;
      }
      std::byte* const block = BlockAt(index);
      // Sign-extend: the link is a 32-bit two's-complement delta.
      const auto link = static_cast<HeadWord>(
          static_cast<SignedHeadWord>(static_cast<std::int32_t>(internal::LoadLink(block))));
      // next = index + 1 + link must lie in [0, kCount]. A value outside is
      // either a stale read (the block was popped and written meanwhile; the
      // head has then moved) or a free block overwritten through a stale
      // pointer: never follow it.
      if (index + link + 1 > kCount) [[unlikely]] {
        const HeadWord now = head_.load(internal::kAcquire);
        if (now == head) {
          corruptions_.fetch_add(1, std::memory_order_relaxed);
          error = Error::kCorrupted;
          return nullptr;
        }
        head = now;
        continue;
      }
      const HeadWord next_head = head + link + kPopAdd;
      if (head_.compare_exchange_weak(head, next_head, internal::kAcquire,
                                      internal::kAcquire)) {
        internal::AcquireFence();
        state_[index].store(kAllocated, std::memory_order_relaxed);
        const std::size_t in_use = InUse(next_head);
        if (in_use > high_water_.load(std::memory_order_relaxed)) [[unlikely]] {
          RaiseHighWater(static_cast<std::uint32_t>(in_use));
        }
        return block;
      }
    }
  }

  Error ReleaseIndex(std::size_t index) noexcept {
    // Claim the release first: of two racing releases of one block only one
    // sees kAllocated, so a double release can never push a block twice.
    const std::uint8_t previous = state_[index].exchange(kFree, std::memory_order_relaxed);
    if (previous != kAllocated) [[unlikely]] {
      if (previous == kFree) {
        double_releases_.fetch_add(1, std::memory_order_relaxed);
        return Error::kNotAllocated;
      }
      corruptions_.fetch_add(1, std::memory_order_relaxed);
      return Error::kCorrupted;
    }
    std::byte* const block = BlockAt(index);
    // Wipe before the block is reachable from the free list; the link word
    // is written after the wipe.
    SecureWipeFixed<kStride, kBlockAlignment>(block);
    HeadWord head = head_.load(std::memory_order_relaxed);
    HeadWord link;
    do {
      link = (head & kIndexMask) - index - 1;
      internal::StoreLink(block, static_cast<std::uint32_t>(link));
      internal::ReleaseFence();
    } while (!head_.compare_exchange_weak(head, head - link + kPushAdd, internal::kRelease,
                                          std::memory_order_relaxed));
    return Error::kOk;
  }

  [[gnu::noinline]] void RaiseHighWater(std::uint32_t in_use) noexcept {
    std::uint32_t seen = high_water_.load(std::memory_order_relaxed);
    while (seen < in_use &&
           !high_water_.compare_exchange_weak(seen, in_use, std::memory_order_relaxed)) {
    }
  }

  static Error ReleaseThunk(void* owner, std::byte* block) noexcept {
    return static_cast<Pool*>(owner)->Release(block);
  }

  // The head is alone on its cache line: on a multi-core host every
  // operation writes it, and sharing the line with blocks would add false
  // sharing to the true sharing.
  alignas(board::kCacheLineBytes) std::atomic<HeadWord> head_{0};
  std::atomic<std::uint32_t> high_water_{0};
  std::atomic<std::uint32_t> allocation_failures_{0};
  std::atomic<std::uint32_t> foreign_releases_{0};
  std::atomic<std::uint32_t> double_releases_{0};
  std::atomic<std::uint32_t> corruptions_{0};
  // The allocation map: one byte per block (a byte, not a bit, so that
  // Allocate marks a block with one plain store instead of a second
  // read-modify-write loop).
  std::atomic<std::uint8_t> state_[kCount]{};
  alignas(std::max(kBlockAlignment, board::kCacheLineBytes)) std::byte storage_[kCount * kStride]{};
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_POOL_H_
