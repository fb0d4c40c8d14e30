// Faults on purpose, for crash_report_test.py: the first argument names the
// fault (undefined_instruction, data_abort, prefetch_abort, breakpoint). Each
// faulting line carries a "crash:" comment with the fault's name, which the
// test looks up to check the line that the symbolized crash report names. Ends
// through the start-up code's crash report (status 128 + kind) or, with no or
// an unknown argument, with status 2.
#include <cstdint>
#include <cstring>

#include "board/board.h"

namespace {

// Device memory, execute-never on both boards' MPU set-up: the Versatile
// PB's region 0 above its 256 MiB of RAM, the MPS3 AN536's region 1.
constexpr std::uintptr_t kExecuteNeverAddress = 0xf0000000u;

alignas(8) std::uint8_t buffer[16] = {1, 2, 3, 4, 5, 6, 7, 8};

// r0-r6, r8-r10 and r12 hold 0xc0de00NN (NN = the register number) when the
// undefined instruction is executed, so the report's register dump can be
// checked (r7 and r11 may be the frame pointer and are left alone).
[[gnu::noinline]] void ExecuteUndefinedInstruction() {
  asm volatile(  // crash: undefined_instruction
      "movw r0, #0x0000\n movt r0, #0xc0de\n"
      "movw r1, #0x0001\n movt r1, #0xc0de\n"
      "movw r2, #0x0002\n movt r2, #0xc0de\n"
      "movw r3, #0x0003\n movt r3, #0xc0de\n"
      "movw r4, #0x0004\n movt r4, #0xc0de\n"
      "movw r5, #0x0005\n movt r5, #0xc0de\n"
      "movw r6, #0x0006\n movt r6, #0xc0de\n"
      "movw r8, #0x0008\n movt r8, #0xc0de\n"
      "movw r9, #0x0009\n movt r9, #0xc0de\n"
      "movw r10, #0x000a\n movt r10, #0xc0de\n"
      "movw r12, #0x000c\n movt r12, #0xc0de\n"
      "udf #0\n" ::
          : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r8", "r9", "r10", "r12",
            "memory");
}

// LDRD needs a word-aligned address whatever SCTLR.A says: an alignment
// fault on both cores, with the address in DFAR.
[[gnu::noinline]] std::uint32_t LoadPairUnaligned(const std::uint8_t* data) {
  std::uint32_t low, high;
  asm volatile("ldrd %0, %1, [%2]"  // crash: data_abort
               : "=&r"(low), "=&r"(high)
               : "r"(data + 1)
               : "memory");
  return low ^ high;
}

// A call through a corrupted function pointer into execute-never memory:
// the prefetch abort's pc and IFAR are that address, its lr the call site.
[[gnu::noinline]] void CallIntoExecuteNever() {
  using Function = void (*)();
  Function volatile target = reinterpret_cast<Function>(kExecuteNeverAddress);
  target();  // crash: prefetch_abort
  // Not a tail call: the call's return address (lr) stays in this function.
  asm volatile("" ::: "memory");
}

// BKPT with no debugger attached (halting debug off): a debug event, taken
// as a prefetch abort at the BKPT itself.
[[gnu::noinline]] void HitBreakpoint() {
  asm volatile("bkpt #0");  // crash: breakpoint
  asm volatile("" ::: "memory");
}

}  // namespace

int main(int argc, char** argv) {
  const char* kind = argc > 1 ? argv[1] : "";
  board::ConsoleWrite("crash_check: ");
  board::ConsoleWrite(kind);
  board::ConsoleWrite("\r\n");
  if (std::strcmp(kind, "undefined_instruction") == 0) {
    ExecuteUndefinedInstruction();
  } else if (std::strcmp(kind, "data_abort") == 0) {
    return static_cast<int>(LoadPairUnaligned(buffer));
  } else if (std::strcmp(kind, "prefetch_abort") == 0) {
    CallIntoExecuteNever();
  } else if (std::strcmp(kind, "breakpoint") == 0) {
    HitBreakpoint();
  }
  board::ConsoleWrite(
      "crash_check: no fault named (undefined_instruction, "
      "data_abort, prefetch_abort, breakpoint)\r\n");
  return 2;
}
