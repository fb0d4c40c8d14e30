// The board interface on the development host: console is stdout, exit is
// std::exit, the cycle counter is the TSC.
#include <poll.h>
#include <unistd.h>
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

std::optional<std::uint8_t> ConsoleTryRead() {
  pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
  if (poll(&fd, 1, 0) != 1 || (fd.revents & POLLIN) == 0) return std::nullopt;
  std::uint8_t byte;
  if (read(STDIN_FILENO, &byte, 1) != 1) return std::nullopt;
  return byte;
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
