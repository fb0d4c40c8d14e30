// C++ half of the start-up for the bare-metal boards (cortex_r_start.S does
// the mode, stack and FPU set-up). Order matters: the memory protection unit
// is configured before any C++ code may issue an unaligned access, .data and
// .bss are set up before any static is read, constructors run before main.
#include <cstdint>
#include <cstring>

#include "board/board.h"
#include "board_internal.h"
#include "semihosting.h"

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

}  // extern "C"

namespace {

// The program's arguments and environment from the semihosting command line
// (platforms/qemu/run_firmware.sh): words split at spaces; NAME=VALUE words
// whose name is upper case, digits and '_' go to the environment (what a
// test runner passes that way, e.g. GTEST_SHARD_INDEX), the others to argv.
// Without a command line argv is {"firmware"}. Static storage: there is no
// heap before main, and both live as long as the program.
struct CommandLine {
  int argc;
  char** argv;
};

constexpr std::size_t kMaxWords = 16;
char command_line_text[256];
char* argv_words[kMaxWords + 1];
char* environment_words[kMaxWords + 1];

}  // namespace

// What newlib's getenv reads. Defined here, with the start-up code that
// fills it, rather than taken from newlib (whose definition would add its
// own initial environment to the image).
extern "C" {
char** environ = environment_words;
}

namespace {

bool IsEnvironmentWord(const char* word) {
  const char* c = word;
  while ((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_') {
    ++c;
  }
  return c != word && *c == '=';
}

CommandLine SplitCommandLine() {
  static char program_name[] = "firmware";
  const std::string_view text = board::semihosting::CommandLine();
  const std::size_t length = text.size() < sizeof command_line_text
                                 ? text.size()
                                 : sizeof command_line_text - 1;
  std::memcpy(command_line_text, text.data(), length);
  command_line_text[length] = '\0';
  int argc = 0;
  std::size_t environment_count = 0;
  char* word = command_line_text;
  while (*word != '\0') {
    while (*word == ' ') *word++ = '\0';
    if (*word == '\0') break;
    char* end = word;
    while (*end != '\0' && *end != ' ') ++end;
    if (argc > 0 && IsEnvironmentWord(word)) {
      if (environment_count < kMaxWords) {
        environment_words[environment_count++] = word;
      }
    } else if (argc < static_cast<int>(kMaxWords)) {
      argv_words[argc++] = word;
    }
    word = end;
  }
  if (argc == 0) argv_words[argc++] = program_name;
  argv_words[argc] = nullptr;
  environment_words[environment_count] = nullptr;
  environ = environment_words;
  return {argc, argv_words};
}

}  // namespace

extern "C" {

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
  // Before the constructors: some read the environment (GoogleTest's
  // default filter is Bazel's TESTBRIDGE_TEST_ONLY).
  const CommandLine command_line = SplitCommandLine();
  for (auto* f = __preinit_array_start; f != __preinit_array_end; ++f) (*f)();
  for (auto* f = __init_array_start; f != __init_array_end; ++f) (*f)();

  board::Exit(main(command_line.argc, command_line.argv));
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
