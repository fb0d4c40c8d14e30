// The network link: the untrusted byte stream to other nodes (QEMU connects
// it to the fleet simulator). Only the bare-metal boards have one: the
// network UART on versatilepb_r5f, the LAN9118 Ethernet controller carrying
// the same stream on mps3_an536 (platforms/README.md, "The network link
// over Ethernet"). The console UART (board.h) stays the trusted control and
// debug port.
#ifndef PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
#define PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "board/idle.h"

namespace board {

// Writes bytes, blocking until the transmitter took each of them (over
// Ethernet: until the last of them went out in a frame).
void NetworkWrite(const std::uint8_t* data, std::size_t size);

// A received byte, if one is waiting. Never blocks. Bytes are received by
// interrupt into a ring (kNetworkRingBytes) while the caller is busy.
std::optional<std::uint8_t> NetworkTryRead();

// Receive ring of the network UART: a whole 4 KiB frame plus slack.
inline constexpr std::size_t kNetworkRingBytes = 8192;
UartReceiveStats NetworkReceiveStats();

}  // namespace board

#endif  // PLATFORMS_COMMON_PUBLIC_BOARD_NETWORK_UART_H_
