// Board storage on the MPS3 AN536 under QEMU: a host file via semihosting.
//
// Why: QEMU's mps3-an536 model has no writable non-volatile memory (its QSPI
// flash is a ROM, its other memories are RAM), so persistence has to come
// from the host. The runner (run_firmware.sh --storage=FILE) creates FILE at
// the right size and passes `--storage=FILE` on the semihosting command line
// (-semihosting-config ...,arg=firmware,arg=--storage=FILE); this code reads
// it with SYS_GET_CMDLINE and opens FILE with SYS_OPEN "r+b". QEMU's native
// semihosting writes go straight to the host file with write(2), so the data
// is in the host's page cache when the call returns and survives QEMU being
// killed.
//
// NOR rules are emulated on the file: Program reads, ANDs and writes back;
// Erase writes 0xFF. Without --storage the same rules run on a RAM image
// (persistent = false, backend "ram"). If a file was asked for but cannot
// be opened or has the wrong size, every operation fails rather than
// silently falling back to RAM.
#include "board/storage.h"

#include <cstdint>
#include <cstring>

#include "platforms/common/semihosting.h"
#include "platforms/common/storage_internal.h"

namespace board {
namespace {

// The backing file: 4 x 64 KiB = 256 KiB. The RAM stand-in is smaller,
// 2 x 16 KiB (what a node's record store needs: two sectors that each hold
// its live records), because it costs .bss in every image that links
// storage, also when a file is used.
constexpr std::size_t kSectorBytes = 64 * 1024;
constexpr std::size_t kSectorCount = 4;

constexpr StorageGeometry kVolatile = {
    .sector_bytes = 16 * 1024,
    .sector_count = 2,
    .program_bytes = 4,
    .persistent = false,
    .backend = "ram",
};
constexpr StorageGeometry kFile = {
    .sector_bytes = kSectorBytes,
    .sector_count = kSectorCount,
    .program_bytes = 4,
    .persistent = true,
    .backend = "semihosting-file",
};
constexpr std::size_t kTotalBytes = storage_internal::TotalBytes(kFile);

// Zeroed like a new backing file: never-erased storage is not 0xFF.
std::uint8_t ram_image[storage_internal::TotalBytes(kVolatile)];
constexpr storage_internal::RamNor kRam(kVolatile, ram_image);

enum class Backend { kUnknown, kRam, kFile, kBroken };
Backend backend = Backend::kUnknown;
int file = -1;

Backend Resolve() {
  if (backend != Backend::kUnknown) return backend;
  const auto path = semihosting::CommandLineOption("--storage=");
  if (!path) return backend = Backend::kRam;
  static char name[512];
  if (path->empty() || path->size() >= sizeof name) {
    return backend = Backend::kBroken;
  }
  std::memcpy(name, path->data(), path->size());
  name[path->size()] = '\0';
  file = semihosting::Open(name, semihosting::OpenMode::kReadWriteBinary);
  if (file < 0) return backend = Backend::kBroken;
  if (semihosting::FileLength(file) != static_cast<std::int64_t>(kTotalBytes)) {
    semihosting::Close(file);
    file = -1;
    return backend = Backend::kBroken;
  }
  return backend = Backend::kFile;
}

bool FileRead(std::size_t offset, std::uint8_t* out, std::size_t size) {
  if (size == 0) return true;
  return semihosting::Seek(file, offset) && semihosting::Read(file, out, size);
}

}  // namespace

const StorageGeometry& StorageInfo() {
  return Resolve() == Backend::kRam ? kVolatile : kFile;
}

bool StorageRead(std::size_t offset, std::uint8_t* out, std::size_t size) {
  switch (Resolve()) {
    case Backend::kRam:
      return kRam.Read(offset, out, size);
    case Backend::kFile:
      return storage_internal::RangeValid(kFile, offset, size) &&
             FileRead(offset, out, size);
    default:
      return false;
  }
}

bool StorageProgram(std::size_t offset, const std::uint8_t* data,
                    std::size_t size) {
  switch (Resolve()) {
    case Backend::kRam:
      return kRam.Program(offset, data, size);
    case Backend::kFile:
      break;
    default:
      return false;
  }
  if (!storage_internal::ProgramValid(kFile, offset, size)) return false;
  // Read, AND, write back, a chunk at a time (no heap, small stack).
  std::uint8_t chunk[256];
  while (size > 0) {
    const std::size_t n = size < sizeof chunk ? size : sizeof chunk;
    if (!FileRead(offset, chunk, n)) return false;
    for (std::size_t i = 0; i < n; ++i) chunk[i] &= data[i];
    if (!semihosting::Seek(file, offset) ||
        !semihosting::Write(file, chunk, n)) {
      return false;
    }
    offset += n;
    data += n;
    size -= n;
  }
  return true;
}

bool StorageErase(std::size_t sector) {
  switch (Resolve()) {
    case Backend::kRam:
      return kRam.Erase(sector);
    case Backend::kFile:
      break;
    default:
      return false;
  }
  if (sector >= kFile.sector_count) return false;
  std::uint8_t erased[256];
  std::memset(erased, 0xff, sizeof erased);
  if (!semihosting::Seek(file, sector * kFile.sector_bytes)) return false;
  for (std::size_t done = 0; done < kFile.sector_bytes; done += sizeof erased) {
    if (!semihosting::Write(file, erased, sizeof erased)) return false;
  }
  return true;
}

}  // namespace board
