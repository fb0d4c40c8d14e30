// Instruction-count benchmarks on the emulated boards.
//
// Under QEMU with `-icount shift=0` every executed instruction advances
// virtual time by 1 ns, and board::ReadCycleCounter() counts at 1 GHz
// (Cortex-R5F: PMU cycle counter; Cortex-R52: generic timer, see
// platforms/README.md). A difference of two reads is therefore an exact,
// repeatable instruction count. Build a benchmark with firmware_benchmark()
// and `bazel run` it: each measurement prints one line
//
//   BENCH name=<name> instructions=<n> bytes=<b>
//   milli_instructions_per_byte=<m>
//
// On the host the counter is the TSC, so the numbers are cycles, not
// instructions; host benchmarks use Google Benchmark instead.
#ifndef PLATFORMS_BENCH_INSTRUCTION_COUNT_H_
#define PLATFORMS_BENCH_INSTRUCTION_COUNT_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "board/board.h"

namespace board_bench {

// Instructions spent by two back-to-back counter reads: subtracted from
// every measurement.
std::uint64_t MeasurementOverhead();

// Instructions executed by fn(), without the measurement's own cost.
template <typename Fn>
std::uint64_t CountInstructions(Fn&& fn) {
  const std::uint64_t overhead = MeasurementOverhead();
  const std::uint64_t start = board::ReadCycleCounter();
  fn();
  const std::uint64_t end = board::ReadCycleCounter();
  const std::uint64_t elapsed = end - start;
  return elapsed > overhead ? elapsed - overhead : 0;
}

// Prints one BENCH line on the console. bytes = 0 omits the per-byte figure.
void Report(std::string_view name, std::uint64_t instructions,
            std::size_t bytes = 0);

}  // namespace board_bench

#endif  // PLATFORMS_BENCH_INSTRUCTION_COUNT_H_
