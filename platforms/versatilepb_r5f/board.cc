// Board support for QEMU's Versatile PB machine with a Cortex-R5F core
// (qemu-system-arm -M versatilepb -cpu cortex-r5f).
//
// Interrupts (PL190 VIC at 0x1014_0000, QEMU hw/arm/versatilepb.c;
// platforms/README.md has the map):
//   line 12  console UART0 (0x101f_1000)
//   line 13  network UART1 (0x101f_2000)
//   line 4   SP804 at 0x101e_2000: its timer 2 is the wake-up (timer 1,
//            the clock, has its interrupt disabled)
//   line 0   software only (the watchdog's line; no watchdog is modelled
//            or used), for tests
#include "board/board.h"

#include <cstdint>

#include "board/idle.h"
#include "board/network_uart.h"
#include "platforms/common/board_internal.h"
#include "platforms/common/irq.h"
#include "platforms/common/uart_receiver.h"
#include "platforms/drivers/pl011_uart.h"
#include "platforms/drivers/pl031_rtc.h"
#include "platforms/drivers/pl190_vic.h"
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

// Timer 2 of the same SP804, 1 MHz too: the one-shot wake-up.
constexpr drivers::Sp804Timer kWakeupTimer(0x101e'2020);
constexpr drivers::Pl190Vic kVic(0x1014'0000);

constexpr std::uint32_t kTimerLine = 4;
constexpr std::uint32_t kConsoleLine = 12;
constexpr std::uint32_t kNetworkLine = 13;
constexpr std::uint32_t kSoftwareLine = 0;

// The previous clock reading, taken first when the timer starts.
versatilepb::ClockReading last_reading;

internal::IrqTable<32> irq_table;
internal::UartReceiver<drivers::Pl011Uart, kConsoleRingBytes> console_rx;
internal::UartReceiver<drivers::Pl011Uart, kNetworkRingBytes> network_rx;
volatile bool wakeup_fired = false;
// Microseconds still to wait after the running one-shot: a deadline further
// than the 32-bit counter reaches (71.6 minutes) takes several.
volatile std::uint64_t wakeup_remaining_us = 0;

void StartWakeupTimer(std::uint64_t us) {
  constexpr std::uint64_t kMaxShot = 0xffff'ffffu;
  const std::uint64_t shot = us < kMaxShot ? us : kMaxShot;
  wakeup_remaining_us = us - shot;
  kWakeupTimer.StartOneShot(static_cast<std::uint32_t>(shot));
}

void ConsoleRxIrq() { console_rx.OnInterrupt(kConsole); }
void NetworkRxIrq() { network_rx.OnInterrupt(kNetwork); }
void WakeupIrq() {
  if (!kWakeupTimer.InterruptPending()) return;  // the clock timer: never
  kWakeupTimer.Stop();                           // lowers the level
  if (wakeup_remaining_us != 0) {
    StartWakeupTimer(wakeup_remaining_us);
  } else {
    wakeup_fired = true;
  }
}

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

std::optional<std::uint8_t> ConsoleTryRead() {
  return console_rx.TryRead(kConsole);
}
UartReceiveStats ConsoleReceiveStats() { return console_rx.Stats(); }

void NetworkWrite(const std::uint8_t* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) kNetwork.WriteByte(data[i]);
}

std::optional<std::uint8_t> NetworkTryRead() {
  return network_rx.TryRead(kNetwork);
}
UartReceiveStats NetworkReceiveStats() { return network_rx.Stats(); }

bool InputPending() {
  return console_rx.Pending(kConsole) || network_rx.Pending(kNetwork);
}

void StartReceiveInterrupts() {
  const std::uint32_t state = MaskInterrupts();
  console_rx.Start(kConsole);
  network_rx.Start(kNetwork);
  RestoreInterrupts(state);
}

// The wake-up timer counts the same microseconds as the clock (both SP804
// counters at 1 MHz of virtual time), from now: it fires no earlier than
// the deadline, since the clock reading below rounds down and the time
// spent after it only adds.
void ArmWakeup(std::uint64_t deadline_us) {
  const std::uint32_t state = MaskInterrupts();
  const std::uint64_t now = MonotonicMicroseconds();
  wakeup_fired = false;
  StartWakeupTimer(deadline_us > now ? deadline_us - now : 1);
  RestoreInterrupts(state);
}

void CancelWakeup() {
  const std::uint32_t state = MaskInterrupts();
  kWakeupTimer.Stop();
  wakeup_remaining_us = 0;
  wakeup_fired = false;
  RestoreInterrupts(state);
}

bool WakeupDue() { return wakeup_fired; }

namespace internal {

bool AttachInterrupt(std::uint32_t irq, IrqHandler handler) {
  if (irq >= irq_table.kSize) return false;
  const std::uint32_t state = MaskInterrupts();
  if (handler == nullptr) kVic.Disable(irq);
  irq_table.Set(irq, handler);
  if (handler != nullptr) kVic.Enable(irq);
  RestoreInterrupts(state);
  return true;
}

std::uint32_t SoftwareTestIrq() { return kSoftwareLine; }
void TriggerSoftwareIrq() { kVic.SetSoftware(kSoftwareLine); }
void ClearSoftwareIrq() { kVic.ClearSoftware(kSoftwareLine); }

IrqCounters ReadIrqCounters() {
  return {.dispatched = irq_table.dispatched(),
          .unhandled = irq_table.unhandled()};
}

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
  // A byte received since reset (the FIFOs are off: one at most) would be
  // lost when Init turns the FIFOs on: stop the receivers, take it first.
  kConsole.Stop();
  kNetwork.Stop();
  const std::optional<std::uint8_t> console_early = kConsole.TryReadByte();
  const std::optional<std::uint8_t> network_early = kNetwork.TryReadByte();
  kConsole.Init(kUartClockHz, kConsoleBaud);
  kNetwork.Init(kUartClockHz, kConsoleBaud);
  kClockTimer.StartFreeRunning();
  last_reading = {.micros = ~kClockTimer.Value(),
                  .rtc_seconds = kRtc.Seconds()};
  kWakeupTimer.Stop();
  kVic.Init();
  AttachInterrupt(kConsoleLine, ConsoleRxIrq);
  AttachInterrupt(kNetworkLine, NetworkRxIrq);
  AttachInterrupt(kTimerLine, WakeupIrq);
  if (console_early.has_value()) console_rx.Keep(*console_early);
  if (network_early.has_value()) network_rx.Keep(*network_early);
  RestoreInterrupts(0);  // IRQs on (receive stays polled until asked)
}

}  // namespace internal
}  // namespace board

// Serves each line raised on entry (IRQSTATUS) once, lowest number first.
// Lines are levels, lowered by their handlers; one still raised afterwards
// (more input) is taken again on return, after the others had their turn.
// A line nobody handles is disabled, so it cannot keep the core in here.
extern "C" void board_irq_dispatch() {
  std::uint32_t status = board::kVic.IrqStatus();
  while (status != 0) {
    const auto line = static_cast<std::uint32_t>(__builtin_ctz(status));
    status &= status - 1;
    if (!board::irq_table.Dispatch(line)) board::kVic.Disable(line);
  }
}
