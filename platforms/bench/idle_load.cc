// Host CPU load of an idle node, two ways (platforms/README.md, "Idle"):
//   idle_wait_<board>: the interrupt-driven idle loop of board/idle.h;
//   busy_poll_<board>: the old loop, polling both UARTs without pause.
// Both echo console input, run until killed, and are measured from outside
// (utime + stime of the QEMU process over 10 s).
#include <cstdint>

#include "board/board.h"
#include "board/idle.h"
#include "board/network_uart.h"

int main() {
  board::ConsoleWrite("idle load: running\r\n");
#if !defined(IDLE_LOAD_BUSY_POLL)
  board::StartReceiveInterrupts();
#endif
  for (;;) {
    while (const auto byte = board::ConsoleTryRead()) {
      const char c = static_cast<char>(*byte);
      board::ConsoleWrite(&c, 1);
    }
    while (board::NetworkTryRead().has_value()) {
    }
#if defined(IDLE_LOAD_BUSY_POLL)
    continue;
#else
    board::WaitForInterrupt();
#endif
  }
}
