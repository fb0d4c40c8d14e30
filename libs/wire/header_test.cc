#include "wire/header.h"

#include <vector>

#include "gtest/gtest.h"

namespace wire {
namespace {

std::vector<std::uint8_t> Frame(const LinkHeader& h) {
  const auto bytes = SerializeHeader(h);
  std::vector<std::uint8_t> frame(bytes.begin(), bytes.end());
  frame.resize(kHeaderBytes + h.ciphertext_length + kTagBytes, 0xab);
  return frame;
}

TEST(HeaderTest, SerializesBigEndianAndParsesBack) {
  const LinkHeader h{.source = 3,
                     .destination = 9,
                     .epoch = 0x01020304,
                     .sequence = 0xa0b0c0d0,
                     .ciphertext_length = 0x0102};
  const auto bytes = SerializeHeader(h);
  const std::uint8_t expected[kHeaderBytes] = {
      1, 3, 9, 0, 1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0, 0x01, 0x02, 0, 0};
  EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), expected));
  const base::Result<LinkHeader> parsed = ParseFrameHeader(Frame(h));
  ASSERT_TRUE(parsed.ok()) << base::StatusName<HeaderCode>(parsed.status());
  EXPECT_EQ(parsed.value(), h);
}

TEST(HeaderTest, FrameTypeTravelsInByteThree) {
  const LinkHeader ack{.source = 2,
                       .destination = 1,
                       .epoch = 7,
                       .sequence = 9,
                       .ciphertext_length = kAckPlaintextBytes,
                       .type = FrameType::kAck};
  const auto bytes = SerializeHeader(ack);
  EXPECT_EQ(bytes[3], 1);
  const base::Result<LinkHeader> parsed = ParseFrameHeader(Frame(ack));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().type, FrameType::kAck);
  EXPECT_EQ(parsed.value(), ack);
}

TEST(HeaderTest, RejectsEveryMalformation) {
  const LinkHeader h{.source = 1,
                     .destination = 2,
                     .epoch = 7,
                     .sequence = 5,
                     .ciphertext_length = 10};
  std::vector<std::uint8_t> frame = Frame(h);

  EXPECT_EQ(
      ParseFrameHeader(std::span(frame).first(kHeaderBytes + kTagBytes - 1))
          .status(),
      HeaderCode::kTooShort);
  auto bad = frame;
  bad[0] = 2;
  EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kBadVersion);
  for (std::size_t i : {14u, 15u}) {
    bad = frame;
    bad[i] = 1;
    EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kReservedNotZero)
        << i;
  }
  for (std::uint8_t type : {2, 0x80, 0xff}) {
    bad = frame;
    bad[3] = type;
    EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kUnknownType)
        << static_cast<int>(type);
  }
  bad = Frame({.source = 1,
               .destination = 2,
               .epoch = 7,
               .sequence = 0,
               .ciphertext_length = 10});
  EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kZeroSequence);
  bad = frame;
  bad.push_back(0);  // one byte more than the length field says
  EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kLengthMismatch);
  bad = frame;
  bad.pop_back();
  EXPECT_EQ(ParseFrameHeader(bad).status(), HeaderCode::kLengthMismatch);
}

TEST(HeaderTest, RefusalsHaveDistinctNames) {
  constexpr HeaderCode kCodes[] = {
      HeaderCode::kTooShort,        HeaderCode::kBadVersion,
      HeaderCode::kReservedNotZero, HeaderCode::kZeroSequence,
      HeaderCode::kLengthMismatch,  HeaderCode::kUnknownType};
  for (const HeaderCode a : kCodes) {
    const base::Status status = a;
    EXPECT_EQ(status.domain(), base::Domain::kHeader);
    EXPECT_TRUE(base::StatusName<HeaderCode>(status).starts_with("header."));
    for (const HeaderCode b : kCodes) {
      if (a != b) {
        EXPECT_NE(CodeName(a), CodeName(b));
      }
    }
  }
  EXPECT_EQ(base::StatusName<HeaderCode>(HeaderCode::kBadVersion),
            "header.bad_version");
}

TEST(HeaderTest, NonceDiffersWhenAnyIdentifyingFieldDiffers) {
  const LinkHeader base{.source = 1,
                        .destination = 2,
                        .epoch = 3,
                        .sequence = 4,
                        .ciphertext_length = 0};
  const auto n = FrameNonce(base);
  LinkHeader other = base;
  other.source = 2;
  other.destination = 1;
  EXPECT_NE(FrameNonce(other), n);  // the two directions of a pair
  other = base;
  other.epoch = 4;
  EXPECT_NE(FrameNonce(other), n);
  other = base;
  other.sequence = 5;
  EXPECT_NE(FrameNonce(other), n);
  other = base;
  other.ciphertext_length = 99;  // not part of the nonce
  EXPECT_EQ(FrameNonce(other), n);
}

}  // namespace
}  // namespace wire
