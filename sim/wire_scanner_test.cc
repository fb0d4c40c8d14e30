#include "sim/wire_scanner.h"

#include <string>
#include <vector>

#include "base/test_rng.h"
#include "gtest/gtest.h"
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
