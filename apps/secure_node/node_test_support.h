// Test support for the node's tests: an in-memory node with its own flash
// that can be power-cycled, provisioning from a fleet secret the way the
// provisioning tool does, and frame helpers.
#ifndef APPS_SECURE_NODE_NODE_TEST_SUPPORT_H_
#define APPS_SECURE_NODE_NODE_TEST_SUPPORT_H_

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/payload.h"
#include "apps/secure_node/stored_records.h"
#include "base/fake_clock.h"
#include "gtest/gtest.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"
#include "wire/cobs.h"

namespace secure_node::test_support {

using FleetSecret = std::array<std::uint8_t, kFleetSecretBytes>;
using Key = std::array<std::uint8_t, kLinkKeyBytes>;

inline FleetSecret SecretOf(std::uint8_t fill) {
  FleetSecret secret;
  secret.fill(fill);
  return secret;
}
inline const FleetSecret kSecret = SecretOf(0xaa);

inline std::string Hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

inline Key PairRoot(const FleetSecret& secret, std::uint8_t a, std::uint8_t b) {
  Key root;
  EXPECT_TRUE(DerivePairRoot(secret, a, b, root));
  return root;
}

inline Key EpochKey(const Key& root, std::uint32_t epoch) {
  Key key;
  EXPECT_TRUE(DeriveEpochKey(root, epoch, key));
  return key;
}

class CapturingOutput final : public NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override { lines.emplace_back(line); }
  void ConsoleEcho(std::string_view bytes) override { echo.append(bytes); }
  void NetworkBytes(std::span<const std::uint8_t> bytes) override {
    wire.insert(wire.end(), bytes.begin(), bytes.end());
  }
  std::string TakeLastLine() {
    if (lines.empty()) return "";
    std::string line = lines.back();
    lines.clear();
    return line;
  }
  std::vector<std::string> lines;
  std::string echo;
  std::vector<std::uint8_t> wire;
};

// A node with its own pools, workspace and flash (~90 KiB: tests keep them
// off the board's 64 KiB stack, on the test heap). Reboot() is a power
// cycle: RAM (resources, node, the store's index) is rebuilt, the flash
// keeps what was programmed.
using TestFlash = storage::RamFlash<16 * 1024, 2>;
using TestStore = storage::RecordStore<records::kMaxRecordKeys>;

struct TestNode {
  CapturingOutput output;
  TestFlash flash;
  base::FakeClock clock{1'000'000};
  std::optional<NodeResources> resources;
  std::optional<TestStore> store;
  std::optional<Node> node;

  TestNode() { Reboot(); }

  void Reboot() {
    node.reset();
    store.reset();
    resources.reset();
    flash.RestorePower();
    resources.emplace();
    store.emplace(flash);
    EXPECT_EQ(store->Mount(), base::OkStatus());
    output.lines.clear();
    node.emplace(output, *resources, *store, clock);
    node->Start();
  }

  // PROVISION, then a LINK for each peer with its root from `secret`.
  void Provision(std::uint8_t id, std::initializer_list<std::uint8_t> peers,
                 const FleetSecret& secret = kSecret) {
    ASSERT_EQ(Run("PROVISION " + std::to_string(id)),
              "OK PROVISION node=" + std::to_string(id));
    for (std::uint8_t peer : peers) {
      const std::string reply = Run("LINK " + std::to_string(peer) + " " +
                                    Hex(PairRoot(secret, id, peer)));
      ASSERT_EQ(reply.rfind("OK LINK peer=" + std::to_string(peer), 0), 0u)
          << reply;
    }
  }

  std::string Run(const std::string& line) {
    output.lines.clear();
    node->ExecuteLine(line);
    return output.TakeLastLine();
  }
  // Types a line on the console byte by byte (the path that buffers it).
  std::string Type(const std::string& line) {
    output.lines.clear();
    for (char c : line) node->ConsoleByte(static_cast<std::uint8_t>(c));
    node->ConsoleByte('\n');
    return output.TakeLastLine();
  }
  void Deliver(const std::vector<std::uint8_t>& bytes) {
    for (std::uint8_t b : bytes) node->NetworkByte(b);
  }
  std::vector<std::uint8_t> TakeWire() {
    std::vector<std::uint8_t> bytes;
    bytes.swap(output.wire);
    return bytes;
  }
};

// The node's READY line (it names the longest wait for an outcome).
inline const std::string kReady =
    "READY arq_lifetime_ms=" +
    std::to_string(kOutboundWorstCaseLifetimeUs / 1000);

inline std::string ExpectedRx(unsigned src, std::uint32_t id,
                              std::uint32_t seed, std::size_t len) {
  std::vector<std::uint8_t> payload(len);
  GeneratePayload(seed, payload);
  char fnv[9];
  const std::uint32_t h = Fnv1a32(payload);
  for (int i = 0; i < 8; ++i)
    fnv[i] = "0123456789abcdef"[(h >> (28 - 4 * i)) & 0xF];
  fnv[8] = 0;
  return "RX src=" + std::to_string(src) + " id=" + std::to_string(id) +
         " len=" + std::to_string(len) + " fnv=" + fnv;
}

// Splits a wire stream into its COBS frames (delimiters removed) and decodes.
inline std::vector<std::vector<std::uint8_t>> DecodeFrames(
    const std::vector<std::uint8_t>& wire) {
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint8_t> current;
  for (std::uint8_t b : wire) {
    if (b != 0) {
      current.push_back(b);
      continue;
    }
    std::vector<std::uint8_t> decoded(current.size());
    const base::Result<std::size_t> r = wire::CobsDecode(current, decoded);
    EXPECT_TRUE(r.ok()) << base::StatusName<wire::CobsCode>(r.status());
    decoded.resize(r.value());
    frames.push_back(decoded);
    current.clear();
  }
  return frames;
}

inline std::vector<std::uint8_t> Encode(
    const std::vector<std::uint8_t>& frame) {
  std::vector<std::uint8_t> out(wire::CobsMaxEncodedSize(frame.size()) + 1);
  const base::Result<std::size_t> r = wire::CobsEncode(frame, out);
  out.resize(r.value());  // cannot fail: the output is large enough
  out.push_back(0);
  return out;
}

}  // namespace secure_node::test_support

#endif  // APPS_SECURE_NODE_NODE_TEST_SUPPORT_H_
