// The network UART: the untrusted byte link to other nodes (QEMU connects it
// to the fleet simulator). Only the bare-metal boards have one; the console
// UART (board.h) stays the trusted control and debug port.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_

#include <cstddef>
#include <cstdint>
#include <optional>

namespace board {

// Writes bytes, blocking until the transmitter took each of them.
void NetworkWrite(const std::uint8_t* data, std::size_t size);

// A received byte, if one is waiting. Never blocks.
std::optional<std::uint8_t> NetworkTryRead();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
