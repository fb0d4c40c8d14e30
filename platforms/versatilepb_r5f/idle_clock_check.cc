// Keeps time across an idle gap longer than the SP804's 71.6-minute wrap,
// on the emulated board: sleeps (WFI) until a PL031 alarm two hours of
// virtual time later, without reading the clock meanwhile, then checks that
// board::MonotonicMicroseconds() advanced by two hours. Run with -icount
// (idle_clock_test.sh): QEMU then jumps virtual time to the next timer
// deadline while the core sleeps, so the two hours pass in milliseconds.
// Without the RTC the clock would show 2 h - 71.6 min.
#include <cstdint>
#include <string_view>

#include "board/board.h"
#include "platforms/drivers/mmio.h"
#include "platforms/drivers/pl031_rtc.h"

namespace {

constexpr drivers::Pl031Rtc kRtc(0x101e'8000);
// PL190 vectored interrupt controller; the RTC is its line 10.
constexpr std::uintptr_t kVicIntEnable = 0x1014'0010;
constexpr std::uintptr_t kVicIntEnClear = 0x1014'0014;
constexpr std::uint32_t kRtcLine = 1u << 10;

constexpr std::uint32_t kGapSeconds = 2 * 60 * 60;

void PrintNumber(std::uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) board::ConsoleWrite(&digits[--n], 1);
}

}  // namespace

int main() {
  const std::uint64_t before = board::MonotonicMicroseconds();
  const std::uint32_t rtc_before = kRtc.Seconds();
  // The interrupt only wakes the core: with IRQs masked no handler runs.
  asm volatile("cpsid i" ::: "memory");
  kRtc.SetAlarm(rtc_before + kGapSeconds);
  drivers::Write32(kVicIntEnable, kRtcLine);
  while (static_cast<std::int32_t>(kRtc.Seconds() -
                                   (rtc_before + kGapSeconds)) < 0) {
    asm volatile("wfi" ::: "memory");
  }
  drivers::Write32(kVicIntEnClear, kRtcLine);
  kRtc.ClearAlarm();
  const std::uint64_t after = board::MonotonicMicroseconds();

  const std::uint64_t elapsed = after - before;
  board::ConsoleWrite("idle gap: clock advanced ");
  PrintNumber(elapsed);
  board::ConsoleWrite(" us, RTC ");
  PrintNumber(kRtc.Seconds() - rtc_before);
  board::ConsoleWrite(" s\r\n");
  // The RTC reads whole seconds: the true gap is within a second of it.
  const std::uint64_t expected = std::uint64_t{kGapSeconds} * 1'000'000;
  const bool ok =
      elapsed + 1'000'000 >= expected && elapsed <= expected + 2'000'000;
  board::ConsoleWrite(ok ? "PASS\r\n" : "FAIL\r\n");
  return ok ? 0 : 1;
}
