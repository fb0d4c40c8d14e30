// C++ half of the start-up for the bare-metal boards (cortex_r_start.S does
// the mode, stack and FPU set-up). Order matters: the memory protection unit
// is configured before any C++ code may issue an unaligned access, .data and
// .bss are set up before any static is read, constructors run before main.
#include <cstdint>
#include <cstring>

#include "board/board.h"
#include "board_internal.h"

extern "C" {
// Defined by the linker script (cortex_r_sections.ld).
extern std::uint8_t __data_load[], __data_start[], __data_end[];
extern std::uint8_t __bss_start[], __bss_end[];
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

int main(int argc, char** argv);

// What crti.o/crtbegin.o provide in a hosted link (-nostartfiles drops
// them): newlib's exit() calls _fini through __libc_fini_array, and static
// destructors registered by libstdc++ are keyed on __dso_handle. Constructors
// run from board_c_start below, so _init has nothing to do.
void* __dso_handle = &__dso_handle;
void _init() {}
void _fini() {}

[[noreturn]] void board_c_start() {
  board::internal::EarlyInit();
  if (static_cast<std::uint8_t*>(__data_start) !=
      static_cast<std::uint8_t*>(__data_load)) {
    std::memcpy(__data_start, __data_load,
                static_cast<std::size_t>(__data_end - __data_start));
  }
  std::memset(__bss_start, 0,
              static_cast<std::size_t>(__bss_end - __bss_start));
  board::internal::InitPeripherals();
  for (auto* f = __preinit_array_start; f != __preinit_array_end; ++f) (*f)();
  for (auto* f = __init_array_start; f != __init_array_end; ++f) (*f)();

  static char program_name[] = "firmware";
  static char* argv[] = {program_name, nullptr};
  board::Exit(main(1, argv));
}

[[noreturn]] void board_unexpected_exception(std::uint32_t kind,
                                             std::uint32_t return_address) {
  static constexpr const char* kNames[] = {
      "?",          "undefined instruction",
      "SVC",        "prefetch abort",
      "data abort", "hyp trap",
      "IRQ",        "FIQ"};
  board::ConsoleWrite("\r\n*** unexpected exception: ");
  board::ConsoleWrite(kNames[kind < 8 ? kind : 0]);
  board::ConsoleWrite(" (return address 0x");
  char hex[8];
  for (int i = 0; i < 8; ++i) {
    hex[i] = "0123456789abcdef"[(return_address >> (28 - 4 * i)) & 0xF];
  }
  board::ConsoleWrite(hex, sizeof hex);
  board::ConsoleWrite(")\r\n");
  board::Exit(128 + static_cast<int>(kind));
}
}  // extern "C"
