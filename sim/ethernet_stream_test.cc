#include "sim/ethernet_stream.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sim {
namespace {

std::string Packet(std::uint16_t ethertype, const std::string& body) {
  std::string frame(12, '\x02');
  frame.push_back(static_cast<char>(ethertype >> 8));
  frame.push_back(static_cast<char>(ethertype & 0xff));
  frame += body;
  if (frame.size() < 60) frame.resize(60, '\0');
  std::string packet;
  for (int shift = 24; shift >= 0; shift -= 8) {
    packet.push_back(static_cast<char>((frame.size() >> shift) & 0xff));
  }
  return packet + frame;
}

std::string StreamPacket(const std::string& bytes) {
  std::string body;
  body.push_back(static_cast<char>(bytes.size() >> 8));
  body.push_back(static_cast<char>(bytes.size() & 0xff));
  return Packet(EthernetStream::kStreamEthertype, body + bytes);
}

std::string CreditPacket(std::uint32_t frames) {
  std::string body;
  for (int shift = 24; shift >= 0; shift -= 8) {
    body.push_back(static_cast<char>((frames >> shift) & 0xff));
  }
  return Packet(EthernetStream::kCreditEthertype, body);
}

std::span<const std::uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Parses Output() back into frames: (size, frame) pairs.
std::vector<std::string> Frames(const std::string& out) {
  std::vector<std::string> frames;
  std::size_t at = 0;
  while (at + 4 <= out.size()) {
    std::uint32_t size = 0;
    for (int i = 0; i < 4; ++i) {
      size = (size << 8) | static_cast<std::uint8_t>(out[at + i]);
    }
    frames.push_back(out.substr(at + 4, size));
    at += 4 + size;
  }
  EXPECT_EQ(at, out.size());
  return frames;
}

std::string StreamOf(const std::vector<std::string>& frames) {
  std::string stream;
  for (const std::string& f : frames) {
    EXPECT_GE(f.size(), 60u);
    EXPECT_EQ(static_cast<std::uint8_t>(f[12]), 0x88);
    EXPECT_EQ(static_cast<std::uint8_t>(f[13]), 0xb5);
    const std::size_t count = (static_cast<std::uint8_t>(f[14]) << 8) |
                              static_cast<std::uint8_t>(f[15]);
    EXPECT_LE(count, EthernetStream::kMaxPayload);
    stream += f.substr(16, count);
  }
  return stream;
}

TEST(EthernetStreamTest, NothingIsSentBeforeTheNodesFirstCredit) {
  EthernetStream s;
  s.Queue(Bytes(std::string(100, 'a')));
  // Only a probe: a credit frame for 0 frames.
  // (The addresses aside: 4-byte length, 12 bytes of MACs.)
  ASSERT_EQ(s.Output().size(), CreditPacket(0).size());
  EXPECT_EQ(s.Output().substr(16), CreditPacket(0).substr(16));
  EXPECT_FALSE(s.open());
  EXPECT_EQ(s.backlog(), 100u);
  s.Wrote(s.Output().size());
  std::string stream;
  s.Receive(CreditPacket(0), &stream);
  EXPECT_TRUE(s.open());
  EXPECT_EQ(StreamOf(Frames(s.Output())), std::string(100, 'a'));
}

// A probe may be lost like the node's announcement: while bytes wait, the
// caller can probe again; once the node answered, or with nothing to send,
// there is nothing to probe for.
TEST(EthernetStreamTest, ProbesAgainOnlyWhileBytesWaitForTheFirstCredit) {
  EthernetStream s;
  EXPECT_FALSE(s.ProbeIfWaiting());  // nothing to send
  s.Queue(Bytes(std::string(10, 'b')));
  s.Wrote(s.Output().size());       // the first probe, lost on the way
  ASSERT_TRUE(s.ProbeIfWaiting());  // a second probe, all Output() holds
  ASSERT_EQ(s.Output().size(), CreditPacket(0).size());
  EXPECT_EQ(s.Output().substr(16), CreditPacket(0).substr(16));
  std::string stream;
  s.Receive(CreditPacket(0), &stream);
  EXPECT_FALSE(s.ProbeIfWaiting());
  EXPECT_EQ(s.backlog(), 10u);  // framed now, not yet written
}

TEST(EthernetStreamTest, ShortStreamIsOnePaddedFrameWithoutPaddingInTheStream) {
  EthernetStream s;
  std::string none;
  s.Receive(CreditPacket(0), &none);
  s.Queue(Bytes(std::string("\x01\x02\x00", 3)));
  const std::vector<std::string> frames = Frames(s.Output());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].size(), 60u);
  EXPECT_EQ(StreamOf(frames), std::string("\x01\x02\x00", 3));
  EXPECT_EQ(s.backlog(), 3u);
  EXPECT_EQ(s.stream_bytes_written(), 0u);
}

TEST(EthernetStreamTest, LongMessageIsSplitAndWindowWaitsForCredits) {
  std::string message;
  for (int i = 0; i < 20000; ++i) message.push_back(static_cast<char>(i * 7));
  EthernetStream s;
  std::string none;
  s.Receive(CreditPacket(0), &none);
  s.Queue(Bytes(message));
  std::vector<std::string> frames = Frames(s.Output());
  ASSERT_EQ(frames.size(), EthernetStream::kWindowFrames);
  for (const std::string& f : frames) EXPECT_LE(f.size(), 1514u);
  std::string received = StreamOf(frames);
  s.Wrote(s.Output().size());
  EXPECT_EQ(s.stream_bytes_written(), received.size());
  // Nothing more until the node credits.
  EXPECT_TRUE(s.Output().empty());
  std::string stream;
  while (received.size() < message.size()) {
    s.Receive(CreditPacket(s.frames_sent()), &stream);
    frames = Frames(s.Output());
    ASSERT_FALSE(frames.empty());
    received += StreamOf(frames);
    s.Wrote(s.Output().size());
  }
  EXPECT_EQ(received, message);
  EXPECT_TRUE(stream.empty());
  EXPECT_EQ(s.backlog(), 0u);
  EXPECT_EQ(s.stream_bytes_written(), message.size());
}

TEST(EthernetStreamTest, PartlyWrittenPacketCountsOnlyWhenWhole) {
  EthernetStream s;
  std::string none;
  s.Receive(CreditPacket(0), &none);
  s.Queue(Bytes(std::string(100, 'a')));
  const std::size_t size = s.Output().size();
  s.Wrote(size - 1);
  EXPECT_EQ(s.stream_bytes_written(), 0u);
  EXPECT_EQ(s.backlog(), 100u);
  s.Wrote(1);
  EXPECT_EQ(s.stream_bytes_written(), 100u);
  EXPECT_EQ(s.backlog(), 0u);
}

TEST(EthernetStreamTest, ReceiveDeframesAcrossReadsAndIgnoresPadding) {
  const std::string raw = StreamPacket(std::string("ab\0", 3)) +
                          CreditPacket(1) +
                          StreamPacket(std::string(1498, 'z'));
  EthernetStream s;
  std::string stream;
  // One byte at a time: packets split anywhere.
  for (const char c : raw) s.Receive(std::string_view(&c, 1), &stream);
  EXPECT_EQ(stream, std::string("ab\0", 3) + std::string(1498, 'z'));
  EXPECT_EQ(s.frames_credited(), 1u);
  EXPECT_EQ(s.bad_packets(), 0u);
}

TEST(EthernetStreamTest, ForeignAndMalformedPacketsAreCountedNotStreamed) {
  EthernetStream s;
  std::string stream;
  s.Receive(Packet(0x0800, "ip"), &stream);
  // A count longer than the frame.
  s.Receive(
      Packet(EthernetStream::kStreamEthertype, std::string("\x01\x00", 2)),
      &stream);
  EXPECT_TRUE(stream.empty());
  EXPECT_EQ(s.bad_packets(), 2u);
}

}  // namespace
}  // namespace sim
