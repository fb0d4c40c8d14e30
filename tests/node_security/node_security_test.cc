// The node as an attacker, a thief and a power cut would try it
// (PROTOCOL.md, "Threat model"): nonces never repeat under a key across
// RESET, reboot, lockout, ROTATE and a crash at every byte of a store
// write; frames from before are refused; forged and noisy frames never lock
// the node out; no secret survives RESET or lockout; no plaintext outlives
// its frame; one node's bundle opens only its own links.
#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "apps/secure_node/link_keys.h"
#include "apps/secure_node/node.h"
#include "apps/secure_node/node_test_support.h"
#include "apps/secure_node/payload.h"
#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "wire/header.h"

namespace secure_node {
namespace {

using namespace test_support;  // NOLINT(build/namespaces): test helpers

// Every frame ever put on the wire by the nodes under test, by the identity
// of its (key, nonce): the key is fixed by (pair, epoch) and the pair's
// root, the nonce by (source, destination, epoch, sequence).
class NonceLedger {
 public:
  // Records every frame in `wire`; fails the test on a repeat.
  void Record(const std::vector<std::uint8_t>& wire) {
    for (const auto& frame : DecodeFrames(wire)) {
      const base::Result<wire::LinkHeader> parsed =
          wire::ParseFrameHeader(frame);
      ASSERT_TRUE(parsed.ok())
          << base::StatusName<wire::HeaderCode>(parsed.status());
      const wire::LinkHeader& h = parsed.value();
      const auto id =
          std::make_tuple(h.source, h.destination, h.epoch, h.sequence);
      EXPECT_TRUE(seen_.insert(id).second)
          << "nonce reuse: " << int{h.source} << "->" << int{h.destination}
          << " epoch=" << h.epoch << " seq=" << h.sequence;
    }
  }
  std::size_t size() const { return seen_.size(); }

 private:
  std::set<std::tuple<std::uint8_t, std::uint8_t, std::uint32_t, std::uint32_t>>
      seen_;
};

class NodeSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a.Provision(1, {2, 3});
    b.Provision(2, {1, 3});
  }
  // a sends to b; the frame is recorded in the ledger and returned.
  std::vector<std::uint8_t> Send(std::uint32_t id, std::size_t len = 24) {
    const std::string reply =
        a.Run("SEND 2 " + std::to_string(id) + " " + std::to_string(len) + " " +
              std::to_string(id));
    EXPECT_EQ(reply.rfind("OK SEND id=" + std::to_string(id), 0), 0u) << reply;
    std::vector<std::uint8_t> wire = a.TakeWire();
    ledger.Record(wire);
    return wire;
  }
  // b receives `frame` and delivers it; b's ACK goes back to a.
  void ExpectDelivered(const std::vector<std::uint8_t>& frame, std::uint32_t id,
                       std::size_t len = 24) {
    b.output.lines.clear();
    b.Deliver(frame);
    EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(1, id, id, len));
    CarryAcks();
  }
  // Whatever b put on the wire (acknowledgements) reaches a.
  void CarryAcks() {
    a.Deliver(b.TakeWire());
    a.output.lines.clear();
  }
  void ExpectRefused(const std::vector<std::uint8_t>& frame,
                     const std::string& reason) {
    b.output.lines.clear();
    b.Deliver(frame);
    EXPECT_EQ(b.output.TakeLastLine(), "REJECT src=1 reason=" + reason);
  }

  std::unique_ptr<TestNode> owned_a = std::make_unique<TestNode>();
  std::unique_ptr<TestNode> owned_b = std::make_unique<TestNode>();
  TestNode& a = *owned_a;
  TestNode& b = *owned_b;
  NonceLedger ledger;
};

TEST_F(NodeSecurityTest, NoNonceRepeatsAcrossResetRebootLockoutAndRotate) {
  std::vector<std::vector<std::uint8_t>> before;
  std::uint32_t id = 1;
  auto send_and_deliver = [&] {
    const auto frame = Send(id);
    ExpectDelivered(frame, id);
    before.push_back(frame);
    ++id;
  };
  // Frames from before a receiver's reboot are never delivered again: each
  // is acknowledged again (inside the persisted window) or refused.
  auto old_frames_refused = [&] {
    const std::uint32_t rx_before = b.node->stats().rx_ok;
    for (const auto& frame : before) {
      b.output.lines.clear();
      b.Deliver(frame);
      const std::string line = b.output.TakeLastLine();
      EXPECT_TRUE(line.empty() || line.rfind("REJECT src=1 reason=", 0) == 0)
          << line;
    }
    EXPECT_EQ(b.node->stats().rx_ok, rx_before);
    CarryAcks();
  };

  send_and_deliver();
  send_and_deliver();
  // RESET wipes the keys and the identity, never freshness.
  ASSERT_EQ(a.Run("RESET"), kReady);
  a.Provision(1, {2, 3});
  send_and_deliver();
  // A power cycle: the node restores itself, no provisioning, no rotation.
  a.Reboot();
  EXPECT_EQ(a.output.lines.front(), "RESTORED node=1 epoch=0 links=2");
  send_and_deliver();
  // The receiver reboots: every frame from before is refused.
  b.Reboot();
  old_frames_refused();
  send_and_deliver();
  // Lockout (local tamper evidence) and recovery.
  ASSERT_EQ(a.Run("TAMPER"), "OK TAMPER locked_out=1");
  EXPECT_EQ(a.Run("SEND 2 99 1 1"), "ERR SEND id=99 reason=locked_out");
  EXPECT_EQ(a.Run("PROVISION 1"), "ERR PROVISION reason=locked_out");
  ASSERT_EQ(a.Run("RESET"), kReady);
  a.Provision(1, {2, 3});
  send_and_deliver();
  // ROTATE to a used epoch is refused, also after RESET and reboot.
  ASSERT_EQ(a.Run("ROTATE 4"), "OK ROTATE epoch=4");
  ASSERT_EQ(b.Run("ROTATE 4"), "OK ROTATE epoch=4");
  send_and_deliver();
  ASSERT_EQ(a.Run("RESET"), kReady);
  EXPECT_EQ(a.Run("ROTATE 4"), "ERR ROTATE reason=not_increasing");
  EXPECT_EQ(a.Run("ROTATE 0"), "ERR ROTATE reason=not_increasing");
  a.Provision(1, {2, 3});
  send_and_deliver();
  a.Reboot();
  EXPECT_EQ(a.Run("ROTATE 3"), "ERR ROTATE reason=not_increasing");
  send_and_deliver();
  b.Reboot();
  old_frames_refused();
  send_and_deliver();
  EXPECT_EQ(ledger.size(), before.size());
}

// A power cut at every byte of the store writes a SEND and a receive make:
// after the reboot the node never reuses a sequence, never delivers a frame
// twice, and resumes.
TEST_F(NodeSecurityTest, CrashAtEveryByteOfAStoreWriteNeverRepeatsANonce) {
  std::uint32_t id = 1;
  std::set<std::uint32_t> delivered;
  // The first SEND after a reboot persists a new ceiling; cut power at
  // every byte of that write (and of the compactions it may cause).
  for (std::size_t cut = 0;; ++cut) {
    a.Reboot();
    a.flash.CutPowerAfter(cut);
    const std::string reply =
        a.Run("SEND 2 " + std::to_string(id) + " 24 " + std::to_string(id));
    const bool sent = reply.rfind("OK SEND", 0) == 0;
    const auto wire = a.TakeWire();
    if (!sent) {
      EXPECT_EQ(reply,
                "ERR SEND id=" + std::to_string(id) + " reason=storage_failed");
      EXPECT_TRUE(wire.empty());
    }
    ledger.Record(wire);
    a.Reboot();  // the cut, or a clean reboot after a send that got through
    if (sent) {
      ExpectDelivered(wire, id);
      ++id;
      if (cut > 64) break;  // the write completed without reaching the cut
    }
  }
  // The receiver: power cut at every byte of the write that persists the
  // highest sequence received. Each frame is delivered at most once.
  for (std::size_t cut = 0; cut < 96; ++cut) {
    const auto frame = Send(id);
    b.flash.CutPowerAfter(cut);
    b.output.lines.clear();
    b.Deliver(frame);
    const bool first = b.output.TakeLastLine().rfind("RX", 0) == 0;
    b.Reboot();
    b.output.lines.clear();
    b.Deliver(frame);  // again, after the reboot
    const std::string again = b.output.TakeLastLine();
    const bool second = again.rfind("RX", 0) == 0;
    EXPECT_FALSE(first && second) << "delivered twice at cut " << cut;
    if (second) {
      EXPECT_EQ(again, ExpectedRx(1, id, id, 24));
    } else {
      // Recorded before the cut: acknowledged again, not delivered. When
      // the cut fell after the record's commit but the write was reported
      // failed (!first), that ACK names a message the application never
      // saw: the window PROTOCOL.md's threat model documents.
      EXPECT_EQ(again, "") << cut;
      EXPECT_EQ(b.node->stats().rx_duplicates, 1u) << cut;
    }
    CarryAcks();
    if (first || second) delivered.insert(id);
    ++id;
  }
  // Once the cuts are past the write, every frame is delivered.
  const auto frame = Send(id);
  ExpectDelivered(frame, id);
  EXPECT_GT(delivered.size(), 0u);
}

// One forged frame (a plausible header, sequence far ahead, random tag)
// delivered 10^4 times: refused every time, the link is quarantined, and
// the node still exchanges traffic with every honest peer, including the
// one whose identity the forger claims.
TEST_F(NodeSecurityTest, ForgedFrameFloodNeverLocksTheNodeOut) {
#if defined(__arm__)
  constexpr int kCopies = 2'000;  // the board runs the same path, fewer times
#else
  constexpr int kCopies = 10'000;
#endif
  auto c_owned = std::make_unique<TestNode>();
  TestNode& c = *c_owned;
  c.Provision(3, {1, 2});
  std::vector<std::uint8_t> forged = DecodeFrames(Send(1))[0];
  forged[8] = forged[9] = forged[10] = forged[11] =
      0xff;  // sequence 0xffffffff
  for (std::size_t i = wire::kHeaderBytes; i < forged.size(); ++i)
    forged[i] ^= 0x5a;
  const auto encoded = Encode(forged);
  for (int i = 0; i < kCopies; ++i) {
    b.Deliver(encoded);
    b.clock.Advance(1'000);  // 1000 frames a second, faster than the line
  }
  EXPECT_EQ(b.node->stats().rej_forged, static_cast<std::uint32_t>(kCopies));
  EXPECT_FALSE(b.node->locked_out());
  EXPECT_FALSE(b.resources->crypto.locked_out());
  const std::string stats = b.Run("STATS");
  EXPECT_NE(stats.find(" links_quarantined=1 quarantines=1"), std::string::npos)
      << stats;
  // Honest traffic still flows: from the claimed peer and from another.
  ExpectDelivered(Send(2), 2);
  ASSERT_EQ(c.Run("SEND 2 7 24 7").rfind("OK SEND", 0), 0u);
  b.output.lines.clear();
  b.Deliver(c.TakeWire());
  EXPECT_EQ(b.output.TakeLastLine(), ExpectedRx(3, 7, 7, 24));
  ASSERT_EQ(b.Run("SEND 3 8 24 8").rfind("OK SEND", 0), 0u);
  c.output.lines.clear();
  c.Deliver(b.TakeWire());
  EXPECT_EQ(c.output.TakeLastLine(), ExpectedRx(2, 8, 8, 24));
  // Quarantine decays once the flood stops.
  b.clock.Advance(LinkHealth::kQuarantineScore * LinkHealth::kForgiveMicros);
  EXPECT_NE(b.Run("STATS").find(" links_quarantined=0 "), std::string::npos);
}

// A noisy line over a simulated day: 1 % of frames get a bit flipped. The
// damaged ones are refused and retransmitted intact, every message is
// delivered exactly once and acknowledged, and nothing locks the node out.
TEST_F(NodeSecurityTest, NoisyLineForADayNeverLocksTheNodeOut) {
#if defined(__arm__)
  constexpr std::uint32_t kFrames = 1'000;
#else
  constexpr std::uint32_t kFrames = 100'000;
#endif
  constexpr std::uint64_t kDayMicros = 24ull * 3600 * 1'000'000;
  std::mt19937 rng(1234);
  std::uint32_t flipped = 0;
  std::uint32_t expected_rx = 0;
  for (std::uint32_t id = 1; id <= kFrames; ++id) {
    ASSERT_EQ(
        a.Run("SEND 2 " + std::to_string(id) + " 16 " + std::to_string(id))
            .rfind("OK", 0),
        0u);
    std::vector<std::uint8_t> frame = DecodeFrames(a.TakeWire())[0];
    if (rng() % 100 == 0) {
      const std::size_t bit = rng() % (frame.size() * 8);
      frame[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      ++flipped;
    } else {
      ++expected_rx;
    }
    b.output.lines.clear();
    b.Deliver(Encode(frame));
    CarryAcks();
    b.clock.Advance(kDayMicros / kFrames);
    a.clock.Advance(kDayMicros / kFrames);  // past the first timeout
    a.node->Service();  // retransmits the damaged frame, intact this time
    b.Deliver(a.TakeWire());
    CarryAcks();
  }
  EXPECT_GT(flipped, 0u);
  EXPECT_EQ(b.node->stats().rx_ok, kFrames);
  EXPECT_EQ(a.node->stats().delivered, kFrames);
  EXPECT_EQ(a.node->stats().failed, 0u);
  EXPECT_EQ(static_cast<std::uint32_t>(a.node->in_flight()), 0u);
  EXPECT_EQ(b.node->stats().rej_forged + b.node->stats().rej_malformed +
                b.node->stats().rej_misrouted + b.node->stats().rej_epoch +
                b.node->stats().rej_unknown_peer + b.node->stats().rej_replay,
            flipped);
  EXPECT_EQ(expected_rx + flipped, kFrames);
  EXPECT_FALSE(b.node->locked_out());
  EXPECT_FALSE(b.resources->crypto.locked_out());
  EXPECT_EQ(b.node->stats().rej_locked_out, 0u);
  EXPECT_NE(b.Run("STATS").find(" quarantines=0 "), std::string::npos);
}

// Bytes that must not survive: every root and epoch key the node held, and
// their hex as typed on the console.
std::vector<std::vector<std::uint8_t>> SecretsOf(
    std::uint8_t self, std::initializer_list<std::uint8_t> peers) {
  std::vector<std::vector<std::uint8_t>> secrets;
  for (std::uint8_t peer : peers) {
    const Key root = PairRoot(kSecret, self, peer);
    const std::string hex = Hex(root);
    secrets.emplace_back(root.begin(), root.end());
    secrets.emplace_back(hex.begin(), hex.end());
    for (std::uint32_t epoch : {0u, 1u}) {
      const Key key = EpochKey(root, epoch);
      secrets.emplace_back(key.begin(), key.end());
    }
  }
  secrets.emplace_back(kSecret.begin(), kSecret.end());
  return secrets;
}

// Counts the secrets of which any 8-byte window occurs in `memory`.
std::size_t SecretsFound(
    std::span<const std::uint8_t> memory,
    const std::vector<std::vector<std::uint8_t>>& secrets) {
  std::size_t found = 0;
  for (const auto& secret : secrets) {
    bool hit = false;
    for (std::size_t at = 0; at + 8 <= secret.size() && !hit; at += 4) {
      hit = std::search(memory.begin(), memory.end(), secret.begin() + at,
                        secret.begin() + at + 8) != memory.end();
    }
    found += hit ? 1 : 0;
  }
  return found;
}

std::size_t SecretsInNode(
    TestNode& n, const std::vector<std::vector<std::uint8_t>>& secrets) {
  const auto bytes = [](const auto& object) {
    return std::span(reinterpret_cast<const std::uint8_t*>(&object),
                     sizeof(object));
  };
  return SecretsFound(bytes(*n.node), secrets) +
         SecretsFound(bytes(*n.resources), secrets) +
         SecretsFound(bytes(*n.store), secrets) +
         SecretsFound(n.flash.contents(), secrets);
}

TEST_F(NodeSecurityTest, NoSecretSurvivesResetOrLockout) {
  const auto secrets = SecretsOf(1, {2, 3});
  for (const std::string wipe : {"RESET", "TAMPER"}) {
    // Use both links in two epochs, typing the roots on the console.
    ASSERT_EQ(a.Type("RESET"), kReady);
    ASSERT_EQ(a.Type("PROVISION 1"), "OK PROVISION node=1");
    for (std::uint8_t peer : {2, 3}) {
      ASSERT_EQ(a.Type("LINK " + std::to_string(peer) + " " +
                       Hex(PairRoot(kSecret, 1, peer)))
                    .rfind("OK LINK", 0),
                0u);
    }
    ASSERT_EQ(a.Run("SEND 2 1 16 1").rfind("OK", 0), 0u);
    ASSERT_EQ(a.Run("SEND 3 2 16 1").rfind("OK", 0), 0u);
    // The scan finds what is there: the roots in RAM and in flash.
    EXPECT_GE(SecretsInNode(a, secrets), 2u) << wipe;
    EXPECT_EQ(SecretsFound(a.flash.contents(), {secrets[0]}), 1u);
    a.Type(wipe);
    EXPECT_EQ(SecretsInNode(a, secrets), 0u) << "after " << wipe;
    a.Reboot();  // nothing to restore either
    EXPECT_EQ(a.Run("SEND 2 3 16 1"), "ERR SEND id=3 reason=not_provisioned");
    EXPECT_EQ(SecretsInNode(a, secrets), 0u)
        << "after " << wipe << " and reboot";
  }
}

// No plaintext outlives its frame: once messages are sealed, delivered and
// acknowledged, no 8-byte window of any of them is left in either node, in
// RAM or in flash (the receiver opens in its frame buffer and wipes it
// after use; the sender seals in place and keeps only the ciphertext).
TEST_F(NodeSecurityTest, NoPlaintextOutlivesItsFrame) {
  std::vector<std::vector<std::uint8_t>> plaintexts;
  for (std::uint32_t id = 1; id <= 4; ++id) {
    const std::size_t len = std::size_t{16} << id;  // 32 to 256 bytes
    std::vector<std::uint8_t> text(len);
    GeneratePayload(id, text);
    plaintexts.push_back(text);
    ExpectDelivered(Send(id, len), id, len);
  }
  EXPECT_EQ(SecretsInNode(a, plaintexts), 0u) << "in the sender";
  EXPECT_EQ(SecretsInNode(b, plaintexts), 0u) << "in the receiver";
}

// A store that cannot be read at boot: the node refuses to send (it cannot
// know its sequences) and to be provisioned, and keeps its bundle in flash
// for the next boot that can read it.
TEST_F(NodeSecurityTest, UnreadableStoreRefusesWorkButKeepsTheBundle) {
  // An epoch record of the wrong size: the store mounts, its contents
  // cannot be trusted.
  const std::array<std::uint8_t, 3> bad_epoch = {1, 2, 3};
  ASSERT_EQ(a.store->Write(records::kEpoch, bad_epoch), base::OkStatus());
  a.Reboot();
  ASSERT_EQ(a.output.lines.size(), 2u);
  // The console names the store's refusal as it always has (PROTOCOL.md).
  EXPECT_EQ(a.output.lines[0], "ERR STORAGE reason=buffer_too_small");
  EXPECT_EQ(a.Run("SEND 2 1 16 1"), "ERR SEND id=1 reason=not_provisioned");
  EXPECT_EQ(a.Run("PROVISION 1"), "ERR PROVISION reason=storage_failed");
  const Key root = PairRoot(kSecret, 1, 2);
  EXPECT_EQ(SecretsFound(a.flash.contents(),
                         {std::vector<std::uint8_t>(root.begin(), root.end())}),
            1u);
  // Once the record is repaired, the next boot restores everything.
  const std::array<std::uint8_t, 4> epoch_zero = {};
  ASSERT_EQ(a.store->Write(records::kEpoch, epoch_zero), base::OkStatus());
  a.Reboot();
  EXPECT_EQ(a.output.lines.front(), "RESTORED node=1 epoch=0 links=2");
  ExpectDelivered(Send(1), 1);
}

// What a thief learns from one node: its flash holds the roots of its own
// links, no fleet secret and no root or key of any other pair, and the keys
// derivable from anything in it open its own links' frames only.
TEST(NodeBundleTest, OneNodesBundleOpensOnlyItsOwnLinks) {
  auto n1 = std::make_unique<TestNode>();
  auto n2 = std::make_unique<TestNode>();
  auto n3 = std::make_unique<TestNode>();
  n1->Provision(1, {2, 3});
  n2->Provision(2, {1, 3});
  n3->Provision(3, {1, 2});
  ASSERT_EQ(n2->Run("SEND 3 1 32 1").rfind("OK", 0), 0u);
  const auto foreign = DecodeFrames(n2->TakeWire())[0];
  ASSERT_EQ(n2->Run("SEND 1 2 32 1").rfind("OK", 0), 0u);
  const auto own = DecodeFrames(n2->TakeWire())[0];

  const std::span<const std::uint8_t> image = n1->flash.contents();
  EXPECT_EQ(SecretsFound(image, {std::vector<std::uint8_t>(kSecret.begin(),
                                                           kSecret.end())}),
            0u);
  const Key foreign_root = PairRoot(kSecret, 2, 3);
  EXPECT_EQ(SecretsFound(image, {std::vector<std::uint8_t>(
                                    foreign_root.begin(), foreign_root.end())}),
            0u);

  // Try every 32-byte window of the extracted image as a root (and as an
  // epoch key) on both frames.
  const auto opens = [](const std::vector<std::uint8_t>& frame,
                        const Key& key) {
    crypto::AesGcm gcm;
    if (gcm.SetKey(key) != base::OkStatus()) return false;
    const base::Result<wire::LinkHeader> parsed = wire::ParseFrameHeader(frame);
    if (!parsed.ok()) return false;
    const auto nonce = wire::FrameNonce(parsed.value());
    const std::size_t text = parsed->ciphertext_length;
    std::vector<std::uint8_t> plain(text);
    return gcm.Decrypt(
               nonce, {frame.data(), wire::kHeaderBytes},
               {frame.data() + wire::kHeaderBytes, text},
               {frame.data() + wire::kHeaderBytes + text, wire::kTagBytes},
               {plain.data(), text}) == base::OkStatus();
  };
  bool opened_own = false;
  bool opened_foreign = false;
  for (std::size_t at = 0; at + kLinkKeyBytes <= image.size(); ++at) {
    Key candidate;
    std::copy(image.begin() + at, image.begin() + at + kLinkKeyBytes,
              candidate.begin());
    if (std::all_of(candidate.begin(), candidate.end(),
                    [](auto b) { return b == 0xff; }))
      continue;
    const Key derived = EpochKey(candidate, 0);
    opened_own = opened_own || opens(own, derived);
    opened_foreign =
        opened_foreign || opens(foreign, derived) || opens(foreign, candidate);
  }
  EXPECT_TRUE(opened_own)
      << "the extraction itself must work on the node's own link";
  EXPECT_FALSE(opened_foreign);
}

}  // namespace
}  // namespace secure_node
