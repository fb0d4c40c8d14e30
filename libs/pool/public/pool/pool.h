// Pool<kBlockSize, kCount, kAlignment>: a fixed-block pool in static memory.
// LocalPool<kBlockSize, kCount, kAlignment>: the same pool for one thread of
// execution (no atomic read-modify-writes; see its contract below).
//
// Properties (README.md has the reasoning and the measured figures):
//  * constinit-able: the constructor is constexpr and the initial state is
//    all-zero bytes, so a global pool lives in .bss, costs no start-up code
//    and is usable from the first instruction of main() or of an interrupt.
//  * O(1), lock-free allocate and release, safe from interrupt handlers.
//    Worst case: one retry per concurrent operation on the same pool that
//    completes in between (lock-free, not wait-free).
//  * ONE atomic read-modify-write per operation for pools of up to 32 blocks
//    (Cortex-R) / 64 blocks (64-bit host): see "Bitmap pools" below.
//  * Zero per-block overhead: no header inside or next to a block. The only
//    metadata, outside the blocks: metadata_bytes().
//  * Every released block is wiped (SecureWipeFixed) before any other owner
//    can get it.
//  * Release of a foreign pointer or of a free block is detected, counted
//    and refused; it never changes which blocks are free.
//
// Bitmap pools (kCount <= bits of a machine word: every class of the boards)
// -------------------------------------------------------------------------
// The allocation map IS the free list: one atomic word, bit (W-1-i) set
// while block i is allocated (W = 32 on Cortex-R, 64 on the host; bits below
// W-kCount are unused and stay 0, so the all-zero pool is all free).
//  * Allocate: in one LDREX/STREX (CAS on x86) step, take the lowest clear
//    bit of the used region: bit = (map + unit) & ~map, unit = 1 << (W-kCount)
//    (zero when full), map |= bit. Block index = countl_zero(bit).
//  * Release: index = rotate_right(p - storage, log2(stride)) (one compare
//    rejects both out-of-range and misaligned pointers), wipe, then in one
//    LDREX/STREX step: refuse if the bit is clear (double release), else
//    clear it. Of two racing releases exactly one sees the bit set.
//  * No ABA problem (the word is the whole state; a CAS on it is correct
//    whatever happened in between), no links, no stale reads: a free block
//    is entirely zero.
//  * in_use = popcount(map); high-water exact, see RaiseHighWater().
//
// List pools (more blocks than a word has bits)
// ---------------------------------------------
// A Treiber stack threaded through the free blocks plus a one-byte-per-block
// allocation map (two atomic operations per allocate / release). Head word:
//   [ index : B ][ in_use : B ][ tag : rest ]   B = bit_width(kCount)
// index is the first free block (kCount = none), tag changes on every
// operation (ABA). The first 32-bit word of a free block i holds
//   link = next - i - 1   (two's complement)
// so an all-zero pool is the chain 0 -> 1 -> ... -> kCount-1 -> none, and
// pop computes the new head as head + link + constant.
#ifndef LIBS_POOL_PUBLIC_POOL_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_POOL_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "base/cache_line.h"
#include "base/secure_wipe.h"
#include "base/status.h"
#include "pool/config.h"
#include "pool/stats.h"
#include "pool/status.h"
#include "pool/unique_block.h"

namespace pool {

// How deep CheckInvariants() looks.
enum class Check : std::uint8_t {
  // Allocation state: bitmap consistent with the counters (bitmap pools);
  // free list bounds, no cycle, length = capacity - in_use, agreement with
  // the allocation map (list pools). O(capacity).
  kStructure,
  // kStructure, and every free block is zero (list pools: apart from its
  // link word) -- proof that each release wiped. O(capacity x block size).
  kStructureAndWipe,
};

struct PoolTestPeer;

namespace internal {

// Who may call a pool concurrently (declared in unique_block.h).
//  kShared: any thread, core or interrupt handler (atomic RMW operations).
//  kLocal:  one thread of execution at a time (plain loads and stores).
enum class Sync : std::uint8_t { kShared, kLocal };

// One machine word: 64-bit CAS on the host, 32-bit LDREX/STREX on Cortex-R.
using HeadWord =
    std::conditional_t<(sizeof(void*) >= 8), std::uint64_t, std::uint32_t>;
static_assert(std::atomic<HeadWord>::is_always_lock_free);
static_assert(std::atomic<std::uint8_t>::is_always_lock_free);
inline constexpr std::size_t kWordBits = 8 * sizeof(HeadWord);

// Single-core bare-metal Arm: the exclusive sequences are written by hand
// (GCC has no LL/SC intrinsic; its CAS needs a plain load before and a
// recomputation after the loop). Host and Linux builds use std::atomic.
#if defined(__arm__) && !defined(__linux__)
inline constexpr bool kArmExclusives = true;
#else
inline constexpr bool kArmExclusives = false;
#endif

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

constexpr std::size_t RoundUp(std::size_t value, std::size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

// Read-modify-write helpers: atomic for kShared, plain load + store for
// kLocal (still std::atomic objects, so a stats() reader on another thread
// is not a data race; relaxed loads and stores compile to plain moves).
template <Sync kSync, typename T>
inline bool CompareExchange(std::atomic<T>& a, T& expected, T desired,
                            std::memory_order success,
                            std::memory_order failure) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return a.compare_exchange_weak(expected, desired, success, failure);
  } else {
    const T current = a.load(std::memory_order_relaxed);
    if (current != expected) {
      expected = current;
      return false;
    }
    a.store(desired, std::memory_order_relaxed);
    return true;
  }
}

template <Sync kSync, typename T>
inline T Exchange(std::atomic<T>& a, T value) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return a.exchange(value, std::memory_order_relaxed);
  } else {
    const T previous = a.load(std::memory_order_relaxed);
    a.store(value, std::memory_order_relaxed);
    return previous;
  }
}

template <Sync kSync>
inline void Increment(std::atomic<std::uint32_t>& counter) noexcept {
  if constexpr (kSync == Sync::kShared) {
    counter.fetch_add(1, std::memory_order_relaxed);
  } else {
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_relaxed);
  }
}

// The metadata of a pool, apart from the list pools' state bytes.
struct Header {
  // Bitmap pools: the allocation map (bit W-1-i: block i allocated).
  // List pools: the Treiber head.
  std::atomic<HeadWord> map{0};
  // Bitmap pools: FillMask(high water). List pools: the high water count.
  std::atomic<HeadWord> high_water{0};
  std::atomic<std::uint32_t> allocation_failures{0};
  std::atomic<std::uint32_t> foreign_releases{0};
  std::atomic<std::uint32_t> double_releases{0};
  std::atomic<std::uint32_t> corruptions{0};
};

template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
class BasicPool {
  static_assert(kCount >= 1, "a pool needs at least one block");
  static_assert(kBlockSize >= 1, "blocks need at least one byte");
  static_assert(std::has_single_bit(kAlignment),
                "alignment must be a power of two");

  using Word = HeadWord;
  using SignedWord = std::make_signed_t<Word>;

 public:
  // The link word of list pools needs 4 aligned bytes.
  static constexpr std::size_t kBlockAlignment =
      std::max<std::size_t>(kAlignment, 4);
  // Distance between blocks: the block size rounded up to the alignment.
  static constexpr std::size_t kStride =
      internal::RoundUp(std::max<std::size_t>(kBlockSize, 4), kBlockAlignment);
  // True when the whole allocation state is one word (see the file comment).
  static constexpr bool kBitmap = kCount <= kWordBits;

 private:
  // --- Bitmap pools ---
  // Block i <-> bit (W-1-i); the used region is bits [W-kCount, W).
  static constexpr unsigned kUnusedBits =
      static_cast<unsigned>(kWordBits - (kBitmap ? kCount : 0));
  static constexpr Word kTopBit = Word{1} << (kWordBits - 1);
  static constexpr Word kUnit = Word{1} << (kUnusedBits % kWordBits);
  static constexpr bool kPowerOfTwoStride = std::has_single_bit(kStride);
  static constexpr unsigned kStrideShift =
      static_cast<unsigned>(std::countr_zero(kStride));
  // The high-water value h as stored: bits [W-kCount, W-kCount+h) set.
  static constexpr Word FillMask(std::size_t h) {
    if (h == 0) return 0;
    const Word upto = kUnusedBits + h >= kWordBits
                          ? ~Word{0}
                          : (Word{1} << (kUnusedBits + h)) - 1;
    return upto & ~(kUnit - 1);
  }

  // --- List pools ---
  static constexpr unsigned kIndexBits = std::bit_width(kCount);
  static constexpr unsigned kTagBits = kWordBits - 2 * kIndexBits;
  // An ABA failure needs a context stalled between its head read and its CAS
  // while exactly a multiple of 2^kTagBits operations complete on this pool
  // and the head returns to the same block with the same in_use.
  static_assert(kBitmap || kTagBits >= 16,
                "pool too large for the head word: split it");
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

  static constexpr std::memory_order kAcquireOrder =
      kSync == Sync::kShared ? internal::kAcquire : std::memory_order_relaxed;
  static constexpr std::memory_order kReleaseOrder =
      kSync == Sync::kShared ? internal::kRelease : std::memory_order_relaxed;

 public:
  constexpr BasicPool() noexcept = default;
  BasicPool(const BasicPool&) = delete;
  BasicPool& operator=(const BasicPool&) = delete;

  static constexpr std::size_t block_size() { return kStride; }
  static constexpr std::size_t capacity() { return kCount; }
  // Bytes of the pool object that are not block storage: the only overhead.
  static constexpr std::size_t metadata_bytes() {
    return sizeof(BasicPool) - sizeof(storage_);
  }

  // Returns a block of block_size() bytes, or nullptr when the pool is empty
  // (counted in allocation_failures) or, for list pools, its free list is
  // found corrupted (counted in corruptions). A block from a bitmap pool is
  // all zero; one from a list pool is zero except its first 4 bytes (a stale
  // link: a block-index delta, never a previous owner's data). O(1).
  [[nodiscard, gnu::always_inline]] void* Allocate() noexcept {
    return AllocateBlock(nullptr);
  }

  // As Allocate(); on nullptr, status says why (kExhausted or kCorrupted).
  [[nodiscard, gnu::always_inline]] void* Allocate(
      base::Status& status) noexcept {
    return AllocateBlock(&status);
  }

  // Releases a block from Allocate(): wipes it and returns it to the pool.
  // kForeignPointer: not the start of a block of this pool; nothing written.
  // kNotAllocated: the block is already free (double release); the block
  //   stays free and nobody else's block is affected (bitmap pools: the wipe
  //   runs before the check and writes zeros over an all-zero free block).
  // Neither error changes which blocks are free.
  [[gnu::always_inline]] base::Status Release(void* block) noexcept {
    const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(block) -
                                  reinterpret_cast<std::uintptr_t>(storage_);
    std::size_t index;
    if constexpr (kPowerOfTwoStride) {
      // One compare for range and alignment: a misaligned offset rotates
      // its low bits to the top and becomes huge.
      index = static_cast<std::size_t>(
          std::rotr(offset, static_cast<int>(kStrideShift)));
      if (index >= kCount) [[unlikely]] {
        return ForeignRelease(&header_);
      }
    } else {
      if (offset >= kCount * kStride || offset % kStride != 0) [[unlikely]] {
        return ForeignRelease(&header_);
      }
      index = offset / kStride;
    }
    if constexpr (kBitmap) {
      return ReleaseBit(index);
    } else {
      return ReleaseIndex(index);
    }
  }

  // Allocates a block owned by a UniqueBlock of size() = size (1 ..
  // block_size(), default the whole block).
  base::Result<UniqueBlock> Acquire(std::size_t size = kStride) noexcept {
    if (size == 0) return Code::kZeroSize;
    if (size > kStride) return Code::kSizeUnsupported;
    base::Status status;
    std::byte* block = AllocateBlock(&status);
    if (block == nullptr) return status;
    return UniqueBlock(internal::BlockOwnerKey(), this, &ReleaseThunk, block,
                       size, kStride);
  }

  // True when p is the start of a block of this pool (allocated or not).
  bool Owns(const void* p) const noexcept {
    const std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(p) -
                                  reinterpret_cast<std::uintptr_t>(storage_);
    return offset < kCount * kStride && offset % kStride == 0;
  }

  PoolStats stats() const noexcept {
    PoolStats s;
    s.block_size = kStride;
    s.capacity = kCount;
    if constexpr (kBitmap) {
      s.in_use = static_cast<std::size_t>(
          std::popcount(header_.map.load(std::memory_order_relaxed)));
      s.high_water = static_cast<std::size_t>(
          std::popcount(header_.high_water.load(std::memory_order_relaxed)));
    } else {
      s.in_use = InUse(header_.map.load(std::memory_order_relaxed));
      s.high_water = static_cast<std::size_t>(
          header_.high_water.load(std::memory_order_relaxed));
    }
    s.allocation_failures =
        header_.allocation_failures.load(std::memory_order_relaxed);
    s.foreign_releases =
        header_.foreign_releases.load(std::memory_order_relaxed);
    s.double_releases = header_.double_releases.load(std::memory_order_relaxed);
    s.corruptions = header_.corruptions.load(std::memory_order_relaxed);
    return s;
  }

  // Starts a new high-water period at the current in-use count.
  void ResetHighWater() noexcept {
    if constexpr (kBitmap) {
      header_.high_water.store(
          FillMask(static_cast<std::size_t>(
              std::popcount(header_.map.load(std::memory_order_relaxed)))),
          std::memory_order_relaxed);
    } else {
      header_.high_water.store(
          InUse(header_.map.load(std::memory_order_relaxed)),
          std::memory_order_relaxed);
    }
  }

  // Cross-checks the allocation state with the counters (list pools: walks
  // the free list). Returns kOk or kCorrupted. Only meaningful while no
  // other context is using the pool (tests, a diagnostics command, a
  // watchdog task that holds the users off). O(capacity), or O(storage)
  // with kStructureAndWipe.
  base::Status CheckInvariants(Check depth = Check::kStructure) const noexcept {
    if constexpr (kBitmap) {
      return CheckBitmap(depth);
    } else {
      return CheckList(depth);
    }
  }

 private:
  friend struct ::pool::PoolTestPeer;

  static base::Status ReleaseThunk(void* owner, std::byte* block) noexcept {
    return static_cast<BasicPool*>(owner)->Release(block);
  }

  std::byte* BlockAt(std::size_t index) noexcept {
    return storage_ + index * kStride;
  }

  // Slow paths: out of line, static, given the header (the fast paths keep
  // only the header and block addresses in registers).
  [[gnu::noinline, gnu::cold]] static base::Status ForeignRelease(
      Header* h) noexcept {
    Increment<kSync>(h->foreign_releases);
    return Code::kForeignPointer;
  }

  [[gnu::noinline, gnu::cold]] static base::Status DoubleRelease(
      Header* h) noexcept {
    ClearExclusive();
    Increment<kSync>(h->double_releases);
    return Code::kNotAllocated;
  }

  [[gnu::noinline, gnu::cold]] static std::byte* Exhausted(
      Header* h, base::Status* status) noexcept {
    ClearExclusive();
    Increment<kSync>(h->allocation_failures);
    if (status != nullptr) *status = Code::kExhausted;
    return nullptr;
  }

  // Leaves an exclusive sequence that branched out before its STREX: clears
  // the local monitor (hygiene: every STREX in the system follows its own
  // LDREX, so an open monitor could not make a later STREX succeed wrongly).
  static void ClearExclusive() noexcept {
    if constexpr (kSync == Sync::kShared && kArmExclusives) {
#if defined(__arm__)
      asm volatile("clrex" ::: "memory");
#endif
    }
  }

  [[gnu::always_inline]] std::byte* AllocateBlock(
      base::Status* status) noexcept {
    if constexpr (kBitmap) {
      return AllocateBit(status);
    } else {
      return AllocateFromList(status);
    }
  }

  // ---------------------------------------------------------------------------
  // Bitmap pools
  // ---------------------------------------------------------------------------

  // Cortex-R, the whole fast path in one asm statement:
  //   1: LDREX map,[h]; ADDS bit,map,#unit; BICS bit,bit,map; BEQ empty;
  //      ORRS map,map,bit; STREX s,map,[h]; CMP s,#0; BNE 1b
  //      [DMB ISH if POOL_CONFIG_SMP]  LDR high,[h,#4]; CLZ bit,bit;
  //      CMP map,high; ADD block,storage,bit,LSL #log2(stride); BHI raise
  // Exclusive window: LDREX .. STREX holds no other memory access; an
  // interrupt in between clears the monitor, STREX fails and the loop
  // retries (once per interrupt that ran in between). GCC's CAS would need
  // a plain load before the loop and the bit recomputed after it.
  [[gnu::always_inline]] std::byte* AllocateBit(base::Status* status) noexcept {
    Header* const h = &header_;
    std::byte* block;
    Word map;
    if constexpr (kSync == Sync::kShared && kArmExclusives &&
                  kPowerOfTwoStride) {
#if defined(__arm__)
      static_assert(sizeof(Word) == 4 && offsetof(Header, high_water) == 4);
      Word bit;
      Word status;
      block = storage_;  // in: the storage; out: the block (one register)
      asm volatile goto(
          "1:\n\t"
          "ldrex %[map], [%[h]]\n\t"
          "adds %[bit], %[map], %[unit]\n\t"
          "bics %[bit], %[bit], %[map]\n\t"
          "beq %l[empty]\n\t"
          "orrs %[map], %[map], %[bit]\n\t"
          "strex %[status], %[map], [%[h]]\n\t"
          "cmp %[status], #0\n\t"
          "bne 1b\n\t"
#if POOL_CONFIG_SMP
          "dmb ish\n\t"
#endif
          "ldr %[status], [%[h], #4]\n\t"
          "clz %[bit], %[bit]\n\t"
          "cmp %[map], %[status]\n\t"
          "add %[block], %[block], %[bit], lsl %[shift]\n\t"
          "bhi %l[raise]"
          : [map] "=&r"(map), [bit] "=&r"(bit), [status] "=&r"(status),
            [block] "+r"(block)
          : [h] "r"(h), [unit] "rI"(kUnit), [shift] "i"(kStrideShift)
          : "cc", "memory"
          : empty, raise);
      return block;
#endif
    } else if constexpr (kSync == Sync::kLocal) {
      map = h->map.load(std::memory_order_relaxed);
      const Word bit = (map + kUnit) & ~map;
      if (bit == 0) [[unlikely]] {
        goto empty;
      }
      map |= bit;
      h->map.store(map, std::memory_order_relaxed);
      block = BlockAt(static_cast<std::size_t>(std::countl_zero(bit)));
      if (map > h->high_water.load(std::memory_order_relaxed)) [[unlikely]] {
        goto raise;
      }
      return block;
    } else {
      Word bit;
      map = h->map.load(std::memory_order_relaxed);
      do {
        bit = (map + kUnit) & ~map;
        if (bit == 0) [[unlikely]] {
          goto empty;
        }
      } while (!CompareExchange<kSync>(h->map, map, map | bit, kAcquireOrder,
                                       std::memory_order_relaxed));
      map |= bit;
      block = BlockAt(static_cast<std::size_t>(std::countl_zero(bit)));
      // The new map is an exact snapshot: if its extent is within the stored
      // high-water fill mask, in_use = popcount(map) <= high water.
      if (map > h->high_water.load(std::memory_order_relaxed)) [[unlikely]] {
        goto raise;
      }
      return block;
    }
  raise:
    return RaiseHighWater(block, map, h);
  empty:
    return Exhausted(h, status);
  }

  // Release of block `index` (already range-checked). A plain read first
  // refuses a block that is free without writing anything. Then the wipe,
  // then the one atomic step -- Cortex-R exclusive window: LDREX; TST; BEQ;
  // BICS; STREX -- which refuses the release if a racing release of the
  // same block cleared the bit since the read (two contexts releasing one
  // block: exactly one succeeds). With POOL_CONFIG_SMP=1 a DMB before the
  // loop gives release ordering (the wipe is visible before the bit clears).
  [[gnu::always_inline]] base::Status ReleaseBit(std::size_t index) noexcept {
    Header* const h = &header_;
    const Word bit = kTopBit >> index;
    if ((h->map.load(std::memory_order_relaxed) & bit) == 0) [[unlikely]] {
      return DoubleRelease(h);
    }
    base::SecureWipeFixed<kStride, kBlockAlignment>(BlockAt(index));
    if constexpr (kSync == Sync::kShared && kArmExclusives) {
#if defined(__arm__)
      Word map;
      Word status;
      asm volatile goto(
#if POOL_CONFIG_SMP
          "dmb ish\n\t"
#endif
          "1:\n\t"
          "ldrex %[map], [%[h]]\n\t"
          "tst %[map], %[bit]\n\t"
          "beq %l[not_allocated]\n\t"
          "bics %[map], %[map], %[bit]\n\t"
          "strex %[status], %[map], [%[h]]\n\t"
          "cmp %[status], #0\n\t"
          "bne 1b\n\t"
          : [map] "=&r"(map), [status] "=&r"(status)
          : [h] "r"(h), [bit] "r"(bit)
          : "cc", "memory"
          : not_allocated);
      return base::OkStatus();
    not_allocated:
      return DoubleRelease(h);
#endif
    } else if constexpr (kSync == Sync::kShared) {
      if ((h->map.fetch_and(~bit, kReleaseOrder) & bit) == 0) [[unlikely]] {
        return DoubleRelease(h);
      }
      return base::OkStatus();
    } else {
      h->map.store(h->map.load(std::memory_order_relaxed) & ~bit,
                   std::memory_order_relaxed);
      return base::OkStatus();
    }
  }

  // High water: the stored value is FillMask(h). A caller that just made the
  // map `map` (an exact snapshot: its own successful STREX/CAS) and finds
  // map > FillMask(h) -- its extent is beyond h -- computes in_use =
  // popcount(map) and raises h to it if larger (atomic max). Maps within the
  // mask have in_use <= h, so every peak (right after some allocation) is
  // recorded. Runs when the extent grows; in a fragmented pool possibly on
  // every allocation beyond the mark (bounded: one CAS retry per concurrent
  // raise). Returns block (a tail call from the fast path).
  [[gnu::noinline]] static std::byte* RaiseHighWater(std::byte* block, Word map,
                                                     Header* h) noexcept {
    const Word want = FillMask(static_cast<std::size_t>(std::popcount(map)));
    Word seen = h->high_water.load(std::memory_order_relaxed);
    while (seen < want && !CompareExchange<kSync>(h->high_water, seen, want,
                                                  std::memory_order_relaxed,
                                                  std::memory_order_relaxed)) {
    }
    return block;
  }

  base::Status CheckBitmap(Check depth) const noexcept {
    const Word map = header_.map.load(std::memory_order_acquire);
    const Word high = header_.high_water.load(std::memory_order_relaxed);
    if ((map & (kUnit - 1)) != 0) return Code::kCorrupted;  // bits of no block
    const auto in_use = static_cast<std::size_t>(std::popcount(map));
    const auto high_water = static_cast<std::size_t>(std::popcount(high));
    if (high != FillMask(high_water) || high_water > kCount ||
        high_water < in_use) {
      return Code::kCorrupted;
    }
    if (depth == Check::kStructureAndWipe) {
      for (std::size_t index = 0; index < kCount; ++index) {
        if ((map & (kTopBit >> index)) != 0) continue;
        const std::byte* block = storage_ + index * kStride;
        for (std::size_t i = 0; i < kStride; ++i) {
          if (block[i] != std::byte{0}) return Code::kCorrupted;
        }
      }
    }
    return base::OkStatus();
  }

  // ---------------------------------------------------------------------------
  // List pools
  // ---------------------------------------------------------------------------

  static constexpr std::size_t InUse(Word head) {
    return static_cast<std::size_t>((head >> kIndexBits) & kIndexMask);
  }

  std::byte* AllocateFromList(base::Status* status) noexcept {
    Word head = header_.map.load(kAcquireOrder);
    for (;;) {
      const Word index = head & kIndexMask;
      if (index == kCount) [[unlikely]] {
        return Exhausted(&header_, status);
      }
      std::byte* const block = BlockAt(static_cast<std::size_t>(index));
      // Sign-extend: the link is a 32-bit two's-complement delta.
      const auto link = static_cast<Word>(static_cast<SignedWord>(
          static_cast<std::int32_t>(internal::LoadLink(block))));
      // next = index + 1 + link must lie in [0, kCount]. A value outside is
      // either a stale read (the block was popped and written meanwhile; the
      // head has then moved) or a free block overwritten through a stale
      // pointer: never follow it.
      if (index + link + 1 > kCount) [[unlikely]] {
        const Word now = header_.map.load(kAcquireOrder);
        if (now == head) {
          Increment<kSync>(header_.corruptions);
          if (status != nullptr) *status = Code::kCorrupted;
          return nullptr;
        }
        head = now;
        continue;
      }
      const Word next_head = head + link + kPopAdd;
      if (CompareExchange<kSync>(header_.map, head, next_head, kAcquireOrder,
                                 kAcquireOrder)) {
        internal::AcquireFence();
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

  base::Status ReleaseIndex(std::size_t index) noexcept {
    // Claim the release first: of two racing releases of one block only one
    // sees kAllocated, so a double release can never push a block twice.
    const std::uint8_t previous = Exchange<kSync>(state_[index], kFree);
    if (previous != kAllocated) [[unlikely]] {
      if (previous == kFree) return DoubleRelease(&header_);
      Increment<kSync>(header_.corruptions);
      return Code::kCorrupted;
    }
    std::byte* const block = BlockAt(index);
    // Wipe before the block is reachable from the free list; the link word
    // is written after the wipe.
    base::SecureWipeFixed<kStride, kBlockAlignment>(block);
    Word head = header_.map.load(std::memory_order_relaxed);
    Word link;
    do {
      link = (head & kIndexMask) - index - 1;
      internal::StoreLink(block, static_cast<std::uint32_t>(link));
      internal::ReleaseFence();
    } while (!CompareExchange<kSync>(header_.map, head, head - link + kPushAdd,
                                     kReleaseOrder, std::memory_order_relaxed));
    return base::OkStatus();
  }

  [[gnu::noinline]] void RaiseHighWaterCount(Word in_use) noexcept {
    Word seen = header_.high_water.load(std::memory_order_relaxed);
    while (seen < in_use &&
           !CompareExchange<kSync>(header_.high_water, seen, in_use,
                                   std::memory_order_relaxed,
                                   std::memory_order_relaxed)) {
    }
  }

  base::Status CheckList(Check depth) const noexcept {
    const Word head = header_.map.load(std::memory_order_acquire);
    const std::size_t in_use = InUse(head);
    if (in_use > kCount) return Code::kCorrupted;
    if (header_.high_water.load(std::memory_order_relaxed) < in_use)
      return Code::kCorrupted;
    const std::size_t expected_free = kCount - in_use;
    std::size_t listed = 0;
    // Each step visits a distinct block or the walk exceeds expected_free:
    // a cycle cannot hide, so no visited set is needed.
    for (std::size_t index = head & kIndexMask; index != kCount;) {
      if (index > kCount || ++listed > expected_free) return Code::kCorrupted;
      if (state_[index].load(std::memory_order_relaxed) != kFree)
        return Code::kCorrupted;
      const std::byte* block = storage_ + index * kStride;
      if (depth == Check::kStructureAndWipe) {
        for (std::size_t i = sizeof(std::uint32_t); i < kStride; ++i) {
          if (block[i] != std::byte{0}) return Code::kCorrupted;
        }
      }
      const auto link = static_cast<std::int32_t>(internal::LoadLink(block));
      const std::int64_t next = static_cast<std::int64_t>(index) + 1 + link;
      if (next < 0 || next > static_cast<std::int64_t>(kCount))
        return Code::kCorrupted;
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

  // ---------------------------------------------------------------------------
  // State. Storage first (block i is at this + i * stride), then the header
  // on its own cache line: on a multi-core host every operation writes the
  // allocation word, and sharing its line with blocks would add false
  // sharing to the true sharing. The Arm sequences address the header as
  // [h] (allocation word) and [h, #4] (high water).
  // ---------------------------------------------------------------------------
  struct Empty {};
  alignas(std::max(kBlockAlignment, base::kCacheLineBytes))
      std::byte storage_[kCount * kStride]{};
  alignas(base::kCacheLineBytes) Header header_;
  // List pools only: one allocation-state byte per block (a byte, not a
  // bit, so that Allocate marks a block with one plain store instead of a
  // second read-modify-write loop).
  [[no_unique_address]] std::conditional_t<kBitmap, Empty,
                                           std::atomic<std::uint8_t>[kCount]>
      state_ {};
};

}  // namespace internal

// A pool shared by any threads, cores and interrupt handlers.
template <std::size_t kBlockSize, std::size_t kCount,
          std::size_t kAlignment = alignof(std::max_align_t)>
class Pool : public internal::BasicPool<kBlockSize, kCount, kAlignment,
                                        internal::Sync::kShared> {
 public:
  constexpr Pool() noexcept = default;
};

// The same pool, same checks (wipe, exact double-release and foreign-pointer
// detection, stats, invariants), without atomic read-modify-writes.
// CONTRACT: all calls on one LocalPool come from one thread of execution at a
// time -- one thread and no interrupt handler, or callers serialised by a
// lock the caller holds. Breaking it can hand a block out twice. stats() may
// be read from anywhere (approximate while others run).
template <std::size_t kBlockSize, std::size_t kCount,
          std::size_t kAlignment = alignof(std::max_align_t)>
class LocalPool : public internal::BasicPool<kBlockSize, kCount, kAlignment,
                                             internal::Sync::kLocal> {
 public:
  constexpr LocalPool() noexcept = default;
};

}  // namespace pool

#endif  // LIBS_POOL_PUBLIC_POOL_POOL_H_
