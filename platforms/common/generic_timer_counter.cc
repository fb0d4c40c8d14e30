// Instruction/cycle counter and monotonic clock for Armv8-R (Cortex-R52):
// the generic timer's physical count, CNTPCT, at CNTFRQ.
//
// QEMU's Cortex-R52 model has a PMU with no working cycle counter (PMCCNTR
// stays 0), so the generic timer is the counter there. Under QEMU with
// `-icount shift=0` one instruction takes one virtual nanosecond; run with
// the timer at 1 GHz (run_firmware.sh --icount sets
// cortex-r52-arm-cpu.cntfrq=1000000000) the count is exactly one tick per
// executed instruction. On hardware it counts timer ticks at CNTFRQ.
// The start-up code lets EL1 read it (CNTHCTL.EL1PCTEN).
#include <cstdint>

#include "board/board.h"

namespace board {

namespace {

std::uint64_t ReadCntpct() {
  std::uint32_t low;
  std::uint32_t high;
  // ISB: do not let the read move ahead of the code being measured.
  asm volatile("isb\n mrrc p15, 0, %0, %1, c14"
               : "=r"(low), "=r"(high)::"memory");
  return (std::uint64_t{high} << 32) | low;
}

}  // namespace

std::uint64_t ReadCycleCounter() { return ReadCntpct(); }

std::uint64_t MonotonicMicroseconds() {
  std::uint32_t frequency_hz;
  asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frequency_hz));  // CNTFRQ
  const std::uint64_t ticks = ReadCntpct();
  // ticks * 1e6 / f without overflow for any realistic uptime: split.
  return (ticks / frequency_hz) * 1'000'000 +
         (ticks % frequency_hz) * 1'000'000 / frequency_hz;
}

}  // namespace board
