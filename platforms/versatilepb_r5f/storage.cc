// Board storage on the Versatile PB: its CFI parallel NOR flash.
//
// QEMU's versatilepb machine has a pflash_cfi01 device at 0x34000000: 64 MiB,
// 256 KiB blocks, a 32-bit bank (Intel/Sharp command set), the same part
// real boards carry. Attached to a file (run_firmware.sh --storage=FILE:
// -drive if=pflash,format=raw,file=FILE, exactly 64 MiB) QEMU writes every
// program and erase through to the file before the guest's write returns,
// so the data survives QEMU being killed. Without a drive QEMU keeps the
// flash in RAM: the same driver runs, nothing persists.
//
// The firmware cannot see whether a drive is attached, so the runner says
// so: with --storage it also passes `--storage=FILE` on the semihosting
// command line, and `persistent` reports whether that token is there.
//
// The whole device is the storage: nothing else lives in this flash (images
// are loaded into RAM).
//
// Every program and erase ends by ringing QEMU's main loop (WakeHostLoop):
// QEMU writes the flash through to its file from the vCPU thread and, while
// it waits for that write, polls the main loop's wake-up event itself, so a
// wake-up the UARTs had just posted (the receive interrupt emptied a full
// FIFO) can be consumed there and never reach the main loop, which then
// leaves the network socket unread until something else wakes it.
// platforms/README.md, "Receive stalls after a flash write", has the
// evidence.
#include "board/storage.h"

#include <cstdint>
#include <cstring>

#include "platforms/common/semihosting.h"
#include "platforms/common/storage_internal.h"
#include "platforms/drivers/cfi01_flash.h"
#include "platforms/drivers/pl011_uart.h"

namespace board {
namespace {

constexpr drivers::Cfi01Flash kFlash(0x3400'0000);
// UART2, which the runner attaches to a null backend (it never receives):
// reading its data register is the doorbell.
constexpr drivers::Pl011Uart kHostDoorbell(0x101f'3000);

constexpr StorageGeometry kGeometry(bool persistent) {
  return {
      .sector_bytes = 256 * 1024,
      .sector_count = 256,
      // The bank is 32 bits wide: the chips program whole bus words.
      .program_bytes = 4,
      .persistent = persistent,
      .backend = "cfi-pflash",
  };
}
constexpr StorageGeometry kPersistent = kGeometry(true);
constexpr StorageGeometry kVolatile = kGeometry(false);

// Makes QEMU's main loop run one more round after a flash write, in which it
// re-evaluates everything a stolen wake-up was about (which sockets the
// UARTs can take input from, timer deadlines). QEMU's PL011 model tells the
// main loop to look at its input again on every data register read
// (qemu_chr_fe_accept_input), also when the FIFO is empty and the backend
// is the null one; UART2 never has input, so the read takes nothing from
// anybody. Rung after the last write of each operation, when QEMU no longer
// polls from the vCPU thread, the wake-up arrives. Without a backend (a
// runner other than run_firmware.sh) the read is harmless and wakes nothing.
void WakeHostLoop() { static_cast<void>(kHostDoorbell.ReadRx()); }

}  // namespace

const StorageGeometry& StorageInfo() {
  static const bool persistent =
      semihosting::CommandLineOption("--storage=").has_value();
  return persistent ? kPersistent : kVolatile;
}

bool StorageRead(std::size_t offset, std::uint8_t* out, std::size_t size) {
  if (!storage_internal::RangeValid(kPersistent, offset, size)) return false;
  // Whole aligned words only (Device memory), bytes picked out of them.
  while (size > 0) {
    const std::size_t word_offset = offset & ~std::size_t{3};
    const std::size_t skip = offset - word_offset;
    std::size_t n = 4 - skip;
    if (n > size) n = size;
    const std::uint32_t word = kFlash.ReadWord(word_offset);
    std::uint8_t bytes[4];
    std::memcpy(bytes, &word, sizeof bytes);
    std::memcpy(out, bytes + skip, n);
    offset += n;
    out += n;
    size -= n;
  }
  return true;
}

bool StorageProgram(std::size_t offset, const std::uint8_t* data,
                    std::size_t size) {
  if (!storage_internal::ProgramValid(kPersistent, offset, size)) return false;
  bool ok = true;
  bool wrote = false;
  for (std::size_t i = 0; ok && i < size; i += 4) {
    std::uint32_t value;
    std::memcpy(&value, data + i, sizeof value);
    // Real NOR clears only the 0 bits of the data, but QEMU's model stores
    // the word as given, setting bits too. Programming old & data gives NOR
    // semantics on both; words with nothing to clear are left alone.
    const std::uint32_t old = kFlash.ReadWord(offset + i);
    const std::uint32_t programmed = old & value;
    if (programmed == old) continue;
    ok = kFlash.ProgramWord(offset + i, programmed);
    wrote = true;
  }
  if (wrote) WakeHostLoop();
  return ok;
}

bool StorageErase(std::size_t sector) {
  if (sector >= kPersistent.sector_count) return false;
  const bool ok = kFlash.EraseBlock(sector * kPersistent.sector_bytes);
  WakeHostLoop();
  return ok;
}

}  // namespace board
