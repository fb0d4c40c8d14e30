// Internal: the wipe of a released bitmap-pool block.
//
// It is base::SecureWipeFixed (libs/base) -- same stores, same guarantee --
// except on Cortex-R, where its STM writes the zero registers {r0, r2, r12,
// lr} instead of {r2, r3, r12, lr}, and two of them come in from the
// caller: the claim step of the release (pool/internal/sync.h, TakeWord)
// has just stored the zero in r0 and holds its STREX status, 0, in r2, so
// the release loads two zeros instead of four. On its own (no claim before
// it) the wipe is SecureWipeFixed, which loads all four (the benchmark's
// wipe_inline_<class> measures that).
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
    // The registers the STM list names (see Zeros).
    register Word zero0 asm("r0") = zeros.stored;
    register Word zero2 asm("r2") = zeros.status;
    void* cursor = block;
    if constexpr (kBytes <= 256) {
      asm volatile(
          "mov r12, #0\n\t"
          "mov lr, #0\n\t"
          ".rept %c[n]\n\t"
          "stmia %[p]!, {r0, r2, r12, lr}\n\t"
          ".endr"
          : [p] "+r"(cursor)
          : [n] "i"(kBytes / 16), "r"(zero0), "r"(zero2)
          : "r12", "lr", "memory");
    } else {
      const void* end = static_cast<std::byte*>(block) + kBytes;
      asm volatile(
          "mov r12, #0\n\t"
          "mov lr, #0\n"
          "1:\n\t"
          "stmia %[p]!, {r0, r2, r12, lr}\n\t"
          "stmia %[p]!, {r0, r2, r12, lr}\n\t"
          "stmia %[p]!, {r0, r2, r12, lr}\n\t"
          "stmia %[p]!, {r0, r2, r12, lr}\n\t"
          "cmp %[p], %[end]\n\t"
          "bne 1b"
          : [p] "+r"(cursor)
          : [end] "r"(end), "r"(zero0), "r"(zero2)
          : "r12", "lr", "cc", "memory");
    }
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
