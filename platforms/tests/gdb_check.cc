// The program that gdb_session_test.py debugs on each board through
// run_firmware.sh --gdb-script: known values for gdb to read. Keep the
// values and the function in step with the test's script and expectations.
#include <cstdint>

#include "board/board.h"

// Read by the gdb session (print gdb_check_answer); volatile, so the
// compiler keeps both in memory.
volatile std::uint32_t gdb_check_answer = 42;
volatile std::uint32_t gdb_check_limit = 10;

namespace {

// 1 + 2 + ... + limit; the session breaks here and finishes with 55.
[[gnu::noinline]] std::uint32_t SumUpTo(std::uint32_t limit) {
  std::uint32_t sum = 0;
  for (std::uint32_t i = 1; i <= limit; ++i) sum += i;
  return sum;
}

}  // namespace

int main() {
  const std::uint32_t sum = SumUpTo(gdb_check_limit);
  const bool ok = sum == 55 && gdb_check_answer == 42;
  board::ConsoleWrite(ok ? "gdb_check: ok\r\n" : "gdb_check: wrong\r\n");
  return ok ? 0 : 1;
}
