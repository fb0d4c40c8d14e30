// What the node's fuzz targets share: an in-memory node that boots from a
// flash image (as node_test_support.h's TestNode does, without GoogleTest),
// provisioning from a fleet secret, and the checks every output of a node
// must pass whatever its input.
#ifndef APPS_SECURE_NODE_FUZZ_FUZZ_NODE_H_
#define APPS_SECURE_NODE_FUZZ_FUZZ_NODE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_resources.h"
#include "apps/secure_node/stored_records.h"
#include "base/fake_clock.h"
#include "base/status.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"
#include "wire/cobs.h"
#include "wire/header.h"

namespace secure_node::fuzz {

// A fuzz target reports a broken property by crashing: libFuzzer keeps the
// input.
inline void Require(bool condition) {
  if (!condition) std::abort();
}

class CapturingOutput final : public NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override { lines.emplace_back(line); }
  void NetworkBytes(std::span<const std::uint8_t> bytes) override {
    wire.insert(wire.end(), bytes.begin(), bytes.end());
  }
  std::vector<std::string> lines;
  std::vector<std::uint8_t> wire;
};

// 4 KiB sectors hold everything a node with a few links stores and keep a
// boot (a copy and a mount of the image) cheap enough to do per input.
using FuzzFlash = storage::RamFlash<4096, 2>;
using FuzzStore = storage::RecordStore<records::kMaxRecordKeys>;

// A node and its flash. Boot() is a power-on: RAM is built anew, the flash
// keeps what it holds, so a fuzz input can start from a copy of a flash
// image prepared once.
struct FuzzNode {
  CapturingOutput output;
  FuzzFlash flash;
  base::FakeClock clock{1'000'000};
  std::optional<NodeResources> resources;
  std::optional<FuzzStore> store;
  std::optional<Node> node;

  void Boot() {
    node.reset();
    store.reset();
    resources.reset();
    flash.RestorePower();
    resources.emplace();
    store.emplace(flash);
    Require(store->Mount().ok());
    node.emplace(output, *resources, *store, clock);
    node->Start();
  }

  std::string Run(std::string_view line) {
    output.lines.clear();
    node->ExecuteLine(line);
    return output.lines.empty() ? "" : output.lines.back();
  }

  void Deliver(std::span<const std::uint8_t> bytes) {
    for (const std::uint8_t b : bytes) node->NetworkByte(b);
  }
};

inline std::string Hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (const std::uint8_t b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

// PROVISION `id`, then a LINK to each peer with the pair's root derived
// from a fixed fleet secret, as tools/provision does.
inline void Provision(FuzzNode& n, std::uint8_t id,
                      std::span<const std::uint8_t> peers) {
  std::array<std::uint8_t, kFleetSecretBytes> secret;
  secret.fill(0xaa);
  Require(n.Run("PROVISION " + std::to_string(id)) ==
          "OK PROVISION node=" + std::to_string(id));
  for (const std::uint8_t peer : peers) {
    std::array<std::uint8_t, kLinkKeyBytes> root;
    Require(DerivePairRoot(secret, id, peer, root));
    const std::string reply =
        n.Run("LINK " + std::to_string(peer) + " " + Hex(root));
    Require(reply.rfind("OK LINK peer=" + std::to_string(peer), 0) == 0);
  }
}

// Splits a wire stream into its encoded frames, delimiters included.
inline std::vector<std::vector<std::uint8_t>> SplitFrames(
    std::span<const std::uint8_t> wire) {
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint8_t> current;
  for (const std::uint8_t b : wire) {
    current.push_back(b);
    if (b == wire::kFrameDelimiter) {
      frames.push_back(current);
      current.clear();
    }
  }
  Require(current.empty());  // a node only ever writes whole frames
  return frames;
}

// Checks everything a node sends, whatever it was fed: each frame is whole,
// decodes and parses, comes from the node's own id to a valid node, and no
// two different frames are ever sealed under one nonce (same pair, epoch
// and sequence): a retransmission is the identical bytes. Freshness never
// rewinds, not even across RESET and a new PROVISION, so this holds for
// the whole of an input.
class WireChecker {
 public:
  void Check(std::span<const std::uint8_t> wire_bytes, std::uint8_t self) {
    for (const auto& encoded : SplitFrames(wire_bytes)) {
      std::vector<std::uint8_t> frame(encoded.begin(), encoded.end() - 1);
      const base::Result<std::size_t> decoded = wire::CobsDecodeInPlace(frame);
      Require(decoded.ok());
      frame.resize(decoded.value());
      const base::Result<wire::LinkHeader> header =
          wire::ParseFrameHeader(frame);
      Require(header.ok());
      const wire::LinkHeader& h = header.value();
      Require(h.source == self && h.destination >= 1 && h.destination <= 254 &&
              h.destination != self);
      const auto nonce =
          std::make_tuple(h.source, h.destination, h.epoch, h.sequence);
      const auto [it, fresh] = sent_.try_emplace(nonce, frame);
      Require(fresh || it->second == frame);
    }
  }

 private:
  std::map<std::tuple<std::uint8_t, std::uint8_t, std::uint32_t, std::uint32_t>,
           std::vector<std::uint8_t>>
      sent_;
};

// Node 2, linked to nodes 1 and 3: its flash image after provisioning is
// made once per process; Boot() starts the node afresh from a copy of it
// for each input, so inputs never see each other's state.
class ProvisionedNode {
 public:
  ProvisionedNode() {
    node_.Boot();
    const std::uint8_t peers[] = {1, 3};
    Provision(node_, 2, peers);
    image_ = node_.flash;
  }
  FuzzNode& Boot() {
    node_.flash = image_;
    node_.clock = base::FakeClock(1'000'000);
    node_.output = CapturingOutput();
    node_.Boot();
    return node_;
  }

 private:
  FuzzNode node_;
  FuzzFlash image_;
};

}  // namespace secure_node::fuzz

#endif  // APPS_SECURE_NODE_FUZZ_FUZZ_NODE_H_
