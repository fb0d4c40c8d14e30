// Non-volatile storage with NOR-flash semantics, one device per board.
//
// Images that need storage depend on //platforms:board_storage (the board's
// implementation) and this interface (//platforms/common:storage_interface);
// other images do not link it.
//
// Per board (details at the top of each board's storage.cc and in
// platforms/README.md):
//   versatilepb_r5f  QEMU's CFI01 parallel NOR flash at 0x34000000,
//                    persistent when the runner attaches a file to it.
//   mps3_an536       a host file through semihosting (the model has no
//                    writable flash), else a RAM stand-in.
//   host             RAM.
// Storage that was never erased may hold anything (a new backing file reads
// as 0x00): erase a sector before its first use.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_STORAGE_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_STORAGE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace board {

struct StorageGeometry {
  std::size_t sector_bytes;
  std::size_t sector_count;
  std::size_t program_bytes;  // Program offset/size granularity
  bool persistent;  // false: a volatile stand-in (no backing file given)
  std::string_view backend;  // e.g. "cfi-pflash", "semihosting-file", "ram"
};
const StorageGeometry& StorageInfo();
// NOR-flash rules: Erase sets a sector to 0xFF; Program only clears bits (new =
// old & data). Each returns false when the range lies outside the device (for
// Program also when offset or size is not a multiple of program_bytes),
// changing nothing, or when the device reports an error.
bool StorageRead(std::size_t offset, std::uint8_t* out, std::size_t size);
bool StorageProgram(std::size_t offset, const std::uint8_t* data,
                    std::size_t size);
bool StorageErase(std::size_t sector);

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_STORAGE_H_
