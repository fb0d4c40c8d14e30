#include "sim/wire_scanner.h"

#include <string>
#include <vector>

#include "base/test_rng.h"
#include "gtest/gtest.h"
#include "sim/frame_header.h"
#include "wire/cobs.h"

namespace sim {
namespace {

std::vector<std::uint8_t> Bytes(std::size_t n, std::uint8_t seed) {
  return base::TestRng(seed).Bytes(n);
}

std::string AsString(const std::vector<std::uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

TEST(WireScannerTest, FindsAnyWindowOfALongPattern) {
  WireScanner scanner;
  const auto secret = Bytes(100, 1);
  scanner.AddPattern("plaintext 1", secret);
  EXPECT_EQ(scanner.windows(), 85u);
  // 16 bytes from the middle of the pattern, surrounded by noise.
  std::string wire = AsString(Bytes(50, 2)) + AsString(secret).substr(40, 16) +
                     AsString(Bytes(50, 3));
  scanner.ScanBytes("node 1", wire, "");
  ASSERT_EQ(scanner.findings().size(), 1u);
  EXPECT_EQ(scanner.findings()[0].pattern, "plaintext 1");
  EXPECT_EQ(scanner.findings()[0].offset, 50u);
}

TEST(WireScannerTest, FifteenBytesOfALongPatternAreNotEnough) {
  WireScanner scanner;
  const auto secret = Bytes(100, 1);
  scanner.AddPattern("p", secret);
  scanner.ScanBytes("s", AsString(secret).substr(10, 15), "");
  EXPECT_TRUE(scanner.findings().empty());
}

TEST(WireScannerTest, ShortPatternsMatchWholeOrAreUnscannable) {
  WireScanner scanner;
  scanner.AddPattern("ten", Bytes(10, 4));
  scanner.AddPattern("four", Bytes(4, 5));
  EXPECT_EQ(scanner.unscannable_patterns(), 1u);
  scanner.ScanBytes("s", "xx" + AsString(Bytes(10, 4)) + "yy", "");
  ASSERT_EQ(scanner.findings().size(), 1u);
  EXPECT_EQ(scanner.findings()[0].pattern, "ten");
}

TEST(WireScannerTest, FindsSecretsInsideCobsFrames) {
  // A pattern with zero bytes is changed by COBS stuffing: only the decoded
  // view of the frame shows it.
  std::vector<std::uint8_t> secret = Bytes(64, 6);
  for (std::size_t i = 0; i < secret.size(); i += 5) secret[i] = 0;
  WireScanner scanner;
  scanner.AddPattern("key", secret);
  std::vector<std::uint8_t> encoded(wire::CobsMaxEncodedSize(secret.size()));
  encoded.resize(wire::CobsEncode(secret, encoded).value());
  encoded.push_back(0);
  WireScanner raw_only;
  raw_only.AddPattern("key", secret);
  raw_only.ScanBytes("s", AsString(encoded), "");
  EXPECT_TRUE(raw_only.findings().empty());
  scanner.ScanStream(
      "s", AsString(Bytes(30, 7)) + std::string(1, '\0') + AsString(encoded));
  EXPECT_FALSE(scanner.findings().empty());
  EXPECT_GT(scanner.total_findings(), 0u);
}

std::string EncodedFrame(const std::vector<std::uint8_t>& frame) {
  std::vector<std::uint8_t> encoded(wire::CobsMaxEncodedSize(frame.size()));
  encoded.resize(wire::CobsEncode(frame, encoded).value());
  encoded.push_back(0);
  return AsString(encoded);
}

// A link frame of `type` whose ciphertext is `body`.
std::vector<std::uint8_t> LinkFrame(FrameType type,
                                    const std::vector<std::uint8_t>& body) {
  const auto header = SerializeFrameHeader(
      {1, 2, 1, 5, static_cast<std::uint16_t>(body.size())}, type);
  std::vector<std::uint8_t> f(header.begin(), header.end());
  f.insert(f.end(), body.begin(), body.end());
  const auto tag = Bytes(wire::kTagBytes, 9);
  f.insert(f.end(), tag.begin(), tag.end());
  return f;
}

// ACK frames (type 1) are frames like any other: counted by type, scanned,
// and a secret inside one is reported as found in an ACK frame.
TEST(WireScannerTest, CountsFramesByTypeAndNamesTheTypeOfAFinding) {
  const auto secret = Bytes(16, 10);
  WireScanner scanner;
  scanner.AddPattern("key", secret);
  std::vector<std::uint8_t> ack_body = {0, 0, 0, 5};
  std::vector<std::uint8_t> leaky_ack = LinkFrame(FrameType::kAck, ack_body);
  // Not a valid ACK any more (too long), but whatever crosses the wire is
  // scanned.
  leaky_ack.insert(leaky_ack.begin() + 20, secret.begin(), secret.end());
  const std::string wire =
      EncodedFrame(LinkFrame(FrameType::kData, Bytes(40, 11))) +
      EncodedFrame(LinkFrame(FrameType::kAck, ack_body)) +
      EncodedFrame(LinkFrame(FrameType::kAck, ack_body)) +
      EncodedFrame(leaky_ack);
  scanner.ScanStream("node 2 emitted", wire);
  EXPECT_EQ(scanner.frames_scanned(FrameType::kData), 1u);
  EXPECT_EQ(scanner.frames_scanned(FrameType::kAck), 2u);
  EXPECT_EQ(scanner.other_frames_scanned(), 1u);
  bool in_frame = false;
  for (const LeakFinding& f : scanner.findings()) {
    if (f.stream.find("(frame at byte") != std::string::npos) in_frame = true;
  }
  EXPECT_TRUE(in_frame);

  WireScanner typed;
  typed.AddPattern("key", secret);
  std::vector<std::uint8_t> ack_with_secret =
      LinkFrame(FrameType::kAck, {0, 0, 0, 5});
  // Overwrite the tag with the secret: still a well-formed ACK frame.
  std::copy(secret.begin(), secret.end(), ack_with_secret.end() - 16);
  typed.ScanStream("node 2 emitted", EncodedFrame(ack_with_secret));
  ASSERT_FALSE(typed.findings().empty());
  bool in_ack = false;
  for (const LeakFinding& f : typed.findings()) {
    if (f.stream.find("(ack frame at byte 0)") != std::string::npos)
      in_ack = true;
  }
  EXPECT_TRUE(in_ack);
}

TEST(WireScannerTest, CleanTrafficHasNoFindings) {
  WireScanner scanner;
  for (int i = 0; i < 50; ++i)
    scanner.AddPattern("p", Bytes(4096, static_cast<std::uint8_t>(i)));
  scanner.ScanStream("s", AsString(Bytes(100000, 200)));
  EXPECT_TRUE(scanner.findings().empty());
  EXPECT_GE(scanner.bytes_scanned(), 100000u);
}

}  // namespace
}  // namespace sim
