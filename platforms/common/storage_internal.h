// Shared pieces of the board storage implementations: argument checks and
// the NOR rules on a RAM image (the volatile stand-ins and the host).
#ifndef PLATFORMS_COMMON_STORAGE_INTERNAL_H_
#define PLATFORMS_COMMON_STORAGE_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "board/storage.h"

namespace board::storage_internal {

constexpr std::size_t TotalBytes(const StorageGeometry& geometry) {
  return geometry.sector_bytes * geometry.sector_count;
}

// Written so that offset + size cannot overflow.
constexpr bool RangeValid(const StorageGeometry& geometry, std::size_t offset,
                          std::size_t size) {
  const std::size_t total = TotalBytes(geometry);
  return offset <= total && size <= total - offset;
}

constexpr bool ProgramValid(const StorageGeometry& geometry, std::size_t offset,
                            std::size_t size) {
  return RangeValid(geometry, offset, size) &&
         offset % geometry.program_bytes == 0 &&
         size % geometry.program_bytes == 0;
}

// NOR flash on a RAM image of TotalBytes(geometry) bytes.
class RamNor {
 public:
  constexpr RamNor(const StorageGeometry& geometry, std::uint8_t* image)
      : geometry_(geometry), image_(image) {}

  bool Read(std::size_t offset, std::uint8_t* out, std::size_t size) const {
    if (!RangeValid(geometry_, offset, size)) return false;
    if (size != 0) std::memcpy(out, image_ + offset, size);
    return true;
  }

  bool Program(std::size_t offset, const std::uint8_t* data,
               std::size_t size) const {
    if (!ProgramValid(geometry_, offset, size)) return false;
    for (std::size_t i = 0; i < size; ++i) image_[offset + i] &= data[i];
    return true;
  }

  bool Erase(std::size_t sector) const {
    if (sector >= geometry_.sector_count) return false;
    std::memset(image_ + sector * geometry_.sector_bytes, 0xff,
                geometry_.sector_bytes);
    return true;
  }

 private:
  const StorageGeometry& geometry_;
  std::uint8_t* image_;
};

}  // namespace board::storage_internal

#endif  // PLATFORMS_COMMON_STORAGE_INTERNAL_H_
