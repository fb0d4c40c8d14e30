// Fuzzes a provisioned node's network input (Node::NetworkByte) with
// arbitrary bytes: whatever arrives, the node must not crash, and every
// frame it sends must pass fuzz_node.h's WireChecker. No frame is
// authentic here (the fuzzer cannot forge a tag), so nothing may ever be
// received: no RX line.
#include <cstddef>
#include <cstdint>
#include <string>

#include "apps/secure_node/fuzz/fuzz_node.h"

namespace secure_node::fuzz {
namespace {

void Run(const std::uint8_t* data, std::size_t size) {
  static ProvisionedNode* const provisioned = new ProvisionedNode();
  FuzzNode& node = provisioned->Boot();
  WireChecker checker;
  for (std::size_t i = 0; i < size; ++i) {
    node.node->NetworkByte(data[i]);
    if (data[i] == wire::kFrameDelimiter) {
      checker.Check(node.output.wire, 2);
      node.output.wire.clear();
    }
  }
  for (const std::string& line : node.output.lines) {
    Require(line.rfind("RX ", 0) != 0);
  }
}

}  // namespace
}  // namespace secure_node::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  secure_node::fuzz::Run(data, size);
  return 0;
}
