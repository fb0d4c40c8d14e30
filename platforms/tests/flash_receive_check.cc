// Network receive keeps flowing while the board writes its storage.
//
// The firmware behaves like an idle-capable node: it receives by interrupt,
// sleeps in WFI whenever both rings are drained (no wake-up deadline, so
// only received input can wake it) and, for every batch it takes from the
// network ring, first programs a word of storage and then echoes the batch.
// flash_receive_test.py sends bursts longer than the UART's FIFO and
// expects every byte back.
//
// The storage write comes right after the receive interrupt emptied the
// UART on purpose: that is the moment a Versatile PB node used to lose its
// network input for good (platforms/README.md, "Receive stalls after a
// flash write").
#include <cstddef>
#include <cstdint>

#include "board/board.h"
#include "board/idle.h"
#include "board/network_uart.h"
#include "board/storage.h"

namespace {

constexpr std::size_t kBatchBytes = 64;

}  // namespace

int main() {
  const board::StorageGeometry& storage = board::StorageInfo();
  if (!board::StorageErase(0)) {
    board::ConsoleWrite("flash receive: FAIL erase\r\n");
    return 1;
  }
  board::StartReceiveInterrupts();
  board::CancelWakeup();
  board::ConsoleWrite("flash receive: ready\r\n");

  std::size_t offset = 0;
  std::uint8_t batch[kBatchBytes];
  for (;;) {
    std::size_t size = 0;
    while (size < kBatchBytes) {
      const auto byte = board::NetworkTryRead();
      if (!byte.has_value()) break;
      batch[size++] = *byte;
    }
    if (size == 0) {
      board::WaitForInterrupt();
      continue;
    }
    // Zeros clear bits of an erased word, so every batch really programs.
    const std::uint8_t zeros[4] = {};
    if (offset + sizeof zeros > storage.sector_bytes) {
      if (!board::StorageErase(0)) {
        board::ConsoleWrite("flash receive: FAIL erase\r\n");
        return 1;
      }
      offset = 0;
    }
    if (!board::StorageProgram(offset, zeros, sizeof zeros)) {
      board::ConsoleWrite("flash receive: FAIL program\r\n");
      return 1;
    }
    offset += sizeof zeros;
    board::NetworkWrite(batch, size);
  }
}
