// The board interface on the development host: console is stdout, exit is
// std::exit, the cycle counter is the TSC.
#include <x86intrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "board/board.h"

namespace board {
namespace {

constexpr BoardInfo kInfo = {
    .name = "host",
    .core = "x86_64",
    .cache_line_bytes = BOARD_CACHE_LINE_BYTES,
};

}  // namespace

const BoardInfo& Info() { return kInfo; }

void ConsoleWrite(const char* data, std::size_t size) {
  std::fwrite(data, 1, size, stdout);
  std::fflush(stdout);
}

void Exit(int status) { std::exit(status); }

std::uint64_t MonotonicMicroseconds() {
  static const auto start = std::chrono::steady_clock::now();
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - start)
          .count());
}

std::uint64_t ReadCycleCounter() { return __rdtsc(); }

}  // namespace board
