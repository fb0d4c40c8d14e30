#include "platforms/common/semihosting.h"

#include <cstdint>
#include <cstring>

namespace board::semihosting {
namespace {

constexpr std::uint32_t kSysOpen = 0x01;
constexpr std::uint32_t kSysClose = 0x02;
constexpr std::uint32_t kSysWrite = 0x05;
constexpr std::uint32_t kSysRead = 0x06;
constexpr std::uint32_t kSysSeek = 0x0a;
constexpr std::uint32_t kSysFlen = 0x0c;
constexpr std::uint32_t kSysGetCmdline = 0x15;
constexpr std::uint32_t kSysExitExtended = 0x20;
constexpr std::uint32_t kAdpStoppedApplicationExit = 0x20026;

// A semihosting request in Thumb state is `svc 0xab` (Arm's semihosting
// specification, A and R profiles). r0 = operation, r1 = parameter block.
std::uint32_t Call(std::uint32_t operation, const void* parameters) {
  register std::uint32_t r0 asm("r0") = operation;
  register const void* r1 asm("r1") = parameters;
  asm volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

std::uint32_t Word(const void* pointer) {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(pointer));
}

}  // namespace

void ExitExtended(int status) {
  const std::uint32_t block[2] = {kAdpStoppedApplicationExit,
                                  static_cast<std::uint32_t>(status)};
  Call(kSysExitExtended, block);
}

std::string_view CommandLine() {
  static char buffer[512];
  static std::size_t length = 0;
  static bool asked = false;
  if (!asked) {
    asked = true;
    // The host writes the length back into the block (without the NUL).
    std::uint32_t block[2] = {Word(buffer), sizeof buffer};
    if (Call(kSysGetCmdline, block) == 0 && block[1] < sizeof buffer) {
      length = block[1];
    }
  }
  return std::string_view(buffer, length);
}

std::optional<std::string_view> CommandLineOption(std::string_view prefix) {
  std::string_view rest = CommandLine();
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view token = rest.substr(0, space);
    if (token.substr(0, prefix.size()) == prefix) {
      return token.substr(prefix.size());
    }
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return std::nullopt;
}

int Open(const char* path, OpenMode mode) {
  const std::uint32_t block[3] = {
      Word(path), static_cast<std::uint32_t>(mode),
      static_cast<std::uint32_t>(std::strlen(path))};
  return static_cast<int>(Call(kSysOpen, block));
}

bool Close(int handle) {
  const std::uint32_t block[1] = {static_cast<std::uint32_t>(handle)};
  return Call(kSysClose, block) == 0;
}

bool Seek(int handle, std::size_t position) {
  const std::uint32_t block[2] = {static_cast<std::uint32_t>(handle),
                                  static_cast<std::uint32_t>(position)};
  return Call(kSysSeek, block) == 0;
}

// SYS_READ and SYS_WRITE return the number of bytes not transferred.
bool Read(int handle, void* out, std::size_t size) {
  const std::uint32_t block[3] = {static_cast<std::uint32_t>(handle), Word(out),
                                  static_cast<std::uint32_t>(size)};
  return Call(kSysRead, block) == 0;
}

bool Write(int handle, const void* data, std::size_t size) {
  const std::uint32_t block[3] = {static_cast<std::uint32_t>(handle),
                                  Word(data), static_cast<std::uint32_t>(size)};
  return Call(kSysWrite, block) == 0;
}

std::int64_t FileLength(int handle) {
  const std::uint32_t block[1] = {static_cast<std::uint32_t>(handle)};
  const std::int32_t length = static_cast<std::int32_t>(Call(kSysFlen, block));
  return length;
}

}  // namespace board::semihosting
