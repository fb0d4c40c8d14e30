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

// Node 2, linked to nodes 1 and 3: the flash image after provisioning,
// made once; each input boots a node from a copy of it.
struct Fixture {
  Fixture() {
    node.Boot();
    const std::uint8_t peers[] = {1, 3};
    Provision(node, 2, peers);
    image = node.flash;
  }
  FuzzNode node;
  FuzzFlash image;
};

void Run(const std::uint8_t* data, std::size_t size) {
  static Fixture* const fixture = new Fixture();
  FuzzNode& node = fixture->node;
  node.flash = fixture->image;
  node.clock = base::FakeClock(1'000'000);
  node.output = CapturingOutput();
  node.Boot();
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
