// Fuzzes a node's network input with REAL traffic: a program of operations
// on node 2 whose frames come from node 1, sealed once at start-up under
// the pair's real keys, so inputs get past COBS, the header and the tag:
//
//   Data / Ack        deliver one of node 1's DATA frames, or one of its
//                     ACKs of node 2's first SENDs, as sent
//   Mutated           the same with bytes of the decoded frame changed (in
//                     the header, ciphertext or tag), re-encoded
//   Truncated         the same cut short, re-encoded
//   Raw               a few arbitrary bytes (noise, half frames)
//   Send              node 2 sends one of its first messages to node 1 (the
//                     SENDs the ACKs answer, if made in the same order)
//   Tick              time passes and node 2 services its retransmissions
//   Reboot            node 2 loses power and boots from its flash
//   Rotate            node 2 moves to a later epoch (node 1's frames then
//                     belong to an old one)
//
// What must hold, besides no crash and fuzz_node.h's WireChecker on
// everything node 2 sends:
//  * authenticity: every RX line is exactly the line of one of node 1's
//    DATA frames, unchanged; a mutated frame is never received;
//  * at most once: each of node 1's messages is received once per input,
//    across reboots (the receive window is persisted);
//  * delivery: in each life of node 2, every accepted SEND ends in exactly
//    one DELIVERED or FAILED line once time has run out.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "apps/secure_node/fuzz/fuzz_node.h"
#include "base/fuzz_input.h"

namespace secure_node::fuzz {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Node 1's messages to node 2 (id, length, payload seed) and node 2's
// first messages to node 1.
struct Message {
  unsigned id;
  unsigned length;
  unsigned seed;
};
constexpr Message kFromNode1[] = {{101, 0, 1}, {102, 16, 2}, {103, 200, 3}};
constexpr Message kFromNode2[] = {{201, 8, 4}, {202, 64, 5}, {203, 300, 6}};

std::string SendLine(unsigned to, const Message& m) {
  return "SEND " + std::to_string(to) + " " + std::to_string(m.id) + " " +
         std::to_string(m.length) + " " + std::to_string(m.seed);
}

Bytes Decode(const Bytes& encoded) {
  Bytes frame(encoded.begin(), encoded.end() - 1);  // without the delimiter
  const base::Result<std::size_t> size = wire::CobsDecodeInPlace(frame);
  Require(size.ok());
  frame.resize(size.value());
  return frame;
}

Bytes Encode(const Bytes& frame) {
  Bytes out(wire::CobsMaxEncodedSize(frame.size()));
  const base::Result<std::size_t> size = wire::CobsEncode(frame, out);
  Require(size.ok());
  out.resize(size.value());
  out.push_back(wire::kFrameDelimiter);
  return out;
}

// The id=<n> field of a console line, or -1.
long IdOf(const std::string& line) {
  const std::size_t at = line.find(" id=");
  if (at == std::string::npos) return -1;
  return std::strtol(line.c_str() + at + 4, nullptr, 10);
}

// Made once: node 2's provisioned flash image, node 1's frames (decoded)
// and the RX line node 2 prints for each of node 1's DATA frames.
struct Fixture {
  Fixture() {
    const std::uint8_t peers_of_2[] = {1, 3};
    const std::uint8_t peers_of_1[] = {2};
    FuzzNode node2;
    node2.Boot();
    Provision(node2, 2, peers_of_2);
    image = node2.flash;

    auto node1 = std::make_unique<FuzzNode>();
    node1->Boot();
    Provision(*node1, 1, peers_of_1);
    for (const Message& m : kFromNode1) {
      node1->output.wire.clear();
      Require(node1->Run(SendLine(2, m)).rfind("OK SEND", 0) == 0);
      const auto sent = SplitFrames(node1->output.wire);
      Require(sent.size() == 1);
      frames.push_back(Decode(sent[0]));
      // What node 2 prints on receiving it.
      node2.output.lines.clear();
      node2.Deliver(sent[0]);
      Require(node2.output.lines.size() == 1 &&
              node2.output.lines[0].rfind("RX src=1 ", 0) == 0);
      rx_lines.insert(node2.output.lines[0]);
    }
    // Node 2's first SENDs, made from the provisioned image as each input
    // starts, and node 1's ACKs of them.
    node2.flash = image;
    node2.Boot();
    for (const Message& m : kFromNode2) {
      node2.output.wire.clear();
      Require(node2.Run(SendLine(1, m)).rfind("OK SEND", 0) == 0);
      node1->output.wire.clear();
      node1->Deliver(node2.output.wire);
      const auto acks = SplitFrames(node1->output.wire);
      Require(acks.size() == 1);
      frames.push_back(Decode(acks[0]));
    }
  }
  FuzzFlash image;
  std::vector<Bytes> frames;  // node 1's DATA frames, then its ACKs
  std::set<std::string> rx_lines;
};

using Input = base::FuzzInput;

class Session {
 public:
  Session(const Fixture& fixture, FuzzNode& node)
      : fixture_(fixture), node_(node) {}

  void Run(Input& in) {
    node_.flash = fixture_.image;
    node_.clock = base::FakeClock(1'000'000);
    node_.output = CapturingOutput();
    node_.Boot();
    while (!in.empty()) {
      const std::uint8_t op = in.Byte();
      const Bytes& frame = fixture_.frames[in.Byte() % fixture_.frames.size()];
      switch (op % 10) {
        case 0:
        case 1:
          node_.Deliver(Encode(frame));
          break;
        case 2:
        case 3: {
          Bytes mutated = frame;
          const unsigned edits = 1 + in.Byte() % 4;
          for (unsigned e = 0; e < edits; ++e) {
            const std::size_t at = in.Byte() % mutated.size();
            mutated[at] ^= std::max<std::uint8_t>(in.Byte(), 1);
          }
          node_.Deliver(Encode(mutated));
          break;
        }
        case 4: {
          Bytes cut(frame.begin(), frame.begin() + in.Byte() % frame.size());
          node_.Deliver(Encode(cut));
          break;
        }
        case 5: {
          const unsigned count = in.Byte() % 16;
          for (unsigned i = 0; i < count; ++i) {
            node_.node->NetworkByte(in.Byte());
          }
          break;
        }
        case 6:
          node_.node->ExecuteLine(
              SendLine(1, kFromNode2[in.Byte() % std::size(kFromNode2)]));
          break;
        case 7:
          node_.clock.Advance(std::uint64_t{in.Byte()} * 20'000);
          node_.node->Service();
          break;
        case 8:
          CheckOutput();
          EndLife(/*drained=*/false);
          node_.Boot();
          break;
        case 9:
          node_.node->ExecuteLine("ROTATE " + std::to_string(in.Byte() % 4));
          break;
      }
      CheckOutput();
    }
    // Let every message in flight end: retransmissions run out.
    for (int i = 0; i < 64 && node_.node->in_flight() != 0; ++i) {
      node_.clock.Advance(60'000'000);
      node_.node->Service();
    }
    Require(node_.node->in_flight() == 0);
    CheckOutput();
    EndLife(/*drained=*/true);
  }

 private:
  void CheckOutput() {
    if (node_.node->id() != 0) checker_.Check(node_.output.wire, 2);
    node_.output.wire.clear();
    for (const std::string& line : node_.output.lines) {
      if (line.rfind("RX ", 0) == 0) {
        Require(fixture_.rx_lines.count(line) != 0);
        Require(received_.insert(line).second);
      } else if (line.rfind("OK SEND ", 0) == 0) {
        ++accepted_[IdOf(line)];
      } else if (line.rfind("DELIVERED ", 0) == 0 ||
                 line.rfind("FAILED ", 0) == 0) {
        const long id = IdOf(line);
        Require(++ended_[id] <= accepted_[id]);
      }
    }
    node_.output.lines.clear();
  }

  // A reboot forgets what was in flight without a line; once time has run
  // out, every SEND of this life has ended.
  void EndLife(bool drained) {
    if (drained) {
      for (const auto& [id, count] : accepted_) Require(ended_[id] == count);
    }
    accepted_.clear();
    ended_.clear();
  }

  const Fixture& fixture_;
  FuzzNode& node_;
  WireChecker checker_;
  std::set<std::string> received_;  // across reboots: at most once
  std::map<long, unsigned> accepted_;
  std::map<long, unsigned> ended_;
};

}  // namespace
}  // namespace secure_node::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using secure_node::fuzz::Fixture;
  static Fixture* const fixture = new Fixture();
  static secure_node::fuzz::FuzzNode* const node =
      new secure_node::fuzz::FuzzNode();
  secure_node::fuzz::Input in(data, size);
  secure_node::fuzz::Session(*fixture, *node).Run(in);
  return 0;
}
