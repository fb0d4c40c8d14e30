// A heap for test images only (GoogleTest allocates). Firmware images do
// not link this file, so any use of malloc or operator new in them fails at
// link time. The heap is the RAM left between the end of the stacks and the
// end of the RAM region (symbols from cortex_r_sections.ld).
#include <cerrno>
#include <cstddef>
#include <cstdint>

#undef errno
extern "C" int errno;

extern "C" {
extern std::uint8_t __heap_start[], __heap_end[];

void* _sbrk(std::ptrdiff_t increment) {
  static std::uint8_t* brk = __heap_start;
  if (increment > __heap_end - brk || increment < __heap_start - brk) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  std::uint8_t* previous = brk;
  brk += increment;
  return previous;
}
}  // extern "C"
