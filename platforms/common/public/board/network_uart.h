// The network UART: the untrusted byte link to other nodes (QEMU connects it
// to the fleet simulator). Only the bare-metal boards have one; the console
// UART (board.h) stays the trusted control and debug port.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "board/idle.h"

namespace board {

// Writes bytes, blocking until the transmitter took each of them.
void NetworkWrite(const std::uint8_t* data, std::size_t size);

// A received byte, if one is waiting. Never blocks. Bytes are received by
// interrupt into a ring (kNetworkRingBytes) while the caller is busy.
std::optional<std::uint8_t> NetworkTryRead();

// Receive ring of the network UART: a whole 4 KiB frame plus slack.
inline constexpr std::size_t kNetworkRingBytes = 8192;
UartReceiveStats NetworkReceiveStats();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
