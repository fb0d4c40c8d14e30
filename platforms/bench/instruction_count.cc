#include "platforms/bench/instruction_count.h"

#include <cstdio>

namespace board_bench {

std::uint64_t MeasurementOverhead() {
  static const std::uint64_t overhead = [] {
    const std::uint64_t start = board::ReadCycleCounter();
    const std::uint64_t end = board::ReadCycleCounter();
    return end - start;
  }();
  return overhead;
}

void Report(std::string_view name, std::uint64_t instructions,
            std::size_t bytes) {
  char line[160];
  int length;
  if (bytes == 0) {
    length = std::snprintf(line, sizeof line,
                           "BENCH name=%.*s instructions=%llu\r\n",
                           static_cast<int>(name.size()), name.data(),
                           static_cast<unsigned long long>(instructions));
  } else {
    // Integer arithmetic: no floating-point printf on the boards.
    const std::uint64_t milli_per_byte = instructions * 1000 / bytes;
    length = std::snprintf(line, sizeof line,
                           "BENCH name=%.*s instructions=%llu bytes=%lu "
                           "milli_instructions_per_byte=%llu\r\n",
                           static_cast<int>(name.size()), name.data(),
                           static_cast<unsigned long long>(instructions),
                           static_cast<unsigned long>(bytes),
                           static_cast<unsigned long long>(milli_per_byte));
  }
  if (length > 0) {
    board::ConsoleWrite(line, static_cast<std::size_t>(
                                  length < static_cast<int>(sizeof line)
                                      ? length
                                      : static_cast<int>(sizeof line) - 1));
  }
}

}  // namespace board_bench
