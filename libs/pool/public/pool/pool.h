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
//  * No header inside or next to a block; the metadata, outside the
//    blocks, is metadata_bytes().
//  * Every released block is wiped (base::SecureWipeFixed; bitmap pools on
//    Cortex-R: the same stores, pool/internal/wipe.h) before any other
//    owner can get it.
//  * Release of a foreign pointer or of a free block is detected, counted
//    and refused; so is the loser of two racing releases of one block. A
//    refusal never changes which blocks are free.
//
// Two algorithms, chosen by the block count, same API and guarantees:
//  * pool/bitmap_pool.h: up to one machine word of blocks (32 on Cortex-R,
//    64 on the host): one allocation word, one claim word per block.
//  * pool/list_pool.h: more blocks: a Treiber stack and a state byte per
//    block.
// The synchronisation (shared: LDREX/STREX or std::atomic; local: plain
// loads and stores) is pool/internal/sync.h.
#ifndef LIBS_POOL_PUBLIC_POOL_POOL_H_
#define LIBS_POOL_PUBLIC_POOL_POOL_H_

#include <cstddef>
#include <type_traits>

#include "pool/bitmap_pool.h"
#include "pool/internal/blocks.h"
#include "pool/internal/sync.h"
#include "pool/list_pool.h"

namespace pool {
namespace internal {

template <std::size_t kBlockSize, std::size_t kCount, std::size_t kAlignment,
          Sync kSync>
using BasicPool =
    std::conditional_t<(kCount <= kWordBits),
                       BitmapPool<kBlockSize, kCount, kAlignment, kSync>,
                       ListPool<kBlockSize, kCount, kAlignment, kSync>>;

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
