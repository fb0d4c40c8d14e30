// Two nodes wired together in memory: the whole link protocol of
// PROTOCOL.md, run on the host and on both boards.
#include "apps/secure_node/node.h"

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/payload.h"
#include "gtest/gtest.h"
#include "wire/cobs.h"
#include "wire/header.h"

namespace secure_node {
namespace {

const std::string kSecretHex(64, 'a');

class CapturingOutput final : public NodeOutput {
 public:
  void ConsoleLine(std::string_view line) override { lines.emplace_back(line); }
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
  std::vector<std::uint8_t> wire;
};

// A node with its own pools and workspace (~55 KiB: tests keep them off
// the board's 64 KiB stack, in the fixture or on the test heap).
struct TestNode {
  CapturingOutput output;
  NodeResources resources;
  Node node{output, resources};

  std::string Run(const std::string& line) {
    output.lines.clear();
    node.ExecuteLine(line);
    return output.TakeLastLine();
  }
  void Deliver(const std::vector<std::uint8_t>& bytes) {
    for (std::uint8_t b : bytes) node.NetworkByte(b);
  }
  std::vector<std::uint8_t> TakeWire() {
    std::vector<std::uint8_t> bytes;
    bytes.swap(output.wire);
    return bytes;
  }
};

std::string ExpectedRx(unsigned src, std::uint32_t id, std::uint32_t seed, std::size_t len) {
  std::vector<std::uint8_t> payload(len);
  GeneratePayload(seed, payload);
  char fnv[9];
  const std::uint32_t h = Fnv1a32(payload);
  for (int i = 0; i < 8; ++i) fnv[i] = "0123456789abcdef"[(h >> (28 - 4 * i)) & 0xF];
  fnv[8] = 0;
  return "RX src=" + std::to_string(src) + " id=" + std::to_string(id) +
         " len=" + std::to_string(len) + " fnv=" + fnv;
}

// Splits a wire stream into its COBS frames (delimiters removed) and decodes.
std::vector<std::vector<std::uint8_t>> DecodeFrames(const std::vector<std::uint8_t>& wire) {
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint8_t> current;
  for (std::uint8_t b : wire) {
    if (b != 0) {
      current.push_back(b);
      continue;
    }
    std::vector<std::uint8_t> decoded(current.size());
    const wire::CobsResult r = wire::CobsDecode(current, decoded);
    EXPECT_EQ(r.error, wire::CobsError::kOk);
    decoded.resize(r.size);
    frames.push_back(decoded);
    current.clear();
  }
  return frames;
}

std::vector<std::uint8_t> Encode(const std::vector<std::uint8_t>& frame) {
  std::vector<std::uint8_t> out(wire::CobsMaxEncodedSize(frame.size()) + 1);
  const wire::CobsResult r = wire::CobsEncode(frame, out);
  out.resize(r.size);
  out.push_back(0);
  return out;
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(a.Run("PROVISION 1 " + kSecretHex), "OK PROVISION node=1");
    ASSERT_EQ(b.Run("PROVISION 2 " + kSecretHex), "OK PROVISION node=2");
  }
  // Sends one message from a to b and returns the frame bytes on the wire.
  std::vector<std::uint8_t> SendAToB(std::uint32_t id, std::size_t len, std::uint32_t seed) {
    const std::string reply = a.Run("SEND 2 " + std::to_string(id) + " " +
                                    std::to_string(len) + " " + std::to_string(seed));
    EXPECT_EQ(reply.rfind("OK SEND id=" + std::to_string(id), 0), 0u) << reply;
    return a.TakeWire();
  }
  TestNode a, b;
};

TEST_F(NodeTest, DeliversEveryPayloadSizeBothWays) {
  const std::size_t sizes[] = {0, 1, 15, 16, 17, 255, 256, 1000, 4095, 4096};
  std::uint32_t id = 100;
  for (std::size_t len : sizes) {
    b.Deliver(SendAToB(id, len, id * 7));
    EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, id, id * 7, len));
    ++id;
    ASSERT_EQ(b.Run("SEND 1 " + std::to_string(id) + " " + std::to_string(len) + " 5")
                  .rfind("OK SEND", 0),
              0u);
    a.Deliver(b.TakeWire());
    EXPECT_EQ(a.output.TakeLastLine(), ExpectedRx(2, id, 5, len));
    ++id;
  }
  EXPECT_EQ(b.node.stats().rx_ok, std::size(sizes));
  EXPECT_EQ(a.node.stats().tx, std::size(sizes));
  // Every pool block and workspace buffer went back (and was wiped).
  for (std::size_t c = 0; c < NodeRouter::class_count(); ++c) {
    EXPECT_EQ(a.resources.buffers.stats(c).in_use, 0u);
    EXPECT_EQ(b.resources.buffers.stats(c).in_use, 0u);
  }
  EXPECT_EQ(a.resources.crypto.stats().buffers_leased, 0u);
  // A SEND holds at most two large blocks at once: the plaintext goes back
  // (wiped) before the frame and its encoding are taken.
  EXPECT_EQ(a.resources.buffers.stats(3).high_water, 2u);
}

TEST_F(NodeTest, SequenceNumbersCountUpPerPeer) {
  EXPECT_EQ(a.Run("SEND 2 1 10 1"), "OK SEND id=1 seq=1 epoch=0");
  EXPECT_EQ(a.Run("SEND 2 2 10 1"), "OK SEND id=2 seq=2 epoch=0");
  EXPECT_EQ(a.Run("SEND 3 3 10 1"), "OK SEND id=3 seq=1 epoch=0");
}

TEST_F(NodeTest, ReplayedFrameIsRefused) {
  const std::vector<std::uint8_t> frame = SendAToB(7, 64, 3);
  b.Deliver(frame);
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 7, 3, 64));
  b.Deliver(frame);
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=replay");
  EXPECT_EQ(b.node.stats().rej_replay, 1u);
  EXPECT_EQ(b.node.stats().rx_ok, 1u);
}

TEST_F(NodeTest, OutOfOrderWithinTheWindowIsDelivered) {
  const auto first = SendAToB(1, 8, 1);
  const auto second = SendAToB(2, 8, 2);
  b.Deliver(second);
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 2, 2, 8));
  b.Deliver(first);
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 1, 1, 8));
}

// Every byte of a frame matters: changing any one of them gets the frame
// refused, for the documented reason, and a clean frame afterwards still
// goes through.
TEST_F(NodeTest, TamperingWithAnyByteIsRefused) {
  const std::vector<std::uint8_t> clean = DecodeFrames(SendAToB(9, 40, 9))[0];
  std::uint32_t next_id = 10;
  for (std::size_t position = 0; position < clean.size(); ++position) {
    std::vector<std::uint8_t> tampered = clean;
    tampered[position] ^= 0x04;
    b.Deliver(Encode(tampered));
    const std::string line = b.output.TakeLastLine();
    std::string expected_reason = "forged";
    if (position == 0 || position == 3 || position == 14 || position == 15 ||
        position == 12 || position == 13) {
      expected_reason = "malformed";  // version, flags, reserved, length
    } else if (position == 2) {
      expected_reason = "misrouted";  // destination 2 ^ 4 = 6
    } else if (position >= 4 && position < 8) {
      expected_reason = "epoch";
    }
    EXPECT_NE(line.find("reason=" + expected_reason), std::string::npos)
        << "byte " << position << ": " << line;
    EXPECT_EQ(line.find("RX"), std::string::npos);
  }
  EXPECT_EQ(b.node.stats().rx_ok, 0u);
  b.Deliver(SendAToB(next_id, 40, 1));
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, next_id, 1, 40));
}

TEST_F(NodeTest, WrongEpochIsRefusedUntilBothRotate) {
  ASSERT_EQ(a.Run("ROTATE 3"), "OK ROTATE epoch=3");
  b.Deliver(SendAToB(1, 10, 1));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=epoch");
  ASSERT_EQ(b.Run("ROTATE 3"), "OK ROTATE epoch=3");
  b.Deliver(SendAToB(2, 10, 1));
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 2, 1, 10));
  EXPECT_EQ(a.Run("ROTATE 3"), "ERR ROTATE reason=not_increasing");
  EXPECT_EQ(a.Run("ROTATE 2"), "ERR ROTATE reason=not_increasing");
}

TEST_F(NodeTest, MisroutedAndUnknownPeerFramesAreRefused) {
  ASSERT_EQ(a.Run("SEND 5 1 10 1").rfind("OK SEND", 0), 0u);
  b.Deliver(a.TakeWire());
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=misrouted");

  std::vector<std::uint8_t> frame = DecodeFrames(SendAToB(2, 10, 1))[0];
  frame[1] = 0;  // source 0 is no node
  b.Deliver(Encode(frame));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=0 reason=unknown_peer");
  frame[1] = 2;  // the receiver itself
  b.Deliver(Encode(frame));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=2 reason=unknown_peer");
  EXPECT_EQ(b.node.stats().rej_unknown_peer, 2u);
  EXPECT_EQ(b.node.stats().rej_misrouted, 1u);
}

TEST_F(NodeTest, ForgedFrameUnderAnotherFleetSecretCountsAViolation) {
  auto owned_intruder = std::make_unique<TestNode>();
  TestNode& intruder = *owned_intruder;
  ASSERT_EQ(intruder.Run("PROVISION 1 " + std::string(64, 'b')), "OK PROVISION node=1");
  ASSERT_EQ(intruder.Run("SEND 2 1 32 1").rfind("OK SEND", 0), 0u);
  b.Deliver(intruder.TakeWire());
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=forged");
  EXPECT_EQ(b.node.stats().violations, 1u);
  // A forged frame does not move the replay window: the real sequence 1
  // from node 1 is still accepted.
  b.Deliver(SendAToB(5, 32, 1));
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 5, 1, 32));
}

TEST_F(NodeTest, FramingRecoversFromDroppedBytes) {
  std::mt19937 rng(5);
  std::vector<std::uint8_t> stream;
  std::vector<bool> damaged;
  constexpr int kFrames = 12;
  for (int i = 0; i < kFrames; ++i) {
    std::vector<std::uint8_t> bytes = SendAToB(static_cast<std::uint32_t>(i), 100 + i, i);
    const bool damage = i % 3 == 1;
    if (damage) bytes.erase(bytes.begin() + static_cast<long>(rng() % (bytes.size() - 1)));
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    damaged.push_back(damage);
  }
  b.Deliver(stream);
  for (int i = 0; i < kFrames; ++i) {
    const std::string rx = ExpectedRx(1, static_cast<std::uint32_t>(i), i, 100 + i);
    const bool delivered =
        std::find(b.output.lines.begin(), b.output.lines.end(), rx) != b.output.lines.end();
    EXPECT_EQ(delivered, !damaged[i]) << "frame " << i;
  }
}

TEST_F(NodeTest, NeitherPlaintextNorKeysAppearOnTheWire) {
  const std::vector<std::uint8_t> wire_bytes = SendAToB(1, 4096, 77);
  std::vector<std::uint8_t> payload(4096);
  GeneratePayload(77, payload);
  for (std::size_t offset = 0; offset + 16 <= payload.size(); offset += 16) {
    EXPECT_EQ(std::search(wire_bytes.begin(), wire_bytes.end(), payload.begin() + offset,
                          payload.begin() + offset + 16),
              wire_bytes.end())
        << "plaintext at offset " << offset;
  }
  std::array<std::uint8_t, kFleetSecretBytes> secret;
  secret.fill(0xaa);
  std::array<std::uint8_t, kLinkKeyBytes> key;
  ASSERT_TRUE(DerivePairKey(secret, 1, 2, 0, key));
  EXPECT_EQ(std::search(wire_bytes.begin(), wire_bytes.end(), key.begin(), key.begin() + 8),
            wire_bytes.end());
  EXPECT_EQ(std::search(wire_bytes.begin(), wire_bytes.end(), secret.begin(), secret.begin() + 8),
            wire_bytes.end());
}

TEST(NodeConsoleTest, EveryErrorHasItsReason) {
  auto owned = std::make_unique<TestNode>();
  TestNode& n = *owned;
  EXPECT_EQ(n.Run("SEND 2 1 10 1"), "ERR SEND id=1 reason=not_provisioned");
  EXPECT_EQ(n.Run("PROVISION 0 " + kSecretHex), "ERR PROVISION reason=bad_id");
  EXPECT_EQ(n.Run("PROVISION 255 " + kSecretHex), "ERR PROVISION reason=bad_id");
  EXPECT_EQ(n.Run("PROVISION 1 abcd"), "ERR PROVISION reason=bad_secret");
  EXPECT_EQ(n.Run("PROVISION 1 " + std::string(63, 'a') + "g"), "ERR PROVISION reason=bad_secret");
  EXPECT_EQ(n.Run("PROVISION 1"), "ERR PROVISION reason=bad_arguments");
  EXPECT_EQ(n.Run("PROVISION 1 " + kSecretHex), "OK PROVISION node=1");
  EXPECT_EQ(n.Run("PROVISION 2 " + kSecretHex), "ERR PROVISION reason=already_provisioned");
  EXPECT_EQ(n.Run("SEND 1 1 10 1"), "ERR SEND id=1 reason=bad_destination");
  EXPECT_EQ(n.Run("SEND 0 1 10 1"), "ERR SEND id=1 reason=bad_destination");
  EXPECT_EQ(n.Run("SEND 255 1 10 1"), "ERR SEND id=1 reason=bad_destination");
  EXPECT_EQ(n.Run("SEND 2 1 4097 1"), "ERR SEND id=1 reason=too_long");
  EXPECT_EQ(n.Run("SEND 2 x 10 1"), "ERR SEND reason=bad_arguments");
  EXPECT_EQ(n.Run("SEND 2 1 -1 1"), "ERR SEND reason=bad_arguments");
  EXPECT_EQ(n.Run("SEND 2 1 10"), "ERR SEND reason=bad_arguments");
  EXPECT_EQ(n.Run("ROTATE"), "ERR ROTATE reason=bad_arguments");
  EXPECT_EQ(n.Run("ROTATE 0"), "ERR ROTATE reason=not_increasing");
  EXPECT_EQ(n.Run("STATS now"), "ERR STATS reason=bad_arguments");
  EXPECT_EQ(n.Run("FLY"), "ERR FLY reason=unknown_command");
  EXPECT_EQ(n.Run("SEND 1 2 3 4 5 6 7"), "ERR SEND reason=bad_arguments");
  n.output.lines.clear();
  for (char c : std::string(Node::kMaxLineBytes + 5, 'x')) n.node.ConsoleByte(c);
  n.node.ConsoleByte('\n');
  EXPECT_EQ(n.output.TakeLastLine(), "ERR LINE reason=too_long");
  for (char c : std::string("STATS\r\n")) n.node.ConsoleByte(c);
  EXPECT_EQ(n.output.TakeLastLine().rfind("STATS node=1 epoch=0 tx=0", 0), 0u);
}

TEST_F(NodeTest, ResetForgetsEverything) {
  b.Deliver(SendAToB(1, 10, 1));
  ASSERT_EQ(b.node.stats().rx_ok, 1u);
  b.output.lines.clear();
  b.node.ExecuteLine("RESET");
  ASSERT_EQ(b.output.lines.size(), 2u);
  EXPECT_EQ(b.output.lines[0], "OK RESET");
  EXPECT_EQ(b.output.lines[1], "READY");
  EXPECT_EQ(b.node.stats().rx_ok, 0u);
  EXPECT_EQ(b.Run("SEND 1 1 1 1"), "ERR SEND id=1 reason=not_provisioned");
  b.Deliver(SendAToB(2, 10, 1));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=misrouted");
  EXPECT_EQ(b.Run("PROVISION 2 " + kSecretHex), "OK PROVISION node=2");
}

}  // namespace
}  // namespace secure_node
