// Internal: the wipe of a released bitmap-pool block.
//
// It is base::SecureWipeFixed (libs/base) -- same stores, same guarantee --
// except on Cortex-R, where it is base's STM zeroing with the register set
// {r0, r2, r12, lr} (base::internal::ArmZeroFixedFromR0R2), two of them
// coming in from the caller: the claim step of the release
// (pool/internal/sync.h, TakeWord) has just stored the zero in r0 and holds its
// STREX status, 0, in r2, so the release loads two zeros instead of four. On
// its own (no claim before it) the wipe is SecureWipeFixed, which loads all
// four (the benchmark's wipe_inline_<class> measures that).
//
// Why the bytes cannot be elided: the stores are a `volatile` asm statement
// with a "memory" clobber (never deleted, never merged), as in
// base::SecureWipeFixed. No trailing compiler barrier is needed: the block
// pointer is consumed by the asm itself (SecureWipeFixed's barrier keeps
// the pointer live, which costs the release a register copy).
//
// Nothing here is API: pool/pool.h is.
#ifndef LIBS_POOL_PUBLIC_POOL_INTERNAL_WIPE_H_
#define LIBS_POOL_PUBLIC_POOL_INTERNAL_WIPE_H_

#include <cstddef>

#include "base/secure_wipe.h"
#include "pool/internal/sync.h"

namespace pool::internal {

// Zeroes the kBytes block at `block` (kAlignment-aligned). `zeros` must come
// from a successful TakeWord or be default-constructed (all 0).
//   Cortex-R, kBytes <= 256: MOV r12,#0; MOV lr,#0; kBytes/16 x
//     STMIA p!,{r0,r2,r12,lr}
//   Cortex-R, larger: the same two MOVs; 1: 4 x STMIA; CMP p,end; BNE 1b
template <std::size_t kBytes, std::size_t kAlignment>
[[gnu::always_inline]] inline void WipeBlock(void* block,
                                             const Zeros& zeros) noexcept {
#if defined(__arm__)
  if constexpr (kAlignment >= 4 && kBytes % 16 == 0 &&
                (kBytes <= 256 || kBytes % 64 == 0)) {
    base::internal::ArmZeroFixedFromR0R2<kBytes>(block, zeros.stored,
                                                 zeros.status);
  } else {
    base::SecureWipeFixed<kBytes, kAlignment>(block);
  }
#else
  static_cast<void>(zeros);
  base::SecureWipeFixed<kBytes, kAlignment>(block);
#endif
}

// The same wipe on its own, loading all four zero registers itself: that
// is base::SecureWipeFixed (its STM names r2 instead of r0; same stores,
// same instruction count).
template <std::size_t kBytes, std::size_t kAlignment>
[[gnu::always_inline]] inline void WipeBlock(void* block) noexcept {
  base::SecureWipeFixed<kBytes, kAlignment>(block);
}

}  // namespace pool::internal

#endif  // LIBS_POOL_PUBLIC_POOL_INTERNAL_WIPE_H_
