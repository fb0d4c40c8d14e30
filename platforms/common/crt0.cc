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

// The registers the exception entry saved (cortex_r_start.S), in its order.
struct ExceptionFrame {
  std::uint32_t r[13];  // r0-r12 of the interrupted code
  std::uint32_t sp;     // its sp and lr (0 where they cannot be read)
  std::uint32_t lr;
  std::uint32_t link;  // the exception mode's lr: the return link
  std::uint32_t spsr;  // the interrupted CPSR
  std::uint32_t pad;
};
static_assert(sizeof(ExceptionFrame) == 72, "cortex_r_start.S frame layout");

namespace {

// The exception kinds of cortex_r_start.S (the vector number).
constexpr std::uint32_t kUndefinedInstruction = 1;
constexpr std::uint32_t kSvc = 2;
constexpr std::uint32_t kPrefetchAbort = 3;
constexpr std::uint32_t kDataAbort = 4;

// The address of the instruction that faulted (or, for SVC and FIQ, the last
// one executed) from the return link, whose offset depends on the kind and,
// for undefined instructions and SVC, on the state (SPSR.T): Thumb +2, ARM +4.
std::uint32_t FaultingPc(std::uint32_t kind, const ExceptionFrame& frame) {
  const bool thumb = (frame.spsr & (1u << 5)) != 0;
  switch (kind) {
    case kUndefinedInstruction:
    case kSvc:
      return frame.link - (thumb ? 2 : 4);
    case kDataAbort:
      return frame.link - 8;
    default:  // prefetch abort, FIQ
      return frame.link - 4;
  }
}

// What a DFSR/IFSR value says, in both of its formats: the short-descriptor
// one of PMSAv7 (Cortex-R5) and, with bit 9 (LPAE) set, the long-descriptor
// one of PMSAv8-32 (Cortex-R52).
const char* FaultStatusName(std::uint32_t fsr) {
  if ((fsr & (1u << 9)) != 0) {
    const std::uint32_t status = fsr & 0x3f;
    switch (status & 0x3c) {  // the level in the low two bits
      case 0x00:
        return "address_size";
      case 0x04:
        return "translation";  // no MPU region
      case 0x08:
        return "access_flag";
      case 0x0c:
        return "permission";
      default:
        break;
    }
    switch (status) {
      case 0x10:
        return "sync_external";
      case 0x11:
        return "async_external";
      case 0x18:
        return "sync_parity";
      case 0x21:
        return "alignment";
      case 0x22:
        return "debug";
      default:
        return "other";
    }
  }
  switch (((fsr >> 6) & 0x10) | (fsr & 0xf)) {
    case 0x00:
      return "background";  // no MPU region
    case 0x01:
      return "alignment";
    case 0x02:
      return "debug";
    case 0x04:
      return "cache_maintenance";
    case 0x08:
      return "sync_external";
    case 0x0d:
      return "permission";
    case 0x16:
      return "async_external";
    case 0x18:
      return "async_parity";
    case 0x19:
      return "sync_parity";
    default:
      return "other";
  }
}

// One "CRASH ..." line of the report, built without the heap or printf.
class ReportLine {
 public:
  void Text(const char* text) {
    while (*text != '\0' && length_ < sizeof text_) text_[length_++] = *text++;
  }
  void Hex(const char* label, std::uint32_t value) {
    Text(label);
    Text("0x");
    for (int i = 0; i < 8; ++i) {
      const char digit[2] = {"0123456789abcdef"[(value >> (28 - 4 * i)) & 0xF],
                             '\0'};
      Text(digit);
    }
  }
  void Decimal(int value) {
    char digits[12];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0 && n < 11);
    char text[12];
    for (int i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
    text[n] = '\0';
    Text(text);
  }
  void End() {
    board::ConsoleWrite("CRASH ");
    board::ConsoleWrite(text_, length_);
    board::ConsoleWrite("\r\n");
    length_ = 0;
  }

 private:
  char text_[120];
  std::size_t length_ = 0;
};

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
                                             const ExceptionFrame* frame) {
  static constexpr const char* kNames[] = {
      "?",          "undefined instruction",
      "SVC",        "prefetch abort",
      "data abort", "hyp trap",
      "IRQ",        "FIQ"};
  static constexpr const char* kTokens[] = {
      "unknown",    "undefined_instruction",
      "svc",        "prefetch_abort",
      "data_abort", "hyp_trap",
      "irq",        "fiq"};
  if (kind >= 8) kind = 0;
  ReportLine line;
  board::ConsoleWrite("\r\n*** unexpected exception: ");
  board::ConsoleWrite(kNames[kind]);
  board::ConsoleWrite("\r\n");

  const std::uint32_t pc = FaultingPc(kind, *frame);
  std::uint32_t cpsr;
  asm volatile("mrs %0, cpsr" : "=r"(cpsr));
  line.Text("kind=");
  line.Text(kTokens[kind]);
  line.Hex(" pc=", pc);
  line.Hex(" lr=", frame->lr);
  line.Hex(" spsr=", frame->spsr);
  line.Hex(" cpsr=", cpsr);
  line.End();

  // The fault status and address registers of the aborts. Read here: nothing
  // since the exception has faulted again.
  if (kind == kPrefetchAbort || kind == kDataAbort) {
    std::uint32_t fsr, far, afsr;
    if (kind == kDataAbort) {
      asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr));   // DFSR
      asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far));   // DFAR
      asm volatile("mrc p15, 0, %0, c5, c1, 0" : "=r"(afsr));  // ADFSR
      line.Hex("dfsr=", fsr);
      line.Hex(" dfar=", far);
      line.Hex(" adfsr=", afsr);
    } else {
      asm volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr));   // IFSR
      asm volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far));   // IFAR
      asm volatile("mrc p15, 0, %0, c5, c1, 1" : "=r"(afsr));  // AIFSR
      line.Hex("ifsr=", fsr);
      line.Hex(" ifar=", far);
      line.Hex(" aifsr=", afsr);
    }
    line.Text(" fault=");
    line.Text(FaultStatusName(fsr));
    line.End();
  }

  for (int first = 0; first < 12; first += 4) {
    for (int i = first; i < first + 4; ++i) {
      static constexpr const char* kRegisterNames[] = {
          "r0=",  " r1=", " r2=", " r3=", "r4=",   " r5=",
          " r6=", " r7=", "r8=",  " r9=", " r10=", " r11="};
      line.Hex(kRegisterNames[i], frame->r[i]);
    }
    line.End();
  }
  line.Hex("r12=", frame->r[12]);
  line.Hex(" sp=", frame->sp);
  line.Hex(" lr=", frame->lr);
  line.Hex(" pc=", pc);
  line.End();
  const int status = 128 + static_cast<int>(kind);
  line.Text("end status=");
  line.Decimal(status);
  line.End();
  board::Exit(status);
}
}  // extern "C"
