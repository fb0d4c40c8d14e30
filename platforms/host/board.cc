// The board interface on the development host: console is stdout (input
// stdin), exit is std::exit, the cycle counter is the TSC. There are no
// interrupts: idle (board/idle.h) waits in poll(2) on stdin until the
// wake-up deadline.
#include "board/board.h"

#include <poll.h>
#include <unistd.h>
#include <x86intrin.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "board/idle.h"

namespace board {
namespace {

constexpr BoardInfo kInfo = {
    .name = "host",
    .core = "x86_64",
    .cache_line_bytes = BOARD_CACHE_LINE_BYTES,
};

constexpr std::uint64_t kNoDeadline = std::numeric_limits<std::uint64_t>::max();
std::uint64_t wakeup_deadline_us = kNoDeadline;
std::uint32_t console_received = 0;

// Whether stdin has a byte (or end of file) within timeout_ms (-1: ever).
bool StdinReadable(int timeout_ms) {
  pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
  return poll(&fd, 1, timeout_ms) == 1 && (fd.revents & POLLIN) != 0;
}

}  // namespace

const BoardInfo& Info() { return kInfo; }

void ConsoleWrite(const char* data, std::size_t size) {
  std::fwrite(data, 1, size, stdout);
  std::fflush(stdout);
}

std::optional<std::uint8_t> ConsoleTryRead() {
  if (!StdinReadable(0)) return std::nullopt;
  std::uint8_t byte;
  if (read(STDIN_FILENO, &byte, 1) != 1) return std::nullopt;
  ++console_received;
  return byte;
}

UartReceiveStats ConsoleReceiveStats() {
  return {.received = console_received,
          .ring_overruns = 0,
          .hardware_overruns = 0,
          .waiting = 0,
          .throttles = 0};
}

std::uint32_t MaskInterrupts() { return 0; }
void RestoreInterrupts(std::uint32_t) {}

void ArmWakeup(std::uint64_t deadline_us) { wakeup_deadline_us = deadline_us; }
void CancelWakeup() { wakeup_deadline_us = kNoDeadline; }
bool WakeupDue() {
  return wakeup_deadline_us != kNoDeadline &&
         MonotonicMicroseconds() >= wakeup_deadline_us;
}

bool InputPending() { return StdinReadable(0); }

void StartReceiveInterrupts() {}

namespace idle_internal {

void WaitMasked() {
  int timeout_ms = -1;
  if (wakeup_deadline_us != kNoDeadline) {
    const std::uint64_t now = MonotonicMicroseconds();
    if (now >= wakeup_deadline_us) return;
    // Rounded up to whole milliseconds: never returns before the deadline
    // unless input came.
    const std::uint64_t ms = (wakeup_deadline_us - now + 999) / 1000;
    timeout_ms = ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
  }
  pollfd fd = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
  if (poll(&fd, 1, timeout_ms) == 1 && (fd.revents & POLLIN) == 0) {
    // stdin closed or invalid: it will never bring input, so only the
    // deadline can end the wait.
    poll(nullptr, 0, timeout_ms);
  }
}

}  // namespace idle_internal

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
