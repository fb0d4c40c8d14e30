// Two nodes wired together in memory: the whole link protocol of
// PROTOCOL.md, run on the host and on both boards.
#include "apps/secure_node/node.h"

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node_test_support.h"
#include "apps/secure_node/payload.h"
#include "gtest/gtest.h"
#include "wire/cobs.h"
#include "wire/header.h"

namespace secure_node {
namespace {

using namespace test_support;  // NOLINT(build/namespaces): test helpers

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a.Provision(1, {2, 3, 5});
    b.Provision(2, {1, 3});
  }
  // Sends one message from a to b and returns the frame bytes on the wire.
  std::vector<std::uint8_t> SendAToB(std::uint32_t id, std::size_t len,
                                     std::uint32_t seed) {
    const std::string reply =
        a.Run("SEND 2 " + std::to_string(id) + " " + std::to_string(len) + " " +
              std::to_string(seed));
    EXPECT_EQ(reply.rfind("OK SEND id=" + std::to_string(id), 0), 0u) << reply;
    return a.TakeWire();
  }
  std::unique_ptr<TestNode> owned_a = std::make_unique<TestNode>();
  std::unique_ptr<TestNode> owned_b = std::make_unique<TestNode>();
  TestNode& a = *owned_a;
  TestNode& b = *owned_b;
};

TEST_F(NodeTest, DeliversEveryPayloadSizeBothWays) {
  const std::size_t sizes[] = {0, 1, 15, 16, 17, 255, 256, 1000, 4095, 4096};
  std::uint32_t id = 100;
  const auto delivered = [](std::uint32_t id, unsigned destination) {
    return "DELIVERED id=" + std::to_string(id) +
           " dst=" + std::to_string(destination) + " seq=";
  };
  for (std::size_t len : sizes) {
    b.Deliver(SendAToB(id, len, id * 7));
    EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, id, id * 7, len));
    a.Deliver(b.TakeWire());  // b's ACK
    std::string outcome = a.output.TakeLastLine();
    EXPECT_EQ(outcome.rfind(delivered(id, 2), 0), 0u) << outcome;
    EXPECT_TRUE(outcome.ends_with(" tx=1")) << outcome;
    ++id;
    ASSERT_EQ(
        b.Run("SEND 1 " + std::to_string(id) + " " + std::to_string(len) + " 5")
            .rfind("OK SEND", 0),
        0u);
    a.Deliver(b.TakeWire());
    EXPECT_EQ(a.output.TakeLastLine(), ExpectedRx(2, id, 5, len));
    b.Deliver(a.TakeWire());
    outcome = b.output.TakeLastLine();
    EXPECT_EQ(outcome.rfind(delivered(id, 1), 0), 0u) << outcome;
    ++id;
  }
  EXPECT_EQ(b.node->stats().rx_ok, std::size(sizes));
  EXPECT_EQ(a.node->stats().tx, std::size(sizes));
  EXPECT_EQ(a.node->stats().delivered, std::size(sizes));
  EXPECT_EQ(a.node->stats().acks_tx, std::size(sizes));
  EXPECT_EQ(a.node->in_flight(), 0u);
  // Every pool block and workspace buffer went back (and was wiped).
  for (std::size_t c = 0; c < NodeRouter::class_count(); ++c) {
    EXPECT_EQ(a.resources->buffers.stats(c).in_use, 0u);
    EXPECT_EQ(b.resources->buffers.stats(c).in_use, 0u);
  }
  EXPECT_EQ(a.resources->crypto.stats().buffers_leased, 0u);
  // A message is one pool block, its sealed frame, from SEND until its
  // acknowledgement; receiving takes none (the frame is decoded in place).
  EXPECT_EQ(a.resources->buffers.stats(3).high_water, 1u);
}

TEST_F(NodeTest, SequenceNumbersCountUpPerPeer) {
  EXPECT_EQ(a.Run("SEND 2 1 10 1"), "OK SEND id=1 seq=1 epoch=0");
  EXPECT_EQ(a.Run("SEND 2 2 10 1"), "OK SEND id=2 seq=2 epoch=0");
  EXPECT_EQ(a.Run("SEND 3 3 10 1"), "OK SEND id=3 seq=1 epoch=0");
}

TEST_F(NodeTest, DuplicateIsAcknowledgedAgainNeverDeliveredTwice) {
  const std::vector<std::uint8_t> frame = SendAToB(7, 64, 3);
  b.Deliver(frame);
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 7, 3, 64));
  const std::vector<std::uint8_t> first_ack = b.TakeWire();
  b.Deliver(frame);  // the ACK was lost, a retransmitted
  EXPECT_TRUE(b.output.lines.empty()) << b.output.TakeLastLine();
  EXPECT_EQ(b.node->stats().rx_duplicates, 1u);
  EXPECT_EQ(b.node->stats().rx_ok, 1u);
  // The second ACK is a new frame (new sequence) naming the same message.
  const std::vector<std::uint8_t> second_ack = b.TakeWire();
  ASSERT_EQ(DecodeFrames(second_ack).size(), 1u);
  EXPECT_NE(first_ack, second_ack);
  a.Deliver(second_ack);
  EXPECT_EQ(a.output.TakeLastLine().rfind("DELIVERED id=7 dst=2 seq=1 tx=1", 0),
            0u);
  // The first ACK, late: the message already ended.
  a.Deliver(first_ack);
  EXPECT_EQ(a.output.TakeLastLine(), "REJECT src=2 reason=ack_unknown");
  EXPECT_EQ(a.node->stats().ack_unknown, 1u);
  EXPECT_EQ(a.node->stats().delivered, 1u);
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
    } else if (position == 1) {
      expected_reason = "unknown_peer";  // source 1 ^ 4 = 5: b has no link to 5
    } else if (position == 2) {
      expected_reason = "misrouted";  // destination 2 ^ 4 = 6
    } else if (position >= 4 && position < 8) {
      expected_reason = "epoch";
    }
    EXPECT_NE(line.find("reason=" + expected_reason), std::string::npos)
        << "byte " << position << ": " << line;
    EXPECT_EQ(line.find("RX"), std::string::npos);
  }
  EXPECT_EQ(b.node->stats().rx_ok, 0u);
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
  EXPECT_EQ(b.node->stats().rej_unknown_peer, 2u);
  EXPECT_EQ(b.node->stats().rej_misrouted, 1u);
}

TEST_F(NodeTest, ForgedFrameUnderAnotherFleetSecretIsRefusedNotAViolation) {
  auto owned_intruder = std::make_unique<TestNode>();
  TestNode& intruder = *owned_intruder;
  intruder.Provision(1, {2}, SecretOf(0xbb));
  ASSERT_EQ(intruder.Run("SEND 2 1 32 1").rfind("OK SEND", 0), 0u);
  b.Deliver(intruder.TakeWire());
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=forged");
  EXPECT_EQ(b.node->stats().rej_forged, 1u);
  // Anyone on the wire can send such a frame: it never counts towards a
  // lockout of the node.
  EXPECT_EQ(b.resources->crypto.stats().violations, 0u);
  // A forged frame does not move the replay window: the real sequence 1
  // from node 1 is still accepted.
  b.Deliver(SendAToB(5, 32, 1));
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 5, 1, 32));
}

TEST_F(NodeTest, FramingRecoversFromDroppedBytes) {
  std::mt19937 rng(5);
  std::vector<std::uint8_t> stream;
  std::vector<bool> damaged;
  constexpr int kFrames = Outbound::kWindow;  // unacknowledged: a full window
  for (int i = 0; i < kFrames; ++i) {
    std::vector<std::uint8_t> bytes =
        SendAToB(static_cast<std::uint32_t>(i), 100 + i, i);
    const bool damage = i % 3 == 1;
    if (damage)
      bytes.erase(bytes.begin() +
                  static_cast<long>(rng() % (bytes.size() - 1)));
    stream.insert(stream.end(), bytes.begin(), bytes.end());
    damaged.push_back(damage);
  }
  b.Deliver(stream);
  for (int i = 0; i < kFrames; ++i) {
    const std::string rx =
        ExpectedRx(1, static_cast<std::uint32_t>(i), i, 100 + i);
    const bool delivered =
        std::find(b.output.lines.begin(), b.output.lines.end(), rx) !=
        b.output.lines.end();
    EXPECT_EQ(delivered, !damaged[i]) << "frame " << i;
  }
}

TEST_F(NodeTest, NeitherPlaintextNorKeysAppearOnTheWire) {
  const std::vector<std::uint8_t> wire_bytes = SendAToB(1, 4096, 77);
  std::vector<std::uint8_t> payload(4096);
  GeneratePayload(77, payload);
  for (std::size_t offset = 0; offset + 16 <= payload.size(); offset += 16) {
    EXPECT_EQ(
        std::search(wire_bytes.begin(), wire_bytes.end(),
                    payload.begin() + offset, payload.begin() + offset + 16),
        wire_bytes.end())
        << "plaintext at offset " << offset;
  }
  const Key root = PairRoot(kSecret, 1, 2);
  const Key key = EpochKey(root, 0);
  for (const auto* secret : {&kSecret, &root, &key}) {
    EXPECT_EQ(std::search(wire_bytes.begin(), wire_bytes.end(), secret->begin(),
                          secret->begin() + 8),
              wire_bytes.end());
  }
}

TEST(NodeConsoleTest, EveryErrorHasItsReason) {
  auto owned = std::make_unique<TestNode>();
  TestNode& n = *owned;
  const std::string root_hex = Hex(PairRoot(kSecret, 1, 2));
  EXPECT_EQ(n.Run("SEND 2 1 10 1"), "ERR SEND id=1 reason=not_provisioned");
  EXPECT_EQ(n.Run("LINK 2 " + root_hex), "ERR LINK reason=not_provisioned");
  EXPECT_EQ(n.Run("PROVISION 0"), "ERR PROVISION reason=bad_id");
  EXPECT_EQ(n.Run("PROVISION 255"), "ERR PROVISION reason=bad_id");
  EXPECT_EQ(n.Run("PROVISION x"), "ERR PROVISION reason=bad_id");
  // The old form that carried the fleet secret is refused outright.
  EXPECT_EQ(n.Run("PROVISION 1 " + std::string(64, 'a')),
            "ERR PROVISION reason=bad_arguments");
  EXPECT_EQ(n.Run("PROVISION"), "ERR PROVISION reason=bad_arguments");
  EXPECT_EQ(n.Run("PROVISION 1"), "OK PROVISION node=1");
  EXPECT_EQ(n.Run("PROVISION 2"), "ERR PROVISION reason=already_provisioned");
  EXPECT_EQ(n.Run("SEND 2 1 10 1"), "ERR SEND id=1 reason=no_link");
  EXPECT_EQ(n.Run("LINK 2 abcd"), "ERR LINK reason=bad_key");
  EXPECT_EQ(n.Run("LINK 2 " + std::string(63, 'a') + "g"),
            "ERR LINK reason=bad_key");
  EXPECT_EQ(n.Run("LINK 1 " + root_hex), "ERR LINK reason=bad_peer");
  EXPECT_EQ(n.Run("LINK 0 " + root_hex), "ERR LINK reason=bad_peer");
  EXPECT_EQ(n.Run("LINK 255 " + root_hex), "ERR LINK reason=bad_peer");
  EXPECT_EQ(n.Run("LINK 2"), "ERR LINK reason=bad_arguments");
  EXPECT_EQ(n.Run("LINK 2 " + root_hex), "OK LINK peer=2 links=1");
  EXPECT_EQ(n.Run("LINK 2 " + root_hex), "OK LINK peer=2 links=1");  // replaced
  for (unsigned peer = 3; peer < 3 + LinkKeys::kMaxLinks - 1; ++peer) {
    ASSERT_EQ(n.Run("LINK " + std::to_string(peer) + " " + root_hex)
                  .rfind("OK LINK", 0),
              0u);
  }
  EXPECT_EQ(n.Run("LINK 200 " + root_hex), "ERR LINK reason=too_many_links");
  EXPECT_EQ(n.Run("TAMPER now"), "ERR TAMPER reason=bad_arguments");
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
  for (char c : std::string(Node::kMaxLineBytes + 5, 'x'))
    n.node->ConsoleByte(c);
  n.node->ConsoleByte('\n');
  EXPECT_EQ(n.output.TakeLastLine(), "ERR LINE reason=too_long");
  for (char c : std::string("STATS\r\n")) n.node->ConsoleByte(c);
  EXPECT_EQ(n.output.TakeLastLine().rfind("STATS node=1 epoch=0 tx=0", 0), 0u);
}

TEST(NodeConsoleTest, AnyLineEndBackspaceEchoAndHelp) {
  auto owned = std::make_unique<TestNode>();
  TestNode& n = *owned;
  const auto type = [&](std::string_view bytes) {
    n.output.lines.clear();
    for (char c : bytes) n.node->ConsoleByte(static_cast<std::uint8_t>(c));
    return n.output.lines;
  };
  // CR (a terminal's Enter), LF and CR LF each end exactly one line.
  EXPECT_EQ(type("PROVISION 7\r"),
            std::vector<std::string>{"OK PROVISION node=7"});
  EXPECT_EQ(type("STATS now\n").size(), 1u);
  EXPECT_EQ(type("FLY\r\nFLY\r\n"),
            (std::vector<std::string>{"ERR FLY reason=unknown_command",
                                      "ERR FLY reason=unknown_command"}));
  EXPECT_TRUE(type("\r\n\n\r").empty());  // empty lines: nothing
  // Backspace and DEL edit the line; more of them than characters is fine.
  EXPECT_EQ(type("STATZ\bS x\x7f\x7f\r")[0].rfind("STATS node=7", 0), 0u);
  EXPECT_EQ(type("\b\bFLX\x08Y\n"),
            std::vector<std::string>{"ERR FLY reason=unknown_command"});
  // Echo is off for the harness, on for a person.
  EXPECT_TRUE(n.output.echo.empty());
  EXPECT_EQ(type("ECHO on\r"), std::vector<std::string>{"OK ECHO on"});
  n.output.echo.clear();
  type("HELQ\bP\r");
  EXPECT_EQ(n.output.echo, "HELQ\b \bP\r\n");
  const std::vector<std::string> help = type("HELP\r");
  ASSERT_GT(help.size(), 8u);
  EXPECT_EQ(help.back(), "OK HELP");
  for (const char* command : {"PROVISION", "LINK", "SEND", "ROTATE", "STATS",
                              "RESET", "TAMPER", "ECHO", "CLOCK"}) {
    EXPECT_TRUE(std::any_of(help.begin(), help.end(),
                            [&](const std::string& line) {
                              return line.rfind(std::string("HELP ") + command,
                                                0) == 0;
                            }))
        << command;
  }
  EXPECT_EQ(type("ECHO maybe\r"),
            std::vector<std::string>{"ERR ECHO reason=bad_arguments"});
  EXPECT_EQ(type("ECHO off\r"), std::vector<std::string>{"OK ECHO off"});
  n.output.echo.clear();
  type("STATS\r");
  EXPECT_TRUE(n.output.echo.empty());
}

// A stepped clock (the fleet's repeatable mode) moves only by CLOCK advance:
// the board's time passing retransmits nothing, an advance to the deadline
// retransmits before its reply, and the reply says what the node handled.
TEST_F(NodeTest, SteppedClockMovesOnlyWhenTheConsoleAdvancesIt) {
  EXPECT_EQ(a.Run("CLOCK"),
            "OK CLOCK mode=board now=1000000 due_in=none net_in=0");
  EXPECT_EQ(a.Run("CLOCK advance 5"), "ERR CLOCK reason=not_stepped");
  EXPECT_EQ(a.Run("CLOCK step"),
            "OK CLOCK mode=stepped now=1000000 due_in=none net_in=0");
  const std::vector<std::uint8_t> first = SendAToB(7, 100, 1);  // lost
  ASSERT_FALSE(first.empty());
  EXPECT_FALSE(a.node->NextDeadlineMicros());  // nothing for a board timer
  const std::string due = a.Run("CLOCK");
  ASSERT_EQ(due.rfind("OK CLOCK mode=stepped now=1000000 due_in=", 0), 0u)
      << due;
  const std::uint64_t due_in = std::stoull(due.substr(due.find("due_in=") + 7));
  ASSERT_GT(due_in, 0u);
  a.clock.Advance(60'000'000);  // a minute on the board: no effect
  a.node->Service();
  EXPECT_TRUE(a.TakeWire().empty());
  // One microsecond early: nothing yet.
  EXPECT_EQ(a.Run("CLOCK advance " + std::to_string(due_in - 1)),
            "OK CLOCK mode=stepped now=" +
                std::to_string(1000000 + due_in - 1) + " due_in=1 net_in=0");
  EXPECT_TRUE(a.TakeWire().empty());
  a.Run("CLOCK advance 1");
  EXPECT_EQ(a.TakeWire(), first);  // the identical frame, again
  b.Deliver(first);
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 7, 1, 100));
  const std::vector<std::uint8_t> ack = b.TakeWire();
  a.Deliver(ack);
  EXPECT_EQ(a.output.TakeLastLine().rfind("DELIVERED id=7 dst=2 seq=", 0), 0u);
  EXPECT_EQ(a.Run("CLOCK"),
            "OK CLOCK mode=stepped now=" + std::to_string(1000000 + due_in) +
                " due_in=none net_in=" + std::to_string(ack.size()));
  // Bad arguments, and a step that would wrap, change nothing.
  EXPECT_EQ(a.Run("CLOCK advance"), "ERR CLOCK reason=bad_arguments");
  EXPECT_EQ(a.Run("CLOCK advance -1"), "ERR CLOCK reason=bad_arguments");
  EXPECT_EQ(a.Run("CLOCK run"), "ERR CLOCK reason=bad_arguments");
  EXPECT_EQ(a.Run("CLOCK advance 18446744073709551615"),
            "ERR CLOCK reason=out_of_range");
  EXPECT_EQ(a.Run("CLOCK advance 18446744073709551616"),
            "ERR CLOCK reason=bad_arguments");
}

TEST_F(NodeTest, ResetForgetsKeysAndIdentity) {
  b.Deliver(SendAToB(1, 10, 1));
  ASSERT_EQ(b.node->stats().rx_ok, 1u);
  b.output.lines.clear();
  b.node->ExecuteLine("RESET");
  ASSERT_EQ(b.output.lines.size(), 2u);
  EXPECT_EQ(b.output.lines[0], "OK RESET");
  EXPECT_EQ(b.output.lines[1], kReady);
  EXPECT_EQ(b.node->stats().rx_ok, 0u);
  EXPECT_EQ(b.Run("SEND 1 1 1 1"), "ERR SEND id=1 reason=not_provisioned");
  b.Deliver(SendAToB(2, 10, 1));
  EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=misrouted");
  b.Provision(2, {1});
  b.Deliver(SendAToB(3, 10, 1));
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, 3, 1, 10));
}

}  // namespace
}  // namespace secure_node
