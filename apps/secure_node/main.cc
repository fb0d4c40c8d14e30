// secure_node firmware entry point: binds the board-independent Node to the
// board's console and network UARTs and polls both forever.
#include <cstdint>

#include "apps/build_info/build_info.h"
#include "apps/secure_node/line_writer.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_resources.h"
#include "board/board.h"
#include "board/network_uart.h"
#include "pool/global.h"

namespace {

class BoardOutput final : public secure_node::NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override {
    board::ConsoleWrite(line);
    board::ConsoleWrite("\r\n");
  }
  void NetworkBytes(std::span<const std::uint8_t> bytes) override {
    board::NetworkWrite(bytes.data(), bytes.size());
  }
};

BoardOutput output;
// Pools and workspace: static storage, initialised exactly once (a second
// Initialize is refused with kAlreadyInitialized).
pool::Global<secure_node::NodeResources> resources;

}  // namespace

extern "C" std::uint8_t __data_start[], __bss_end[];

int main() {
  const board::BoardInfo& info = board::Info();
  secure_node::LineWriter banner;
  banner << "BOOT board=" << info.name << " core=" << info.core
         << " build=" << build_info::BuildId()
         << " static_ram=" << static_cast<std::uint32_t>(__bss_end - __data_start);
  output.ConsoleLine(banner.view());
  if (resources.Initialize() != pool::Error::kOk) {
    output.ConsoleLine("FATAL resources already initialised");
    return 1;
  }
  static secure_node::Node node(output, *resources.Get().value());
  node.Start();
  for (;;) {
    if (const auto byte = board::ConsoleTryRead()) node.ConsoleByte(*byte);
    if (const auto byte = board::NetworkTryRead()) node.NetworkByte(*byte);
  }
}
