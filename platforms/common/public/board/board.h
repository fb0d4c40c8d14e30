// The board interface: the few services board-neutral code may ask of the
// board it runs on. Each board support package (platforms/<board>/) and the
// host (platforms/host/) implement it; code depends on //platforms:board.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace board {

struct BoardInfo {
  std::string_view name;  // e.g. "mps3_an536"
  std::string_view core;  // e.g. "cortex-r52"
  std::size_t cache_line_bytes;
};

// Static description of the board this image was built for.
const BoardInfo& Info();

// Writes bytes to the console UART (the trusted debug/control port). Blocks
// until every byte is accepted by the transmitter.
void ConsoleWrite(const char* data, std::size_t size);

inline void ConsoleWrite(std::string_view text) {
  ConsoleWrite(text.data(), text.size());
}

// A byte received on the console UART, if one is waiting. Never blocks. On
// the boards bytes are received by interrupt into a ring of
// kConsoleRingBytes (board/idle.h has its counters).
std::optional<std::uint8_t> ConsoleTryRead();
inline constexpr std::size_t kConsoleRingBytes = 1024;

// Ends the program with an exit status. On the emulated boards this is a
// semihosting call that makes QEMU exit with the same status.
[[noreturn]] void Exit(int status);

// Microseconds since an arbitrary point at start-up; never goes backwards.
// Boards: a hardware timer (Cortex-R52 generic timer; Versatile PB SP804,
// kept across its wraps by the PL031 RTC);
// host: std::chrono::steady_clock. Under QEMU -icount this is virtual time,
// which advances one nanosecond per instruction.
std::uint64_t MonotonicMicroseconds();

// A free-running 64-bit counter for benchmarks. On the emulated boards run
// with `-icount shift=0` it counts executed instructions (see
// platforms/README.md); on the host it counts TSC ticks.
std::uint64_t ReadCycleCounter();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_BOARD_H_
