// Board support for the Arm MPS3 AN536 FPGA image (dual Cortex-R52) as
// modelled by QEMU's mps3-an536 machine.
#include <cstdint>

#include "board/board.h"
#include "board/network_uart.h"
#include "platforms/common/board_internal.h"
#include "platforms/drivers/cmsdk_uart.h"

namespace board {
namespace {

constexpr std::uint32_t kPeripheralClockHz = 50'000'000;
constexpr std::uint32_t kConsoleBaud = 115'200;
// UART0 is private to each core and sits at the same address for both.
constexpr drivers::CmsdkUart kConsole(0xe7c0'0000);
// The first shared UART (QEMU serial port 2) carries the network link.
constexpr drivers::CmsdkUart kNetwork(0xe020'5000);

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

std::optional<std::uint8_t> ConsoleTryRead() { return kConsole.TryReadByte(); }

void NetworkWrite(const std::uint8_t* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) kNetwork.WriteByte(data[i]);
}

std::optional<std::uint8_t> NetworkTryRead() { return kNetwork.TryReadByte(); }

namespace internal {

// PMSAv8-32 EL1 MPU. With the MPU off, Armv8-R treats every data access as
// Device-nGnRnE, where unaligned accesses fault; compiled code and newlib
// rely on unaligned access, so the MPU is on before any of it runs.
//   region 0: 0x0000_0000-0x7fff_ffff  Normal, write-back (TCMs, BRAM, DDR)
//   region 1: 0x8000_0000-0xffff_ffff  Device-nGnRnE, execute-never
void EarlyInit() {
  constexpr std::uint32_t kMair0 = 0x00'00'00'ffu;  // attr0 normal WB, attr1 device
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
  kNetwork.Init(kPeripheralClockHz, kConsoleBaud);
}

}  // namespace internal
}  // namespace board
