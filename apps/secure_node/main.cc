// secure_node firmware entry point: binds the board-independent Node to the
// board's console and network UARTs and polls both forever.
#include <cstdint>

#include "apps/build_info/build_info.h"
#include "apps/secure_node/line_writer.h"
#include "apps/secure_node/node.h"
#include "board/board.h"
#include "board/network_uart.h"

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
// Static: the node's buffers (two 4 KiB frames and the replay windows) are
// decided at link time, not on the stack.
secure_node::Node node(output);

}  // namespace

extern "C" std::uint8_t __data_start[], __bss_end[];

int main() {
  const board::BoardInfo& info = board::Info();
  secure_node::LineWriter banner;
  banner << "BOOT board=" << info.name << " core=" << info.core
         << " build=" << build_info::BuildId()
         << " static_ram=" << static_cast<std::uint32_t>(__bss_end - __data_start);
  output.ConsoleLine(banner.view());
  node.Start();
  for (;;) {
    if (const auto byte = board::ConsoleTryRead()) node.ConsoleByte(*byte);
    if (const auto byte = board::NetworkTryRead()) node.NetworkByte(*byte);
  }
}
