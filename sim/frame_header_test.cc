#include "sim/frame_header.h"

#include <vector>

#include "gtest/gtest.h"
#include "wire/header.h"

namespace sim {
namespace {

std::vector<std::uint8_t> Frame(const wire::LinkHeader& h, FrameType type) {
  const auto header = SerializeFrameHeader(h, type);
  std::vector<std::uint8_t> f(header.begin(), header.end());
  f.resize(f.size() + h.ciphertext_length + wire::kTagBytes, 0x5a);
  return f;
}

TEST(FrameHeaderTest, DataAndAckFramesParseWithTheirType) {
  const wire::LinkHeader data{1, 2, 7, 9, 4 + 100};
  const auto d = ParseFrame(Frame(data, FrameType::kData));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->type, FrameType::kData);
  EXPECT_EQ(d->header.source, 1);
  EXPECT_EQ(d->header.destination, 2);
  EXPECT_EQ(d->header.epoch, 7u);
  EXPECT_EQ(d->header.sequence, 9u);
  EXPECT_EQ(d->header.ciphertext_length, 104);

  const wire::LinkHeader ack{2, 1, 7, 3, kAckPlaintextBytes};
  const std::vector<std::uint8_t> a = Frame(ack, FrameType::kAck);
  EXPECT_EQ(a[kTypeByte], 1);
  const auto parsed = ParseFrame(a);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->type, FrameType::kAck);
  EXPECT_EQ(parsed->header.sequence, 3u);
  EXPECT_EQ(FrameTypeName(FrameType::kAck), "ack");
  EXPECT_EQ(FrameTypeName(FrameType::kData), "data");
}

TEST(FrameHeaderTest, RefusesWhatAReceiverCallsMalformed) {
  const wire::LinkHeader h{1, 2, 7, 9, 24};
  const std::vector<std::uint8_t> good = Frame(h, FrameType::kData);
  ASSERT_TRUE(ParseFrame(good).has_value());
  auto bad = good;
  bad[0] = 2;  // version
  EXPECT_FALSE(ParseFrame(bad).has_value());
  for (std::uint8_t type : {2, 0x80, 0xff}) {
    bad = good;
    bad[kTypeByte] = type;
    EXPECT_FALSE(ParseFrame(bad).has_value()) << static_cast<int>(type);
  }
  for (std::size_t reserved : {14u, 15u}) {
    bad = good;
    bad[reserved] = 1;
    EXPECT_FALSE(ParseFrame(bad).has_value()) << reserved;
  }
  bad = good;
  bad.pop_back();  // length mismatch
  EXPECT_FALSE(ParseFrame(bad).has_value());
  EXPECT_FALSE(ParseFrame(Frame({1, 2, 7, 0, 24}, FrameType::kData)));
  EXPECT_FALSE(ParseFrame(std::vector<std::uint8_t>(31, 0)).has_value());
  // An ACK carries exactly a 4-byte sequence; a DATA frame at least its id.
  EXPECT_FALSE(ParseFrame(Frame({2, 1, 7, 3, 5}, FrameType::kAck)));
  EXPECT_FALSE(ParseFrame(Frame({2, 1, 7, 3, 3}, FrameType::kData)));
  EXPECT_TRUE(ParseFrame(Frame({2, 1, 7, 3, 4}, FrameType::kData)));
}

}  // namespace
}  // namespace sim
