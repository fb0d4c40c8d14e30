// Cortex-R critical section: interrupt masking plus a cross-core spinlock.
#include <cstdint>

#include "workspace/board_critical_section.h"
#include "workspace/spinlock.h"

namespace workspace {
namespace {

// AN536 has two R52 cores; Versatile PB one R5F. Aff0 of MPIDR selects the
// depth counter, which only its own core touches (with interrupts masked).
constexpr unsigned kMaxCores = 2;

constinit Spinlock cross_core_lock;
// Not volatile: every access sits between asm statements with "memory"
// clobbers, and only its own core writes an entry.
constinit unsigned depth[kMaxCores] = {};

constexpr std::uint32_t kCpsrIrqMask = 1u << 7;
constexpr std::uint32_t kCpsrFiqMask = 1u << 6;

inline unsigned CoreIndex() {
  std::uint32_t mpidr;
  asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
  return (mpidr & 0xffu) % kMaxCores;
}

inline std::uint32_t ReadCpsr() {
  std::uint32_t cpsr;
  asm volatile("mrs %0, cpsr" : "=r"(cpsr)::"memory");
  return cpsr;
}

}  // namespace

std::uint32_t BoardCriticalSection::Enter() {
  const std::uint32_t saved = ReadCpsr();
  // The "memory" clobber keeps every protected access after the mask.
  asm volatile("cpsid if" ::: "memory");
  const unsigned core = CoreIndex();
  if (depth[core]++ == 0) cross_core_lock.Lock();
  return saved;
}

void BoardCriticalSection::Leave(std::uint32_t state) {
  const unsigned core = CoreIndex();
  if (--depth[core] == 0) cross_core_lock.Unlock();
  // Restores I and F as they were on entry (the control field holds the
  // mode, unchanged, and the mask bits; the T bit is ignored by MSR).
  asm volatile("msr cpsr_c, %0" ::"r"(state) : "memory");
}

BoardCriticalSection& SystemCriticalSection() {
  static constinit BoardCriticalSection section;
  return section;
}

unsigned BoardCriticalSection::DepthForTesting() { return depth[CoreIndex()]; }

bool BoardCriticalSection::InterruptsMaskedForTesting() {
  const std::uint32_t cpsr = ReadCpsr();
  return (cpsr & (kCpsrIrqMask | kCpsrFiqMask)) ==
         (kCpsrIrqMask | kCpsrFiqMask);
}

}  // namespace workspace
