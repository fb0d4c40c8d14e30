// Bytes fed into the network link (the network UART; on mps3_an536 the
// Ethernet link, platforms/common/ethernet_link.h) are all received, in
// order, none lost, however much faster the sender is than the core: the
// runner feeds a zero preamble and then kBytes (64 KiB, eight rings' worth)
// bytes of Pattern(i) as fast as QEMU takes them (link_receive_test.py,
// run_firmware.sh --network-input).
//
// Phase 1: the core computes and reads nothing. The receive interrupt fills
// the 8 KiB ring (more than a 4 KiB frame arrives while the core is busy)
// and then throttles: the ring holds exactly its capacity, nothing is
// dropped, the rest waits in the UART and behind it in QEMU.
// Phase 2: a slow consumer reads a chunk, computes, reads the next: the
// receiver resumes and throttles again, many times; every byte arrives once,
// in order, with no ring or UART overrun.
#include <cstdint>

#include "board/board.h"
#include "board/idle.h"
#include "board/network_uart.h"

namespace {

constexpr std::uint32_t kPreamble = 16;
constexpr std::uint32_t kBytes = 64 * 1024;
constexpr std::uint32_t kRing = board::kNetworkRingBytes;
static_assert(kPreamble + kBytes >= 4 * kRing, "must overfill the ring");
// Preamble bytes start-up may lose at most (one in the PL011 before Init,
// one in flight while Init runs).
constexpr std::uint32_t kMaxPreambleLost = 2;
// Longest each phase may take.
constexpr std::uint64_t kPhaseLimitUs = 30'000'000;
// Phase 1 computes at least this long: time for the ring to fill, and then
// for a dropping receiver to drop.
constexpr std::uint64_t kBusyAtLeastUs = 300'000;
// Phase 2: at most kChunk bytes per kChunkUs of computation (12.8 KB/s).
// QEMU delivers faster when the host is idle (about 40 KB/s to the CMSDK
// UART, one byte per round trip through its main loop; 200 KB/s to the
// PL011), so the ring fills and throttles again: at least once more after
// the first resume (seen: 2 on mps3_an536, 12 on versatilepb_r5f). The
// CMSDK's rate falls with host load, hence no more is asked.
constexpr std::uint32_t kChunk = 256;
constexpr std::uint64_t kChunkUs = 20'000;
constexpr std::uint32_t kMinThrottles = 2;

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

std::uint32_t Arrived() {
  const board::UartReceiveStats now = board::NetworkReceiveStats();
  return now.received + now.ring_overruns;
}

// Checks the stream byte by byte: the zero preamble (what start-up left of
// it), then Pattern(0), Pattern(1), ...
struct Checker {
  std::uint32_t preamble = 0;
  std::uint32_t count = 0;
  std::uint32_t mismatches = 0;

  void Take(std::uint8_t byte) {
    if (count == 0 && byte == 0 && preamble < kPreamble) {
      ++preamble;  // Pattern(0) is not 0
      return;
    }
    if (byte != Pattern(count)) ++mismatches;
    ++count;
  }
};

}  // namespace

int main() {
  board::StartReceiveInterrupts();
  std::uint64_t state = 0x9e37'79b9'7f4a'7c15ull;

  // Phase 1: busy, never reading the ring (only its counters are looked
  // at) until the ring is full, and for kBusyAtLeastUs in any case.
  std::uint64_t start = board::MonotonicMicroseconds();
  std::uint64_t busy = 0;
  while (busy < kPhaseLimitUs && (busy < kBusyAtLeastUs || Arrived() < kRing)) {
    state = Work(state, 100'000);
    busy = board::MonotonicMicroseconds() - start;
  }
  const board::UartReceiveStats full = board::NetworkReceiveStats();
  Report("busy_us", busy);
  Report("received_while_busy", full.received);
  Report("waiting", full.waiting);
  Report("ring_overruns", full.ring_overruns);
  Report("throttles", full.throttles);
  board::ConsoleWrite("\r\n");
  const bool phase1_ok = full.received == kRing && full.waiting == kRing &&
                         full.ring_overruns == 0 &&
                         full.hardware_overruns == 0 && full.throttles == 1;

  // Phase 2: a slow consumer.
  Checker checker;
  start = board::MonotonicMicroseconds();
  std::uint64_t reading = 0;
  std::uint32_t chunks = 0;
  while (reading < kPhaseLimitUs && checker.count < kBytes) {
    for (std::uint32_t i = 0; i < kChunk; ++i) {
      const auto byte = board::NetworkTryRead();
      if (!byte.has_value()) break;
      checker.Take(*byte);
    }
    ++chunks;
    const std::uint64_t chunk_start = board::MonotonicMicroseconds();
    do {
      state = Work(state, 1'000);
    } while (board::MonotonicMicroseconds() - chunk_start < kChunkUs);
    reading = board::MonotonicMicroseconds() - start;
  }
  // Nothing beyond the input may appear: wait a little, read the rest.
  state = Work(state, 100'000);
  while (const auto byte = board::NetworkTryRead()) checker.Take(*byte);

  const board::UartReceiveStats stats = board::NetworkReceiveStats();
  Report("reading_us", reading);
  Report("chunks", chunks);
  Report("received", stats.received);
  Report("ring_overruns", stats.ring_overruns);
  Report("hardware_overruns", stats.hardware_overruns);
  Report("throttles", stats.throttles);
  Report("work", state & 0xff);
  Report("preamble", checker.preamble);
  Report("read", checker.count);
  Report("mismatches", checker.mismatches);
  board::ConsoleWrite("\r\n");
  const bool ok = phase1_ok && stats.received == checker.preamble + kBytes &&
                  stats.waiting == 0 &&
                  checker.preamble + kMaxPreambleLost >= kPreamble &&
                  stats.ring_overruns == 0 && stats.hardware_overruns == 0 &&
                  stats.throttles >= kMinThrottles && checker.count == kBytes &&
                  checker.mismatches == 0;
  board::ConsoleWrite(ok ? "PASS\r\n" : "FAIL\r\n");
  return ok ? 0 : 1;
}
