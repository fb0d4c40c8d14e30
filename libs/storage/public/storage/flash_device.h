// The storage device the record store runs on: NOR-flash-like memory.
//
// NOR flash rules, which every implementation enforces and the record store
// relies on:
// - Erase(sector) sets every byte of one sector to 0xFF;
// - Program can only clear bits: each byte becomes old & data, so a byte
//   can be programmed again as long as no bit goes from 0 back to 1;
// - offset and size of Program are multiples of program_bytes().
// An operation interrupted by a power cut may leave any prefix of its bytes
// done (kPowerLost); the record store is written so that this never loses
// committed data.
#ifndef LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_
#define LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace storage {

enum class FlashError : std::uint8_t {
  kOk = 0,
  kOutOfRange,    // offset/size or sector beyond the device
  kMisaligned,    // Program offset or size not a multiple of program_bytes()
  kDeviceFailed,  // the device reported an error
  kPowerLost,     // the operation was cut short by a power loss
};

// "ok", "out_of_range", "misaligned", "device_failed", "power_lost".
const char* FlashErrorName(FlashError error);

class FlashDevice {
 public:
  virtual std::size_t sector_bytes() const = 0;
  virtual std::size_t sector_count() const = 0;
  virtual std::size_t program_bytes() const = 0;  // 1, 2, 4 or 8

  // Offsets are in bytes from the start of the device (sector s starts at
  // s * sector_bytes()).
  virtual FlashError Read(std::size_t offset, std::span<std::uint8_t> out) = 0;
  virtual FlashError Program(std::size_t offset,
                             std::span<const std::uint8_t> data) = 0;
  virtual FlashError Erase(std::size_t sector) = 0;

 protected:
  // Not deleted through this interface: devices are static objects.
  ~FlashDevice() = default;
};

}  // namespace storage

#endif  // LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_
