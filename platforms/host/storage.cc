// Board storage on the development host: a RAM image with the NOR rules, so
// host builds of storage users link and run. Nothing persists; the geometry
// matches the mps3_an536 stand-in so host tests see board-like sizes.
#include "board/storage.h"

#include <cstdint>

#include "platforms/common/storage_internal.h"

namespace board {
namespace {

constexpr StorageGeometry kGeometry = {
    .sector_bytes = 64 * 1024,
    .sector_count = 4,
    .program_bytes = 4,
    .persistent = false,
    .backend = "ram",
};

// Zeroed like a new backing file: never-erased storage is not 0xFF.
std::uint8_t image[storage_internal::TotalBytes(kGeometry)];
constexpr storage_internal::RamNor kNor(kGeometry, image);

}  // namespace

const StorageGeometry& StorageInfo() { return kGeometry; }

bool StorageRead(std::size_t offset, std::uint8_t* out, std::size_t size) {
  return kNor.Read(offset, out, size);
}

bool StorageProgram(std::size_t offset, const std::uint8_t* data,
                    std::size_t size) {
  return kNor.Program(offset, data, size);
}

bool StorageErase(std::size_t sector) { return kNor.Erase(sector); }

}  // namespace board
