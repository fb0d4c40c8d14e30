// A minimal test-and-set spinlock for memory shared between cores.
//
// Cortex-R: LDREX/STREX on one word, DMB after acquiring and before
// releasing so that the protected accesses stay inside the lock. This is
// what two Cortex-R52 cores would need to share one workspace. Caveats:
//  * QEMU's mps3-an536 model is run with core 0 only, so the lock is never
//    contended on the emulated boards; the tests check its single-core
//    semantics (acquire, refuse while held, release).
//  * The AN536 application note warns that exclusive accesses between its
//    two R52 cores are not reliable (no global exclusive monitor on the
//    shared memory). Use the lock only in a memory configuration whose
//    system supports exclusives between the cores; otherwise give each core
//    its own workspace.
// Host: std::atomic_flag with acquire / release ordering.
//
// Not reentrant: a holder that locks again spins forever.
// BoardCriticalSection (board_critical_section.h) guards against that with a
// nesting depth.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_SPINLOCK_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_SPINLOCK_H_

#include <cstdint>

#if !defined(__arm__)
#include <atomic>
#endif

namespace workspace {

class Spinlock {
 public:
  constexpr Spinlock() = default;
  Spinlock(const Spinlock&) = delete;
  Spinlock& operator=(const Spinlock&) = delete;

  void Lock();
  // Takes the lock if free; never waits.
  bool TryLock();
  void Unlock();
  // A snapshot, for tests and assertions only.
  bool IsLockedForTesting() const;

 private:
#if defined(__arm__)
  // Its own word, as LDREX/STREX need (a reservation granule holds nothing
  // else useful that could make a neighbouring store clear it).
  alignas(8) volatile std::uint32_t word_ = 0;
#else
  std::atomic_flag flag_;
#endif
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_SPINLOCK_H_
