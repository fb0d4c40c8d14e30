#include "semihosting.h"

#include <cstdint>

namespace board::semihosting {
namespace {

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

}  // namespace

void ExitExtended(int status) {
  const std::uint32_t block[2] = {kAdpStoppedApplicationExit,
                                  static_cast<std::uint32_t>(status)};
  Call(kSysExitExtended, block);
}

}  // namespace board::semihosting
