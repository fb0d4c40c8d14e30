// BitmapPool: the pool algorithm for up to one machine word of blocks (32 on
// Cortex-R, 64 on the host: every class of the boards). Use it through
// pool::Pool / pool::LocalPool (pool/pool.h), which choose it by block count.
//
// State, all in the header after the storage:
//   map      one word, bit (W-1-i) set while block i is in use: allocated, or
//            being wiped by its release. Bits below W-kCount stay 0, so the
//            all-zero (constinit, .bss) pool is all free.
//   claim[i] one word per block: block i's map bit while it is allocated and
//            no release has claimed it; 0 otherwise (free, or being
//            released). Written by Allocate (after taking the bit) and taken
//            back by the first Release.
//
//  * Allocate: one atomic step on the map takes the lowest clear bit
//    (bit = (map + unit) & ~map, map |= bit); index = countl_zero(bit); then
//    claim[index] = bit (a plain store: the block is ours).
//  * Release: index = rotr(p - storage, log2(stride)) (one compare rejects
//    out-of-range and misaligned pointers). Then the CLAIM, one atomic step
//    on claim[index]: take its value and leave 0 -- refused (kNotAllocated,
//    counted) if it already is 0, i.e. the block is free or another release
//    holds the claim. Then the wipe; the map bit is still set, so no
//    allocation can get the block meanwhile. Then one atomic step clears the
//    bit (release ordering: the wipe is visible first). On Cortex-R the
//    steps share registers: the zero the claim stored and its STREX status
//    are two of the wipe's four zero registers (pool/internal/wipe.h), and
//    the clear step's STREX status (0) is the ok Status returned.
//    Of two racing releases of one allocated block exactly one gets the
//    claim; the other is refused before it writes anything, so a block is
//    never freed twice and never wiped under a new owner by a loser.
//  * No ABA problem (each word's whole state is the value), no links, a free
//    block is entirely zero.
//  * High water exact and off the fast path: see RaiseHighWater().
#ifndef LIBS_POOL_PUBLIC_POOL_BITMAP_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_BITMAP_POOL_H_

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "base/cache_line.h"
#include "base/secure_wipe.h"
#include "base/status.h"
#include "pool/internal/blocks.h"
#include "pool/internal/sync.h"
#include "pool/internal/wipe.h"
#include "pool/stats.h"
#include "pool/status.h"
#include "pool/unique_block.h"

namespace pool::internal {

template <std::size_t kCount>
struct BitmapHeader {
  // First, so that claim[i] is [header + i * word] (STR with scaled index).
  std::atomic<Word> claim[kCount]{};
  std::atomic<Word> map{0};
  // FillMask(high water).
  std::atomic<Word> high_water{0};
  Counters counters;
};

template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
class BitmapPool {
  static_assert(kCount >= 1, "a pool needs at least one block");
  static_assert(kCount <= kWordBits, "bitmap pools hold one word of blocks");
  using G = Geometry<kBlockSize, kAlignment>;
  using Header = BitmapHeader<kCount>;

 public:
  static constexpr std::size_t kBlockAlignment = G::kBlockAlignment;
  static constexpr std::size_t kStride = G::kStride;
  static constexpr bool kBitmap = true;

 private:
  // Block i <-> bit (W-1-i); the used region is bits [W-kCount, W).
  static constexpr unsigned kUnusedBits =
      static_cast<unsigned>(kWordBits - kCount);
  static constexpr Word kTopBit = Word{1} << (kWordBits - 1);
  static constexpr Word kUnit = Word{1} << (kUnusedBits % kWordBits);
  static constexpr std::size_t kMapOffset = offsetof(Header, map);
  static constexpr std::size_t kHighWaterOffset = offsetof(Header, high_water);
  static_assert(kHighWaterOffset == kMapOffset + sizeof(Word));
  static_assert(!kArmExclusives || kHighWaterOffset <= 1020,
                "LDREX/LDR immediate offsets reach the header words");

  // The high-water value h as stored: bits [W-kCount, W-kCount+h) set.
  static constexpr Word FillMask(std::size_t h) {
    return internal::FillMask(h, kUnusedBits);
  }

 public:
  constexpr BitmapPool() noexcept = default;
  BitmapPool(const BitmapPool&) = delete;
  BitmapPool& operator=(const BitmapPool&) = delete;

  static constexpr std::size_t block_size() { return kStride; }
  static constexpr std::size_t capacity() { return kCount; }
  // Bytes of the pool object that are not block storage: the only overhead.
  static constexpr std::size_t metadata_bytes() {
    return sizeof(BitmapPool) - sizeof(storage_);
  }

  // A block of block_size() bytes, all zero, or nullptr when the pool is
  // empty (counted in allocation_failures). O(1).
  [[nodiscard, gnu::always_inline]] void* Allocate() noexcept {
    return AllocateBlock(nullptr);
  }

  // As Allocate(); on nullptr, status says why (kExhausted).
  [[nodiscard, gnu::always_inline]] void* Allocate(
      base::Status& status) noexcept {
    return AllocateBlock(&status);
  }

  // Releases a block from Allocate(): wipes it and returns it to the pool.
  // kForeignPointer: not the start of a block of this pool; nothing written.
  // kNotAllocated: the block is free, or another release of it is in
  //   progress (double release); nothing written.
  // Neither refusal changes which blocks are free.
  [[gnu::always_inline]] base::Status Release(void* block) noexcept {
    const std::size_t index = BlockIndex<kStride, kCount>(block, storage_);
    if (index >= kCount) [[unlikely]] {
      return ForeignRelease<kSync>(&header_.counters);
    }
    return ReleaseBlock(index, static_cast<std::byte*>(block));
  }

  // Allocates a block owned by a UniqueBlock of size() = size (1 ..
  // block_size(), default the whole block).
  base::Result<UniqueBlock> Acquire(std::size_t size = kStride) noexcept {
    return AcquireBlock<kStride>(
        BlockOwnerKey(), size, this, &ReleaseThunk,
        [this](base::Status* status) { return AllocateBlock(status); });
  }

  // True when p is the start of a block of this pool (allocated or not).
  bool Owns(const void* p) const noexcept {
    return BlockIndex<kStride, kCount>(p, storage_) < kCount;
  }

  PoolStats stats() const noexcept {
    PoolStats s;
    s.block_size = kStride;
    s.capacity = kCount;
    s.in_use = static_cast<std::size_t>(
        std::popcount(header_.map.load(std::memory_order_relaxed)));
    s.high_water = static_cast<std::size_t>(
        std::popcount(header_.high_water.load(std::memory_order_relaxed)));
    CopyCounters(header_.counters, s);
    return s;
  }

  // Starts a new high-water period at the current in-use count.
  void ResetHighWater() noexcept {
    header_.high_water.store(FillMask(static_cast<std::size_t>(std::popcount(
                                 header_.map.load(std::memory_order_relaxed)))),
                             std::memory_order_relaxed);
  }

  // Cross-checks map, claim words and high water: no bit outside the used
  // region, claim[i] == block i's map bit (quiescent: no release in
  // progress), a well-formed high-water mask >= in_use. Returns ok or
  // kCorrupted. Only meaningful while no other context uses the pool.
  // O(capacity), or O(storage) with kStructureAndWipe.
  base::Status CheckInvariants(Check depth = Check::kStructure) const noexcept {
    const Word map = header_.map.load(std::memory_order_acquire);
    const Word high = header_.high_water.load(std::memory_order_relaxed);
    if ((map & (kUnit - 1)) != 0) return Code::kCorrupted;  // bits of no block
    const auto in_use = static_cast<std::size_t>(std::popcount(map));
    const auto high_water = static_cast<std::size_t>(std::popcount(high));
    if (high != FillMask(high_water) || high_water > kCount ||
        high_water < in_use) {
      return Code::kCorrupted;
    }
    for (std::size_t index = 0; index < kCount; ++index) {
      const Word bit = kTopBit >> index;
      if (header_.claim[index].load(std::memory_order_relaxed) != (map & bit)) {
        return Code::kCorrupted;
      }
      if (depth != Check::kStructureAndWipe || (map & bit) != 0) continue;
      const std::byte* block = storage_ + index * kStride;
      for (std::size_t i = 0; i < kStride; ++i) {
        if (block[i] != std::byte{0}) return Code::kCorrupted;
      }
    }
    return base::OkStatus();
  }

 private:
  friend struct ::pool::PoolTestPeer;

  static base::Status ReleaseThunk(void* owner, std::byte* block) noexcept {
    return static_cast<BitmapPool*>(owner)->Release(block);
  }

  // Cortex-R, power-of-two strides: the whole fast path in one asm
  // statement, every address from the header register h:
  //   1: LDREX map,[h,#map]; ADDS bit,map,#unit; BICS bit,bit,map; BEQ empty;
  //      ORRS map,map,bit; STREX s,map,[h,#map]; CBZ s,2f; B 1b;
  //   2: [DMB ISH if SMP] CLZ s,bit; STR bit,[h,s,LSL #2] (claim);
  //      ADD block,storage,s,LSL #log2(stride); LDR s,[h,#high];
  //      CMP map,s; BHI raise
  // (GCC does not fold the addresses of the atomic claim store and
  // high-water load into the instructions; here they are.) One scratch
  // register s is the STREX status, the index and the high water, so the
  // sequence fits r0-r3 and r12: no register to save, and with the slow
  // paths reached by tail calls (pool/internal/sync.h) no stack frame.
  [[gnu::always_inline]] std::byte* AllocateBlock(
      base::Status* status) noexcept {
    Header* const h = OneBase(&header_);
    Word map;
    if constexpr (kArmExclusives && kSync == Sync::kLocal &&
                  G::kPowerOfTwoStride) {
#if defined(__arm__)
      // LocalPool: the same sequence with a plain LDR/STR of the map.
      Word bit;
      Word scratch;  // the index, then the high-water word
      std::byte* block = storage_;
      asm volatile goto(
          "ldr %[map], [%[h], %[map_off]]\n\t"
          "adds %[bit], %[map], %[unit]\n\t"
          "bics %[bit], %[bit], %[map]\n\t"
          "beq %l[local_empty]\n\t"
          "orrs %[map], %[map], %[bit]\n\t"
          "str %[map], [%[h], %[map_off]]\n\t"
          "clz %[scratch], %[bit]\n\t"
          "str %[bit], [%[h], %[scratch], lsl #2]\n\t"
          "add %[block], %[block], %[scratch], lsl %[shift]\n\t"
          "ldr %[scratch], [%[h], %[high_off]]\n\t"
          "cmp %[map], %[scratch]\n\t"
          "bhi %l[local_raise]"
          : [map] "=&r"(map), [bit] "=&r"(bit), [scratch] "=&r"(scratch),
            [block] "+r"(block)
          : [h] "r"(h), [map_off] "i"(kMapOffset),
            [high_off] "i"(kHighWaterOffset), [unit] "rI"(kUnit),
            [shift] "i"(G::kStrideShift)
          : "cc", "memory"
          : local_empty, local_raise);
      return block;
    local_raise:
      return RaiseHighWater(block, map, h);
    local_empty:
      return Exhausted<kSync>(&h->counters, status);
#endif
    } else if constexpr (kUseArmAsm<kSync> && G::kPowerOfTwoStride) {
#if defined(__arm__)
      static_assert(sizeof(Word) == 4);
      // bit in r12, so that block, map, h and scratch (a low register, for
      // CBZ) fit r0-r3: no register to save, no stack frame.
      register Word bit asm("r12");
      Word scratch;  // the STREX status, then the index, then the high water
      std::byte* block = storage_;  // in: the storage; out: the block
      asm volatile goto(
          "1:\n\t"
          "ldrex %[map], [%[h], %[map_off]]\n\t"
          "adds %[bit], %[map], %[unit]\n\t"
          "bics %[bit], %[bit], %[map]\n\t"
          "beq %l[empty]\n\t"
          "orrs %[map], %[map], %[bit]\n\t"
          "strex %[scratch], %[map], [%[h], %[map_off]]\n\t"
          "cbz %[scratch], 2f\n\t"
          "b 1b\n"
          "2:\n\t"
#if POOL_CONFIG_SMP
          "dmb ish\n\t"
#endif
          "clz %[scratch], %[bit]\n\t"
          "str %[bit], [%[h], %[scratch], lsl #2]\n\t"
          "add %[block], %[block], %[scratch], lsl %[shift]\n\t"
          "ldr %[scratch], [%[h], %[high_off]]\n\t"
          "cmp %[map], %[scratch]\n\t"
          "bhi %l[raise]"
          : [map] "=&r"(map), [bit] "=&r"(bit), [scratch] "=&l"(scratch),
            [block] "+r"(block)
          : [h] "r"(h), [map_off] "i"(kMapOffset),
            [high_off] "i"(kHighWaterOffset), [unit] "rI"(kUnit),
            [shift] "i"(G::kStrideShift)
          : "cc", "memory"
          : empty, raise);
      return block;
    raise:
      return RaiseHighWater(block, map, h);
    empty:
      return Exhausted<kSync>(&h->counters, status);
#endif
    } else {
      Word bit;
      map = TakeLowestClear<kSync, kMapOffset, kUnit>(h, bit);
      if (map == 0) [[unlikely]] {
        return Exhausted<kSync>(&h->counters, status);
      }
      const auto index = static_cast<std::size_t>(std::countl_zero(bit));
      h->claim[index].store(bit, std::memory_order_relaxed);
      std::byte* const block = storage_ + index * kStride;
      // The new map is an exact snapshot: if its extent is within the
      // stored high-water fill mask, in_use = popcount(map) <= high water.
      if (map > h->high_water.load(std::memory_order_relaxed)) [[unlikely]] {
        return RaiseHighWater(block, map, h);
      }
      return block;
    }
  }

  // Release of block `index` at `block` (range-checked): claim, wipe, clear.
  // The zero registers the claim leaves (Zeros) feed the wipe, and the ok
  // Status is the clear step's zero (see pool/internal/sync.h).
  [[gnu::always_inline]] base::Status ReleaseBlock(std::size_t index,
                                                   std::byte* block) noexcept {
    Header* const h = OneBase(&header_);
    Zeros zeros;
    const Word bit = Claim(h, index, zeros);
    if (bit == 0) [[unlikely]] {
      return DoubleRelease<kSync>(&h->counters);
    }
    WipeBlock<kStride, kBlockAlignment>(block, zeros);
    return Publish(h, bit, zeros);
  }

  // The claim step of Release (as ReleaseBlock runs it): block `index`'s map
  // bit if this caller now holds the release (and `zeros` for the wipe), 0
  // if the block is free or another release holds it.
  [[gnu::always_inline]] static Word Claim(Header* h, std::size_t index,
                                           Zeros& zeros) noexcept {
    return TakeWord<kSync>(h->claim[index], zeros);
  }

  // The last step of Release (as ReleaseBlock runs it): the (wiped) block
  // becomes allocatable. Returns ok.
  [[gnu::always_inline]] static base::Status Publish(
      Header* h, Word bit, const Zeros& zeros) noexcept {
    return base::Status::OkFromZero(
        ClearBits<kSync, kMapOffset>(h, bit, zeros.stored));
  }

  // High water: the stored value is FillMask(h). A caller that just made the
  // map `map` (an exact snapshot: its own successful STREX/CAS) and finds
  // map > FillMask(h) -- its extent is beyond h -- computes in_use =
  // popcount(map) and raises h to it if larger (atomic max). Maps within the
  // mask have in_use <= h, so every peak (right after some allocation) is
  // recorded. Runs when the extent grows; in a fragmented pool possibly on
  // every allocation beyond the mark (bounded: one CAS retry per concurrent
  // raise). Returns block (a tail call from the fast path; the work is
  // internal::RaiseHighWater, out of line).
  [[gnu::always_inline]] static std::byte* RaiseHighWater(std::byte* block,
                                                          Word map,
                                                          Header* h) noexcept {
    return internal::RaiseHighWater<kSync>(block, map, &h->high_water,
                                           kUnusedBits);
  }

  // Storage first (block i is at this + i * stride), then the header on its
  // own cache line: on a multi-core host every operation writes the map,
  // and sharing its line with blocks would add false sharing.
  alignas(std::max(kBlockAlignment, base::kCacheLineBytes))
      std::byte storage_[kCount * kStride]{};
  alignas(base::kCacheLineBytes) Header header_;
};

}  // namespace pool::internal

#endif  // LIBS_POOL_PUBLIC_POOL_BITMAP_POOL_H_
