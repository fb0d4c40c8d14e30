// Mutual exclusion for the global workspace, one small interface per
// platform.
//
//   {
//     workspace::CriticalSection cs;   // enter
//     ...                              // exclusive access
//   }                                  // leave (restores what it found)
//
// Cortex-R (critical_section_cortex_r.cc): saves CPSR, masks IRQ and FIQ
// (`cpsid if`), and on the outermost entry of this core also takes a
// Spinlock (spinlock.h) so that a second R52 core sharing the memory is
// excluded too. Leaving restores the saved CPSR, so nesting is safe and a
// section entered with interrupts already masked leaves them masked. The
// code runs in a privileged mode (SVC), as cpsid requires.
//
// Host (critical_section_host.cc): a process-wide std::recursive_mutex, so
// threads are excluded and nesting on one thread is safe, as on the boards.
//
// The nesting depth is per core / per thread, and the spinlock is taken only
// at depth 0 -> 1: re-entering from inside never deadlocks.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_CRITICAL_SECTION_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_CRITICAL_SECTION_H_

#include <cstdint>

namespace workspace {

class [[nodiscard]] CriticalSection {
 public:
  CriticalSection();
  ~CriticalSection();
  CriticalSection(const CriticalSection&) = delete;
  CriticalSection& operator=(const CriticalSection&) = delete;

  // Nesting depth of the calling core / thread (0 outside any section).
  static unsigned DepthForTesting();
  // Cortex-R: whether IRQ and FIQ are masked in CPSR right now. Host: whether
  // the calling thread is inside a section.
  static bool InterruptsMaskedForTesting();

 private:
  std::uint32_t saved_state_;  // CPSR on Cortex-R; unused on the host
};

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_CRITICAL_SECTION_H_
