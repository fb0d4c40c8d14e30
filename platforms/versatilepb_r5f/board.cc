// Board support for QEMU's Versatile PB machine with a Cortex-R5F core
// (qemu-system-arm -M versatilepb -cpu cortex-r5f).
#include <cstdint>

#include "board/board.h"
#include "board/network_uart.h"
#include "platforms/common/board_internal.h"
#include "platforms/drivers/pl011_uart.h"
#include "platforms/drivers/pl031_rtc.h"
#include "platforms/drivers/sp804_timer.h"
#include "platforms/versatilepb_r5f/clock_extension.h"

namespace board {
namespace {

constexpr std::uint32_t kUartClockHz = 24'000'000;
constexpr std::uint32_t kConsoleBaud = 115'200;
constexpr drivers::Pl011Uart kConsole(0x101f'1000);
// UART1 (QEMU serial port 1) carries the network link.
constexpr drivers::Pl011Uart kNetwork(0x101f'2000);
// Timer 0 of the first SP804 (0x101e2000), clocked at 1 MHz on this board.
constexpr drivers::Sp804Timer kClockTimer(0x101e'2000);
// The PL031 RTC: whole seconds, the coarse reference that tells how many
// times the timer wrapped between two readings (clock_extension.h).
constexpr drivers::Pl031Rtc kRtc(0x101e'8000);

// The previous clock reading, taken first when the timer starts.
versatilepb::ClockReading last_reading;

constexpr BoardInfo kInfo = {
    .name = "versatilepb_r5f",
    .core = "cortex-r5f",
    .cache_line_bytes = BOARD_CACHE_LINE_BYTES,
};

}  // namespace

const BoardInfo& Info() { return kInfo; }

std::uint64_t MonotonicMicroseconds() {
  // The SP804 counts down from 2^32 - 1 at 1 MHz; its elapsed count is
  // extended to 64 bits with the RTC's help (clock_extension.h), so time is
  // kept however long nobody calls this, even past a wrap (~71.6 minutes).
  // Single core, not from interrupt handlers.
  const std::uint32_t elapsed = ~kClockTimer.Value();
  const std::uint32_t rtc_seconds = kRtc.Seconds();
  last_reading = {
      .micros = versatilepb::ExtendTimer(last_reading, elapsed, rtc_seconds),
      .rtc_seconds = rtc_seconds,
  };
  return last_reading.micros;
}

void ConsoleWrite(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    kConsole.WriteByte(static_cast<std::uint8_t>(data[i]));
  }
}

std::optional<std::uint8_t> ConsoleTryRead() { return kConsole.TryReadByte(); }

void NetworkWrite(const std::uint8_t* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) kNetwork.WriteByte(data[i]);
}

std::optional<std::uint8_t> NetworkTryRead() { return kNetwork.TryReadByte(); }

namespace internal {

// PMSAv7 MPU (higher region numbers take priority):
//   region 0: whole 4 GiB      Device (shareable), execute-never
//   region 1: 0 .. 256 MiB     Normal, write-back write-allocate (RAM)
void EarlyInit() {
  constexpr std::uint32_t kRegions[2][3] = {
      // DRBAR, DRSR (size = 2^(field+1), enable), DRACR (XN, AP=full, TEX/C/B)
      {0x0000'0000u, (31u << 1) | 1u, (1u << 12) | (3u << 8) | 0b000'0'01u},
      {0x0000'0000u, (27u << 1) | 1u, (3u << 8) | (0b001u << 3) | 0b11u},
  };
  for (std::uint32_t i = 0; i < 2; ++i) {
    asm volatile("mcr p15, 0, %0, c6, c2, 0" ::"r"(i));  // RGNR
    asm volatile("mcr p15, 0, %0, c6, c1, 0" ::"r"(kRegions[i][0]));
    asm volatile("mcr p15, 0, %0, c6, c1, 2" ::"r"(kRegions[i][1]));
    asm volatile("mcr p15, 0, %0, c6, c1, 4" ::"r"(kRegions[i][2]));
  }
  std::uint32_t sctlr;
  asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  sctlr |= (1u << 0) | (1u << 2) | (1u << 12);  // M, C, I
  sctlr &= ~(1u << 1);                          // A: allow unaligned
  asm volatile("dsb\n mcr p15, 0, %0, c1, c0, 0\n isb" ::"r"(sctlr) : "memory");
}

void InitPeripherals() {
  kConsole.Init(kUartClockHz, kConsoleBaud);
  kNetwork.Init(kUartClockHz, kConsoleBaud);
  kClockTimer.StartFreeRunning();
  last_reading = {.micros = ~kClockTimer.Value(),
                  .rtc_seconds = kRtc.Seconds()};
}

}  // namespace internal
}  // namespace board
