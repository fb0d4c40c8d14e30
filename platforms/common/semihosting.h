// Arm semihosting: the debugger (here QEMU, -semihosting-config enable=on)
// services requests trapped from the target. Program exit, the command line
// the runner passes and host files (the mps3_an536 storage backing file) go
// through it; the console goes through the UART like on real hardware.
//
// Without a semihosting host (real hardware, no debugger) these calls trap
// as an unexpected SVC.
#ifndef PLATFORMS_COMMON_SEMIHOSTING_H_
#define PLATFORMS_COMMON_SEMIHOSTING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace board::semihosting {

// SYS_EXIT_EXTENDED: QEMU exits with `status` as its own exit status.
// Returns only if no semihosting host is attached (e.g. real hardware
// without a debugger).
void ExitExtended(int status);

// SYS_GET_CMDLINE, asked once and kept: under QEMU the values of
// -semihosting-config arg=... joined by spaces, else the -kernel file name.
// Empty if the host refuses or the line is longer than 511 bytes.
std::string_view CommandLine();

// The value of the first space-separated token of CommandLine() that starts
// with `prefix` (e.g. "--storage="), or nullopt.
std::optional<std::string_view> CommandLineOption(std::string_view prefix);

// Host files (SYS_OPEN, SYS_SEEK, SYS_READ, SYS_WRITE, SYS_FLEN, SYS_CLOSE).
// `path` must be NUL-terminated. Returns a handle, or -1.
enum class OpenMode : std::uint32_t {
  kReadBinary = 1,       // fopen "rb"
  kReadWriteBinary = 3,  // fopen "r+b": an existing file, not truncated
};
int Open(const char* path, OpenMode mode);
bool Close(int handle);
// Absolute position.
bool Seek(int handle, std::size_t position);
// True only if all `size` bytes were transferred.
bool Read(int handle, void* out, std::size_t size);
bool Write(int handle, const void* data, std::size_t size);
// The file's length in bytes, or -1.
std::int64_t FileLength(int handle);

}  // namespace board::semihosting

#endif  // PLATFORMS_COMMON_SEMIHOSTING_H_
