// Calibration of the instruction-count method: a loop whose body compiles to
// a known, fixed instruction sequence, measured at three lengths. The count
// must grow by exactly (body instructions x iterations) and repeat from run
// to run.
#include <cstdint>

#include "platforms/bench/instruction_count.h"

namespace {

[[gnu::noinline]] void Loop(std::uint32_t iterations) {
  volatile std::uint32_t sink = 0;
  for (std::uint32_t i = 0; i < iterations; ++i) sink = sink + i;
}

}  // namespace

int main() {
  for (std::uint32_t n : {0u, 1000u, 2000u}) {
    const std::uint64_t count =
        board_bench::CountInstructions([n] { Loop(n); });
    char name[32] = "loop_";
    std::uint32_t v = n;
    char digits[12];
    int d = 0;
    do {
      digits[d++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    int pos = 5;
    while (d > 0) name[pos++] = digits[--d];
    board_bench::Report(std::string_view(name, static_cast<std::size_t>(pos)),
                        count);
  }
  return 0;
}
