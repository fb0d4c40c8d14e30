// Intel/Sharp command set (CFI "primary vendor 0001") parallel NOR flash on
// a 32-bit bus: two x16 chips side by side, as on the Versatile PB and as
// QEMU's pflash_cfi01 models it with bank width 4 (its status reads return
// the status byte in both halves). Polled, one word at a time.
//
// Every access is an aligned 32-bit access: the flash window is Device
// memory (the MPU's background region), where unaligned accesses fault, and
// a bus word is what the chips program anyway.
#ifndef PLATFORMS_DRIVERS_CFI01_FLASH_H_
#define PLATFORMS_DRIVERS_CFI01_FLASH_H_

#include <cstddef>
#include <cstdint>

#include "platforms/drivers/mmio.h"

namespace drivers {

class Cfi01Flash {
 public:
  explicit constexpr Cfi01Flash(std::uintptr_t base) : base_(base) {}

  // A word in read-array mode. `offset` must be 4-byte aligned.
  std::uint32_t ReadWord(std::size_t offset) const {
    return Read32(base_ + offset);
  }

  // Word program (0x40, then the data): the chips clear the bits that are 0
  // in `value` and leave the rest. `offset` must be 4-byte aligned.
  bool ProgramWord(std::size_t offset, std::uint32_t value) const {
    Write32(base_ + offset, Command(kWordProgram));
    Write32(base_ + offset, value);
    return Finish(offset);
  }

  // Block erase (0x20, confirmed by 0xD0) of the block holding `offset`.
  bool EraseBlock(std::size_t offset) const {
    Write32(base_ + offset, Command(kBlockErase));
    Write32(base_ + offset, Command(kConfirm));
    return Finish(offset);
  }

 private:
  static constexpr std::uint8_t kWordProgram = 0x40;
  static constexpr std::uint8_t kBlockErase = 0x20;
  static constexpr std::uint8_t kConfirm = 0xd0;
  static constexpr std::uint8_t kReadStatus = 0x70;
  static constexpr std::uint8_t kClearStatus = 0x50;
  static constexpr std::uint8_t kReadArray = 0xff;
  // Status register bits, per chip: SR.7 ready; SR.5 erase error, SR.4
  // program error, SR.3 low programming voltage, SR.1 block locked.
  static constexpr std::uint32_t kReady = 0x80;
  static constexpr std::uint32_t kErrors = 0x20 | 0x10 | 0x08 | 0x02;
  // The same command or status byte for both chips of the bus word.
  static constexpr std::uint32_t BothChips(std::uint32_t byte) {
    return byte | byte << 16;
  }
  static constexpr std::uint32_t Command(std::uint8_t command) {
    return BothChips(command);
  }
  // Real parts take microseconds to seconds; QEMU is done at once. The
  // bound only keeps a dead part from hanging the caller.
  static constexpr std::uint32_t kPollLimit = 100'000'000;

  // Waits for both chips to be ready, checks their error bits, clears them
  // if set and returns the chips to read-array mode.
  bool Finish(std::size_t offset) const {
    Write32(base_ + offset, Command(kReadStatus));
    std::uint32_t status = 0;
    bool ready = false;
    for (std::uint32_t i = 0; i < kPollLimit && !ready; ++i) {
      status = Read32(base_ + offset);
      ready = (status & BothChips(kReady)) == BothChips(kReady);
    }
    const bool failed = !ready || (status & BothChips(kErrors)) != 0;
    if (failed) Write32(base_ + offset, Command(kClearStatus));
    Write32(base_ + offset, Command(kReadArray));
    return !failed;
  }

  std::uintptr_t base_;
};

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_CFI01_FLASH_H_
