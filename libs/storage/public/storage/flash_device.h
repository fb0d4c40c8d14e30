// The storage device the record store runs on: NOR-flash-like memory.
//
// NOR flash rules, which every implementation enforces and the record store
// relies on:
// - Erase(sector) sets every byte of one sector to 0xFF;
// - Program can only clear bits: each byte becomes old & data, so a byte
//   can be programmed again as long as no bit goes from 0 back to 1;
// - offset and size of Program are multiples of program_bytes().
// An operation interrupted by a power cut may leave any prefix of its bytes
// done (FlashCode::kPowerLost); the record store is written so that this
// never loses committed data.
//
// Every operation returns a base::Status: base::OkStatus() on success, else
// one FlashCode (domain "flash").
#ifndef LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_
#define LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"

namespace storage {

// The refusals of a FlashDevice (domain "flash").
enum class FlashCode : std::uint8_t {
  kOutOfRange = 1,  // offset/size or sector beyond the device
  kMisaligned,      // Program offset or size not a multiple of program_bytes()
  kDeviceFailed,    // the device reported an error
  kPowerLost,       // the operation was cut short by a power loss
};

constexpr base::Domain StatusDomain(FlashCode) { return base::Domain::kFlash; }

// "flash.out_of_range", "flash.misaligned", "flash.device_failed",
// "flash.power_lost".
constexpr std::string_view CodeName(FlashCode code) {
  switch (code) {
    case FlashCode::kOutOfRange:
      return "flash.out_of_range";
    case FlashCode::kMisaligned:
      return "flash.misaligned";
    case FlashCode::kDeviceFailed:
      return "flash.device_failed";
    case FlashCode::kPowerLost:
      return "flash.power_lost";
  }
  return "";
}

class FlashDevice {
 public:
  virtual std::size_t sector_bytes() const = 0;
  virtual std::size_t sector_count() const = 0;
  virtual std::size_t program_bytes() const = 0;  // 1, 2, 4 or 8

  // Offsets are in bytes from the start of the device (sector s starts at
  // s * sector_bytes()).
  virtual base::Status Read(std::size_t offset,
                            std::span<std::uint8_t> out) = 0;
  virtual base::Status Program(std::size_t offset,
                               std::span<const std::uint8_t> data) = 0;
  virtual base::Status Erase(std::size_t sector) = 0;

 protected:
  // Not deleted through this interface: devices are static objects.
  ~FlashDevice() = default;
};

}  // namespace storage

#endif  // LIBS_STORAGE_PUBLIC_STORAGE_FLASH_DEVICE_H_
