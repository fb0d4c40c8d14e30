// secure_node firmware entry point: binds the board-independent Node to the
// board's console and network UARTs and its non-volatile storage, and serves
// both UARTs and the node's retransmission timer forever.
#include <cstddef>
#include <cstdint>
#include <new>

#include "apps/build_info/build_info.h"
#include "apps/secure_node/board_flash.h"
#include "apps/secure_node/line_writer.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_resources.h"
#include "apps/secure_node/stored_records.h"
#include "base/status.h"
#include "board/board.h"
#include "board/board_clock.h"
#include "board/idle.h"
#include "board/network_uart.h"
#include "pool/global.h"
#include "storage/record_store.h"

namespace {

class BoardOutput final : public secure_node::NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override {
    board::ConsoleWrite(line);
    board::ConsoleWrite("\r\n");
  }
  void ConsoleEcho(std::string_view bytes) override {
    board::ConsoleWrite(bytes);
  }
  void NetworkBytes(std::span<const std::uint8_t> bytes) override {
    board::NetworkWrite(bytes.data(), bytes.size());
  }
  void AppendReceiveStats(secure_node::StatsLineWriter& out) override {
    const board::UartReceiveStats net = board::NetworkReceiveStats();
    out << " net_rx=" << net.received << " net_rx_dropped=" << net.ring_overruns
        << " net_rx_overruns=" << net.hardware_overruns
        << " net_rx_throttles=" << net.throttles;
  }
};

BoardOutput output;
// Pools and workspace: static storage, initialised exactly once (a second
// Initialize is refused with kAlreadyInitialized).
pool::Global<secure_node::NodeResources> resources;
secure_node::BoardFlash flash;
storage::RecordStore<secure_node::records::kMaxRecordKeys> store(flash);
// The node lives as long as the image runs and is never destroyed: it is
// constructed in place in static storage, because a function-local static
// with a destructor (the node's frame blocks have one) would register it
// with newlib's atexit, which links malloc into the image.
alignas(secure_node::Node) std::byte node_storage[sizeof(secure_node::Node)];

}  // namespace

extern "C" std::uint8_t __data_start[], __bss_end[];

int main() {
  const board::BoardInfo& info = board::Info();
  secure_node::LineWriter banner;
  banner << "BOOT board=" << info.name << " core=" << info.core
         << " build=" << build_info::BuildId() << " static_ram="
         << static_cast<std::uint32_t>(__bss_end - __data_start)
         << " storage=" << board::StorageInfo().backend
         << (board::StorageInfo().persistent ? "" : "(volatile)");
  output.ConsoleLine(banner.view());
  if (const base::Status mounted = store.Mount(); !mounted.ok()) {
    // The node still starts: Node::Start reports the store as failed and
    // refuses to send, since it could not guarantee fresh nonces.
    secure_node::LineWriter line;
    line << "ERR STORAGE reason=" << secure_node::StorageReason(mounted);
    output.ConsoleLine(line.view());
  }
  if (!resources.Initialize().ok()) {
    output.ConsoleLine("FATAL resources already initialised");
    return 1;
  }
  secure_node::Node& node = *new (node_storage) secure_node::Node(
      output, *resources.Get().value(), store, board::SystemBoardClock());
  node.Start();
#if defined(SECURE_NODE_SLEEP_WHEN_IDLE)
  // Interrupt receive, and WFI once both UARTs are drained and no
  // retransmission is due: an idle node costs its host nothing. The board
  // timer wakes the core at the node's next retransmission deadline.
  board::StartReceiveInterrupts();
#endif
  for (;;) {
    bool received = false;
    if (const auto byte = board::ConsoleTryRead()) {
      node.ConsoleByte(*byte);
      received = true;
    }
    if (const auto byte = board::NetworkTryRead()) {
      node.NetworkByte(*byte);
      received = true;
    }
    node.Service();
#if defined(SECURE_NODE_SLEEP_WHEN_IDLE)
    if (!received) {
      if (const auto deadline = node.NextDeadlineMicros()) {
        board::ArmWakeup(*deadline);
      } else {
        board::CancelWakeup();
      }
      board::WaitForInterrupt();
    }
#else
    static_cast<void>(received);
#endif
  }
}
