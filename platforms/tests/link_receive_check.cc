// Bytes that arrive on the network UART while the core is busy are all
// received, in order, none lost: the receive interrupt moves them into the
// ring while a long computation runs, and nothing reads the ring until the
// computation is over. The runner feeds kBytes bytes of the pattern
// Pattern(i) into the UART (link_receive_test.py, run_firmware.sh
// --network-input); more than a 4 KiB frame, less than the 8 KiB ring.
#include <cstdint>

#include "board/board.h"
#include "board/idle.h"
#include "board/network_uart.h"

namespace {

constexpr std::uint32_t kPreamble = 16;
constexpr std::uint32_t kBytes = 6000;
static_assert(kPreamble + kBytes <= board::kNetworkRingBytes);
// Preamble bytes start-up may lose at most (one in the PL011 before Init,
// one in flight while Init runs).
constexpr std::uint32_t kMaxPreambleLost = 2;
// Longest the busy phase may take for all bytes to arrive.
constexpr std::uint64_t kBusyLimitUs = 30'000'000;
// Shortest busy phase: the bytes arrive during a long computation.
constexpr std::uint64_t kBusyAtLeastUs = 200'000;

// Must match link_receive_test.py.
std::uint8_t Pattern(std::uint32_t i) {
  return static_cast<std::uint8_t>((i * 7) ^ (i >> 8) ^ 0x5a);
}

void PrintNumber(std::uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) board::ConsoleWrite(&digits[--n], 1);
}

void Report(const char* name, std::uint64_t value) {
  board::ConsoleWrite(name);
  board::ConsoleWrite("=");
  PrintNumber(value);
  board::ConsoleWrite(" ");
}

// A computation that keeps the core busy: rounds of xorshift64*.
std::uint64_t Work(std::uint64_t state, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    state *= 0x2545'f491'4f6c'dd1dull;
  }
  return state;
}

}  // namespace

int main() {
  const std::uint64_t start = board::MonotonicMicroseconds();
  std::uint64_t state = 0x9e37'79b9'7f4a'7c15ull;
  std::uint64_t elapsed = 0;
  // Busy, never reading the ring: only its counter is looked at.
  const auto arrived = [] {
    const board::UartReceiveStats now = board::NetworkReceiveStats();
    return now.received + now.ring_overruns;
  };
  while (elapsed < kBusyLimitUs &&
         (elapsed < kBusyAtLeastUs || arrived() < kPreamble + kBytes)) {
    if (arrived() >= kPreamble + kBytes - kMaxPreambleLost &&
        elapsed >= 2 * kBusyAtLeastUs) {
      break;  // start-up lost a preamble byte: nothing more will come
    }
    state = Work(state, 100'000);
    elapsed = board::MonotonicMicroseconds() - start;
  }
  const board::UartReceiveStats stats = board::NetworkReceiveStats();
  Report("busy_us", elapsed);
  Report("received_while_busy", stats.received);
  Report("ring_overruns", stats.ring_overruns);
  Report("hardware_overruns", stats.hardware_overruns);
  Report("work", state & 0xff);

  std::uint32_t preamble = 0;
  std::uint32_t count = 0;
  std::uint32_t mismatches = 0;
  while (const auto byte = board::NetworkTryRead()) {
    if (count == 0 && *byte == 0 && preamble < kPreamble) {
      ++preamble;  // Pattern(0) is not 0
      continue;
    }
    if (*byte != Pattern(count)) ++mismatches;
    ++count;
  }
  Report("preamble", preamble);
  Report("read", count);
  Report("mismatches", mismatches);
  board::ConsoleWrite("\r\n");
  const bool ok = stats.received == preamble + kBytes &&
                  stats.waiting == preamble + kBytes &&
                  preamble + kMaxPreambleLost >= kPreamble &&
                  stats.ring_overruns == 0 && stats.hardware_overruns == 0 &&
                  count == kBytes && mismatches == 0;
  board::ConsoleWrite(ok ? "PASS\r\n" : "FAIL\r\n");
  return ok ? 0 : 1;
}
