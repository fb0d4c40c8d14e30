#include "sim/ack_opener.h"

#include <array>
#include <vector>

#include "base/byte_order.h"
#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "sim/frame_header.h"
#include "wire/header.h"

namespace sim {
namespace {

// An ACK sealed the way the node seals one: the acknowledged sequence as
// plaintext, the header with type 1 as additional data, the ACKer's own
// sequence in the nonce.
std::vector<std::uint8_t> SealAck(const Key256& key, std::uint8_t src,
                                  std::uint8_t dst, std::uint32_t epoch,
                                  std::uint32_t seq, std::uint32_t acked) {
  const wire::LinkHeader h{src, dst, epoch, seq,
                           static_cast<std::uint16_t>(kAckPlaintextBytes)};
  const auto header = SerializeFrameHeader(h, FrameType::kAck);
  std::array<std::uint8_t, 4> plain{};
  base::StoreBe32(plain.data(), acked);
  std::array<std::uint8_t, 4> cipher{};
  std::array<std::uint8_t, 16> tag{};
  crypto::AesGcm gcm;
  EXPECT_TRUE(gcm.SetKey(key).ok());
  EXPECT_TRUE(
      gcm.Encrypt(wire::FrameNonce(h), header, plain, cipher, tag).ok());
  std::vector<std::uint8_t> f(header.begin(), header.end());
  f.insert(f.end(), cipher.begin(), cipher.end());
  f.insert(f.end(), tag.begin(), tag.end());
  return f;
}

TEST(AckOpenerTest, OpensAnAckAndReadsTheAcknowledgedSequence) {
  const Key256 secret = FleetSecretFromSeed(4);
  const Key256 key = *DerivePairKey(secret, 2, 1, 3);
  const auto ack = SealAck(key, 2, 1, 3, 17, 42);
  const AckContent c = OpenAck(key, ack);
  EXPECT_TRUE(c.opened);
  EXPECT_TRUE(c.authentic);
  EXPECT_EQ(c.acked_sequence, 42u);
}

TEST(AckOpenerTest, AlteredOrMisTypedAckIsNotAuthentic) {
  const Key256 key = *DerivePairKey(FleetSecretFromSeed(4), 2, 1, 3);
  auto ack = SealAck(key, 2, 1, 3, 17, 42);
  auto flipped = ack;
  flipped[17] ^= 1;  // the acknowledged sequence
  EXPECT_FALSE(OpenAck(key, flipped).authentic);
  // The type is in the authenticated header: the same bytes as a DATA
  // frame do not open (and are not an ACK to begin with).
  auto as_data = ack;
  as_data[kTypeByte] = 0;
  EXPECT_FALSE(OpenAck(key, as_data).authentic);
  const Key256 other = *DerivePairKey(FleetSecretFromSeed(4), 2, 1, 4);
  EXPECT_FALSE(OpenAck(other, ack).authentic);
}

TEST(AckOpenerTest, OpensEveryAckFrameOfARunWithItsPairKey) {
  const Key256 secret = FleetSecretFromSeed(9);
  std::vector<FrameRecord> frames(3);
  frames[0].parsed = true;  // a DATA frame: left alone
  frames[1].parsed = true;
  frames[1].type = FrameType::kAck;
  frames[1].header = {3, 1, 2, 8, 4};
  frames[1].ack_frame = SealAck(*DerivePairKey(secret, 1, 3, 2), 3, 1, 2, 8, 5);
  frames[2] = frames[1];
  frames[2].ack_frame = SealAck(*DerivePairKey(secret, 1, 2, 2), 3, 1, 2, 8, 5);
  OpenAckFrames(secret, &frames);
  EXPECT_FALSE(frames[0].ack.opened);
  EXPECT_TRUE(frames[1].ack.authentic);
  EXPECT_EQ(frames[1].ack.acked_sequence, 5u);
  EXPECT_TRUE(frames[2].ack.opened);
  EXPECT_FALSE(frames[2].ack.authentic);  // sealed under another pair's key
}

}  // namespace
}  // namespace sim
