// The network link over Ethernet (platforms/common/ethernet_link.h) against
// a model of QEMU's lan9118: an RX FIFO of 2640 words that drops a frame it
// has no room for (QEMU's receive returns -1; there is no back-pressure), an
// RX status FIFO level interrupt latched by a frame's arrival, and a TX
// side that records what the node sends. A peer that honours the credit
// window gets a long stream through a slow consumer with nothing dropped,
// reordered or stalled; the ring throttles instead; the node's own writes
// come out as stream frames whose payloads are exactly its bytes.
#include "platforms/common/ethernet_link.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "gtest/gtest.h"

namespace {

using board::internal::EthernetLink;
using Frame = std::vector<std::uint8_t>;

struct Lan9118Model {
  static constexpr std::size_t kMaxFrameBytes = 1514;
  static constexpr std::size_t kMinFrameBytes = 60;
  static constexpr std::size_t kFifoWords = 2640;

  // Driver interface (drivers/lan9118.h), const as there.
  void SetRxInterrupt(bool enabled) const { int_enabled = enabled; }
  void AckRxInterrupt() const { int_latched = false; }
  std::uint32_t RxFrames() const {
    return static_cast<std::uint32_t>(fifo.size());
  }
  std::size_t ReadFrame(std::uint8_t (&frame)[kMaxFrameBytes + 4]) const {
    const Frame f = fifo.front();
    fifo.pop_front();
    words -= Words(f);
    for (std::size_t i = 0; i < f.size(); ++i) frame[i] = f[i];
    return f.size();
  }
  void WriteFrame(const std::uint8_t* frame, std::size_t size) const {
    sent.emplace_back(frame, frame + size);
  }

  // The wire side: QEMU hands a frame over, or drops it.
  bool Deliver(const Frame& f) {
    if (words + Words(f) > kFifoWords) {
      ++dropped;
      return false;
    }
    fifo.push_back(f);
    words += Words(f);
    if (int_enabled) int_latched = true;
    return true;
  }
  static std::size_t Words(const Frame& f) { return (f.size() + 3) / 4 + 1; }

  mutable std::deque<Frame> fifo;
  mutable std::size_t words = 0;
  mutable bool int_enabled = false;
  mutable bool int_latched = false;
  mutable std::vector<Frame> sent;
  std::uint32_t dropped = 0;
};

Frame StreamFrame(const std::vector<std::uint8_t>& bytes, std::size_t at,
                  std::size_t n) {
  Frame f = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xb5};
  f.push_back(static_cast<std::uint8_t>(n >> 8));
  f.push_back(static_cast<std::uint8_t>(n));
  f.insert(f.end(), bytes.begin() + at, bytes.begin() + at + n);
  if (f.size() < 60) f.resize(60, 0);
  return f;
}

std::uint16_t Type(const Frame& f) {
  return static_cast<std::uint16_t>((f[12] << 8) | f[13]);
}

std::uint32_t Credit(const Frame& f) {
  return (std::uint32_t{f[14]} << 24) | (std::uint32_t{f[15]} << 16) |
         (std::uint32_t{f[16]} << 8) | f[17];
}

constexpr std::size_t kRing = 8192;
using Link = EthernetLink<Lan9118Model, kRing>;
// Large objects: static, not on a board's stack; one per test.
Link windowed_link;
Link probed_link;
Link writing_link;
Link attacked_link;

TEST(EthernetLinkTest, WindowedPeerLosesNothingThroughASlowConsumer) {
  Link& link = windowed_link;
  Lan9118Model nic;
  std::vector<std::uint8_t> stream(100'000);
  for (std::size_t i = 0; i < stream.size(); ++i) {
    stream[i] = static_cast<std::uint8_t>((i * 7) ^ (i >> 8));
  }
  link.Announce(nic);
  ASSERT_EQ(nic.sent.size(), 1u);
  EXPECT_EQ(Type(nic.sent[0]), 0x88b6);
  EXPECT_EQ(Credit(nic.sent[0]), 0u);

  std::size_t at = 0;            // next stream byte the peer sends
  std::uint32_t sent = 0;        // stream frames the peer sent
  std::uint32_t credited = 0;    // the node's last credit
  std::size_t credits_seen = 1;  // frames in nic.sent already read
  std::vector<std::uint8_t> got;
  link.Start(nic);
  int idle_turns = 0;
  for (int turn = 0; got.size() < stream.size(); ++turn) {
    ASSERT_LT(idle_turns, 1000) << "stalled at " << got.size();
    // The peer: as many frames as the window allows, of varying sizes.
    while (at < stream.size() && sent - credited < 6) {
      const std::size_t n =
          std::min<std::size_t>(stream.size() - at, 1 + (at * 13) % 1498);
      ASSERT_TRUE(nic.Deliver(StreamFrame(stream, at, n)));
      at += n;
      ++sent;
    }
    // The interrupt, when raised.
    if (nic.int_latched) link.OnInterrupt(nic);
    // The consumer: a few bytes per turn (slow, so the ring throttles).
    const std::size_t before = got.size();
    for (int i = 0; i < 300; ++i) {
      const auto byte = link.TryRead(nic);
      if (!byte.has_value()) break;
      got.push_back(*byte);
    }
    idle_turns = got.size() == before ? idle_turns + 1 : 0;
    // Credits back to the peer.
    for (; credits_seen < nic.sent.size(); ++credits_seen) {
      ASSERT_EQ(Type(nic.sent[credits_seen]), 0x88b6);
      credited = Credit(nic.sent[credits_seen]);
    }
  }
  EXPECT_EQ(got, stream);
  EXPECT_EQ(nic.dropped, 0u);
  const board::UartReceiveStats stats = link.Stats();
  EXPECT_EQ(stats.ring_overruns, 0u);
  EXPECT_EQ(stats.hardware_overruns, 0u);
  EXPECT_GT(stats.throttles, 0u);
  EXPECT_EQ(stats.received, stream.size());
  EXPECT_EQ(credited, sent);  // every frame credited in the end
}

TEST(EthernetLinkTest, ProbeIsAnsweredAndNotCountedForeignFramesAreCounted) {
  Link& link = probed_link;
  Lan9118Model nic;
  link.Start(nic);
  Frame probe = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xb6};
  probe.resize(60, 0);
  ASSERT_TRUE(nic.Deliver(probe));
  link.OnInterrupt(nic);
  ASSERT_EQ(nic.sent.size(), 1u);
  EXPECT_EQ(Credit(nic.sent[0]), 0u);
  Frame ip = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00};
  ip.resize(60, 0xaa);
  ASSERT_TRUE(nic.Deliver(ip));
  link.OnInterrupt(nic);
  EXPECT_FALSE(link.TryRead(nic).has_value());
  EXPECT_EQ(link.Stats().hardware_overruns, 1u);
}

TEST(EthernetLinkTest, WriteSendsPaddedStreamFramesCarryingExactlyTheBytes) {
  Link& link = writing_link;
  Lan9118Model nic;
  std::vector<std::uint8_t> bytes(4200);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(i % 251);
  }
  link.Write(nic, bytes.data(), bytes.size());
  const std::uint8_t tail[3] = {7, 0, 9};
  link.Write(nic, tail, sizeof tail);
  bytes.insert(bytes.end(), tail, tail + 3);
  std::vector<std::uint8_t> carried;
  for (const Frame& f : nic.sent) {
    ASSERT_EQ(Type(f), 0x88b5);
    ASSERT_GE(f.size(), 60u);
    ASSERT_LE(f.size(), 1514u);
    const std::size_t n = (std::size_t{f[14]} << 8) | f[15];
    ASSERT_LE(16 + n, f.size());
    carried.insert(carried.end(), f.begin() + 16, f.begin() + 16 + n);
  }
  EXPECT_EQ(nic.sent.size(), 4u);  // 1498 + 1498 + 1204, then 3
  EXPECT_EQ(carried, bytes);
}

// The wire is untrusted: runt frames, stream frames whose count is 0 or
// runs past the frame, and a flood of probes put no byte in the stream,
// are counted, cost the node one credit frame per interrupt however many
// probes came, and leave the next honest frame intact.
TEST(EthernetLinkTest, MalformedFramesAndProbeFloodsChangeNoStreamByte) {
  Link& link = attacked_link;
  Lan9118Model nic;
  link.Start(nic);
  const std::vector<std::uint8_t> payload = {0x11, 0x22, 0x33, 0x00};
  Frame runt = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0};  // shorter than a header
  Frame zero_count = StreamFrame(payload, 0, 4);
  zero_count[14] = zero_count[15] = 0;
  Frame overlong = StreamFrame(payload, 0, 4);
  overlong[14] = 0x05;  // 1284 bytes claimed in a 60-byte frame
  overlong[15] = 0x04;
  for (const Frame* bad : {&runt, &zero_count, &overlong}) {
    ASSERT_TRUE(nic.Deliver(*bad));
  }
  Frame probe = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x88, 0xb6};
  probe.resize(60, 0);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(nic.Deliver(probe));
  link.OnInterrupt(nic);
  EXPECT_FALSE(link.TryRead(nic).has_value());
  EXPECT_EQ(link.Stats().hardware_overruns, 3u);
  EXPECT_EQ(link.Stats().received, 0u);
  ASSERT_EQ(nic.sent.size(), 1u);  // one credit answers the whole flood
  EXPECT_EQ(Type(nic.sent[0]), 0x88b6);

  ASSERT_TRUE(nic.Deliver(StreamFrame(payload, 0, 4)));
  link.OnInterrupt(nic);
  std::vector<std::uint8_t> got;
  while (const auto byte = link.TryRead(nic)) got.push_back(*byte);
  EXPECT_EQ(got, payload);
}

}  // namespace
