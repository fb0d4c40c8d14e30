// Board support for the Arm MPS3 AN536 FPGA image (dual Cortex-R52) as
// modelled by QEMU's mps3-an536 machine.
//
// Interrupts (GICv3, QEMU hw/arm/mps3r.c; platforms/README.md has the map):
//   INTID 16 (PPI)  console UART0 receive (the core's private UART)
//   INTID 50 (SPI)  Ethernet controller (LAN9118 at 0xe030_0000): the
//                   network link, a frame received
//   INTID 30 (PPI)  generic timer, EL1 physical timer: the wake-up
//   INTID 1  (SGI)  software, for tests
#include "board/board.h"

#include <cstdint>
#include <limits>

#include "board/idle.h"
#include "board/network_uart.h"
#include "platforms/common/board_internal.h"
#include "platforms/common/ethernet_link.h"
#include "platforms/common/irq.h"
#include "platforms/common/uart_receiver.h"
#include "platforms/drivers/cmsdk_uart.h"
#include "platforms/drivers/generic_timer.h"
#include "platforms/drivers/gicv3.h"
#include "platforms/drivers/lan9118.h"

namespace board {
namespace {

constexpr std::uint32_t kPeripheralClockHz = 50'000'000;
constexpr std::uint32_t kConsoleBaud = 115'200;
// UART0 is private to each core and sits at the same address for both.
constexpr drivers::CmsdkUart kConsole(0xe7c0'0000);
// The network link is the Ethernet controller (QEMU: -nic/-netdev, see
// platforms/qemu/run_firmware.sh), carrying the same byte stream the
// network UART of the other board carries: QEMU's CMSDK UART takes one byte
// per round trip through its main loop, about 12 KB/s, where a frame of up
// to 1.5 KB arrives at once (platforms/README.md has the numbers).
constexpr drivers::Lan9118 kEthernet(0xe030'0000);

constexpr std::uint32_t kConsoleRxIntid = 16;
constexpr std::uint32_t kEthernetIntid = 50;
constexpr std::uint32_t kTimerIntid = 30;
constexpr std::uint32_t kSoftwareSgi = 1;
// Every interrupt the same priority: handlers never preempt each other.
constexpr std::uint8_t kPriority = 0x80;

drivers::Gicv3 gic(0xf000'0000, 0xf010'0000);
internal::IrqTable<32 + 96> irq_table;
internal::UartReceiver<drivers::CmsdkUart, kConsoleRingBytes> console_rx;
internal::EthernetLink<drivers::Lan9118, kNetworkRingBytes> network;
volatile bool wakeup_fired = false;

void ConsoleRxIrq() { console_rx.OnInterrupt(kConsole); }
void EthernetIrq() { network.OnInterrupt(kEthernet); }
void WakeupIrq() {
  drivers::GenericTimer::Disarm();  // lowers the level
  wakeup_fired = true;
}

// The first timer count at which MonotonicMicroseconds() >= deadline_us
// (it rounds down): ceil(deadline_us * f / 10^6), saturating.
std::uint64_t CountAt(std::uint64_t deadline_us) {
  const std::uint64_t f = drivers::GenericTimer::FrequencyHz();
  const std::uint64_t whole_seconds = deadline_us / 1'000'000;
  const std::uint64_t rest_us = deadline_us % 1'000'000;
  if (whole_seconds > std::numeric_limits<std::uint64_t>::max() / f - 1) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return whole_seconds * f + (rest_us * f + 999'999) / 1'000'000;
}

constexpr BoardInfo kInfo = {
    .name = "mps3_an536",
    .core = "cortex-r52",
    .cache_line_bytes = BOARD_CACHE_LINE_BYTES,
};

}  // namespace

const BoardInfo& Info() { return kInfo; }

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
  network.Write(kEthernet, data, size);
}

std::optional<std::uint8_t> NetworkTryRead() {
  return network.TryRead(kEthernet);
}
UartReceiveStats NetworkReceiveStats() { return network.Stats(); }

bool InputPending() {
  return console_rx.Pending(kConsole) || network.Pending(kEthernet);
}

void StartReceiveInterrupts() {
  const std::uint32_t state = MaskInterrupts();
  console_rx.Start(kConsole);
  network.Start(kEthernet);
  RestoreInterrupts(state);
}

void ArmWakeup(std::uint64_t deadline_us) {
  const std::uint32_t state = MaskInterrupts();
  wakeup_fired = false;
  drivers::GenericTimer::ArmAt(CountAt(deadline_us));
  RestoreInterrupts(state);
}

void CancelWakeup() {
  const std::uint32_t state = MaskInterrupts();
  drivers::GenericTimer::Disarm();
  wakeup_fired = false;
  RestoreInterrupts(state);
}

bool WakeupDue() { return wakeup_fired; }

namespace internal {

bool AttachInterrupt(std::uint32_t irq, IrqHandler handler) {
  if (irq >= irq_table.kSize) return false;
  const std::uint32_t state = MaskInterrupts();
  if (handler == nullptr) gic.Disable(irq);
  irq_table.Set(irq, handler);
  if (handler != nullptr) gic.Enable(irq, kPriority);
  RestoreInterrupts(state);
  return true;
}

std::uint32_t SoftwareTestIrq() { return kSoftwareSgi; }
void TriggerSoftwareIrq() { drivers::Gicv3::SendSgiToSelf(kSoftwareSgi); }
void ClearSoftwareIrq() {}  // an SGI is an edge: acknowledging it was enough

IrqCounters ReadIrqCounters() {
  return {.dispatched = irq_table.dispatched(),
          .unhandled = irq_table.unhandled()};
}

// PMSAv8-32 EL1 MPU. With the MPU off, Armv8-R treats every data access as
// Device-nGnRnE, where unaligned accesses fault; compiled code and newlib
// rely on unaligned access, so the MPU is on before any of it runs.
//   region 0: 0x0000_0000-0x7fff_ffff  Normal, write-back (TCMs, BRAM, DDR)
//   region 1: 0x8000_0000-0xffff_ffff  Device-nGnRnE, execute-never
void EarlyInit() {
  constexpr std::uint32_t kMair0 =
      0x00'00'00'ffu;  // attr0 normal WB, attr1 device
  constexpr std::uint32_t kRegions[2][2] = {
      // PRBAR: base | SH=inner (0b11 << 3) | AP=RW any EL (0b01 << 1) | XN
      // PRLAR: limit | AttrIndx << 1 | EN
      {0x0000'0000u | (3u << 3) | (1u << 1), 0x7fff'ffc0u | (0u << 1) | 1u},
      {0x8000'0000u | (1u << 1) | 1u, 0xffff'ffc0u | (1u << 1) | 1u},
  };
  asm volatile("mcr p15, 0, %0, c10, c2, 0" ::"r"(kMair0));
  for (std::uint32_t i = 0; i < 2; ++i) {
    asm volatile("mcr p15, 0, %0, c6, c2, 1" ::"r"(i));  // PRSELR
    asm volatile("mcr p15, 0, %0, c6, c3, 0" ::"r"(kRegions[i][0]));
    asm volatile("mcr p15, 0, %0, c6, c3, 1" ::"r"(kRegions[i][1]));
  }
  std::uint32_t sctlr;
  asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
  sctlr |= (1u << 0) | (1u << 2) | (1u << 12);  // M, C, I
  sctlr &= ~(1u << 1);                          // A: allow unaligned
  asm volatile("dsb\n mcr p15, 0, %0, c1, c0, 0\n isb" ::"r"(sctlr) : "memory");
}

void InitPeripherals() {
  kConsole.Init(kPeripheralClockHz, kConsoleBaud);
  drivers::GenericTimer::Disarm();  // CNTP_CTL resets to an UNKNOWN value
  if (!gic.Init()) {
    ConsoleWrite("FATAL: no GIC redistributor for this core\r\n");
    Exit(1);
  }
  AttachInterrupt(kConsoleRxIntid, ConsoleRxIrq);
  // Before its interrupt is enabled: out of reset the controller drives
  // its line active low, which the GIC would see as raised.
  if (!kEthernet.Init()) {
    ConsoleWrite("FATAL: no LAN9118 Ethernet controller\r\n");
    Exit(1);
  }
  network.Announce(kEthernet);  // the peer's window opens
  AttachInterrupt(kEthernetIntid, EthernetIrq);
  AttachInterrupt(kTimerIntid, WakeupIrq);
  RestoreInterrupts(0);  // IRQs on (receive stays polled until asked)
}

}  // namespace internal
}  // namespace board

// Serves the highest-priority pending interrupt: acknowledge (ICC_IAR1),
// run its handler, end it (ICC_EOIR1). Others still pending are taken again
// on return. An interrupt nobody handles is disabled, so it cannot keep the
// core in here.
extern "C" void board_irq_dispatch() {
  const std::uint32_t intid = drivers::Gicv3::Acknowledge();
  if (intid >= drivers::Gicv3::kFirstSpecialIntid) return;  // spurious
  if (!board::irq_table.Dispatch(intid)) board::gic.Disable(intid);
  drivers::Gicv3::EndOfInterrupt(intid);
}
