// Fuzzes a provisioned node's console input (Node::ConsoleByte) with
// arbitrary bytes: any command, argument, length, line ending or binary
// junk, in any order (PROVISION, LINK with any hex, SEND, ROTATE, RESET,
// TAMPER, STATS, ...). What must hold: no crash; every frame the node
// sends passes fuzz_node.h's WireChecker (whole, well-formed, never two
// frames under one nonce, across RESET and re-provisioning too); every
// console line is a single line; and the node still answers STATS at the
// end.
#include <cstddef>
#include <cstdint>
#include <string>

#include "apps/secure_node/fuzz/fuzz_node.h"

namespace secure_node::fuzz {
namespace {

void CheckLines(CapturingOutput& output) {
  for (const std::string& line : output.lines) {
    Require(line.find('\n') == std::string::npos);
  }
  output.lines.clear();
}

void Run(const std::uint8_t* data, std::size_t size) {
  static ProvisionedNode* const provisioned = new ProvisionedNode();
  FuzzNode& node = provisioned->Boot();
  WireChecker checker;
  // Checked with the sender's id as the frames left: RESET and PROVISION
  // change it.
  const auto check_output = [&] {
    checker.Check(node.output.wire, node.node->id());
    node.output.wire.clear();
    CheckLines(node.output);
  };
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t id_before = node.node->id();
    node.node->ConsoleByte(data[i]);
    // A line ends at CR or LF (a CR LF pair is one line end; the check is
    // harmless twice).
    if (data[i] == '\r' || data[i] == '\n') {
      // Only SEND transmits, and it does not change the id.
      if (!node.output.wire.empty()) Require(node.node->id() == id_before);
      check_output();
    }
  }
  node.node->ConsoleByte('\n');  // ends a pending partial line, if any
  check_output();
  // Retransmissions too are the identical frames.
  node.clock.Advance(10'000'000);
  node.node->Service();
  check_output();
  Require(node.Run("STATS").rfind("STATS node=", 0) == 0);
}

}  // namespace
}  // namespace secure_node::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  secure_node::fuzz::Run(data, size);
  return 0;
}
