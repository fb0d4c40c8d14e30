// Cycle counter of the Armv7-R PMU (Cortex-R5F: PMCCNTR), extended to 64
// bits in software. QEMU derives it from virtual time at 1 GHz; with
// `-icount shift=0` (one instruction per virtual nanosecond) it advances by
// exactly one per executed instruction: a deterministic instruction count.
#include <cstdint>

#include "board/board.h"

namespace board {
namespace {

std::uint32_t ReadPmccntr() {
  std::uint32_t value;
  asm volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(value));
  return value;
}

bool EnsureEnabled() {
  std::uint32_t pmcr;
  asm volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(pmcr));
  pmcr |= 1u;  // E: enable counters.
  asm volatile("mcr p15, 0, %0, c9, c12, 0" ::"r"(pmcr));
  asm volatile("mcr p15, 0, %0, c9, c12, 1" ::"r"(1u << 31));  // PMCNTENSET.C
  asm volatile("isb");
  return true;
}

}  // namespace

std::uint64_t ReadCycleCounter() {
  static const bool enabled = EnsureEnabled();
  (void)enabled;
  // Single core, called outside interrupt handlers: a plain 64-bit
  // extension by wrap detection is enough.
  static std::uint32_t last = 0;
  static std::uint64_t high = 0;
  asm volatile("isb" ::: "memory");
  const std::uint32_t now = ReadPmccntr();
  if (now < last) high += std::uint64_t{1} << 32;
  last = now;
  return high | now;
}

}  // namespace board
