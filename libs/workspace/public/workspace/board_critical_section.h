// The board's base::CriticalSection: what the global workspace (global.h)
// and any other caller hand to code that needs mutual exclusion.
//
//   workspace::SetCryptoWorkspaceCriticalSection(
//       workspace::SystemCriticalSection());        // once, at start-up
//   {
//     base::CriticalSectionGuard guard(workspace::SystemCriticalSection());
//     ...                                          // exclusive access
//   }                                              // restores what it found
//
// Cortex-R (board_critical_section_cortex_r.cc): Enter() saves CPSR, masks
// IRQ and FIQ (`cpsid if`), and on the outermost entry of this core also
// takes a Spinlock (spinlock.h) so that a second R52 core sharing the
// memory is excluded too. Leave() restores the saved CPSR, so nesting is
// safe and a section entered with interrupts already masked leaves them
// masked. The code runs in a privileged mode (SVC), as cpsid requires.
//
// Host (board_critical_section_host.cc): a process-wide
// std::recursive_mutex, so threads are excluded and nesting on one thread
// is safe, as on the boards.
//
// The nesting depth is per core / per thread, and the spinlock is taken only
// at depth 0 -> 1: re-entering from inside never deadlocks.
//
// A platform-facing adaptor, not part of the workspace library: the
// library only knows base::CriticalSection.
#ifndef LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CRITICAL_SECTION_H_
#define LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CRITICAL_SECTION_H_

#include <cstdint>

#include "base/critical_section.h"

namespace workspace {

class BoardCriticalSection final : public base::CriticalSection {
 public:
  constexpr BoardCriticalSection() = default;
  BoardCriticalSection(const BoardCriticalSection&) = delete;
  BoardCriticalSection& operator=(const BoardCriticalSection&) = delete;

  // Returns the state Leave() restores (CPSR on Cortex-R; 0 on the host).
  std::uint32_t Enter() override;
  void Leave(std::uint32_t state) override;

  // Nesting depth of the calling core / thread (0 outside any section).
  static unsigned DepthForTesting();
  // Cortex-R: whether IRQ and FIQ are masked in CPSR right now. Host: whether
  // the calling thread is inside a section.
  static bool InterruptsMaskedForTesting();
};

// The one instance (its state is per core / thread, so one is all there is).
BoardCriticalSection& SystemCriticalSection();

}  // namespace workspace

#endif  // LIBS_WORKSPACE_PUBLIC_WORKSPACE_BOARD_CRITICAL_SECTION_H_
