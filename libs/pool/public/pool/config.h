// Build-time configuration of the pool module: the memory model the atomic
// operations are written for.
//
// POOL_CONFIG_SMP = 1: pools may be shared between cores / host threads.
//   Atomics use acquire/release ordering (DMB barriers on Arm).
// POOL_CONFIG_SMP = 0: pools are shared between thread mode and interrupt
//   handlers of ONE core. Exclusivity still comes from LDREX/STREX (an
//   interrupt between them makes STREX fail: exception entry/return and any
//   STREX by the handler clear the local monitor), but ordering only needs
//   the compiler not to move accesses across the atomic operation, which a
//   signal fence gives at zero instruction cost. C++ defines exactly this
//   case: a signal handler running on the interrupted thread.
//
// Default: 0 for bare-metal Arm (the Cortex-R boards run one core), 1
// elsewhere. A board that shares pools between the two R52 cores must build
// with --copt=-DPOOL_CONFIG_SMP=1.
#ifndef LIBS_POOL_PUBLIC_POOL_CONFIG_H_
#define LIBS_POOL_PUBLIC_POOL_CONFIG_H_

#include <atomic>

#ifndef POOL_CONFIG_SMP
#if defined(__arm__) && !defined(__linux__)
#define POOL_CONFIG_SMP 0
#else
#define POOL_CONFIG_SMP 1
#endif
#endif

namespace pool::internal {

inline constexpr bool kSmp = POOL_CONFIG_SMP != 0;

// Orders used for the hardware atomic operations themselves.
inline constexpr std::memory_order kAcquire =
    kSmp ? std::memory_order_acquire : std::memory_order_relaxed;
inline constexpr std::memory_order kRelease =
    kSmp ? std::memory_order_release : std::memory_order_relaxed;

// Compiler-only ordering for the single-core model; nothing with SMP (the
// atomic operations already carry the order).
inline void AcquireFence() {
  if constexpr (!kSmp) std::atomic_signal_fence(std::memory_order_acquire);
}
inline void ReleaseFence() {
  if constexpr (!kSmp) std::atomic_signal_fence(std::memory_order_release);
}

}  // namespace pool::internal

#endif  // LIBS_POOL_PUBLIC_POOL_CONFIG_H_
