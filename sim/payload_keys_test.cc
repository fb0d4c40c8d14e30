// The harness's payload model and key derivation, checked against the
// protocol's definitions and against an encrypt/decrypt round trip.
#include <array>
#include <vector>

#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "sim/keys.h"
#include "sim/payload.h"
#include "wire/header.h"

namespace sim {
namespace {

TEST(PayloadTest, XorshiftFirstBytesFollowTheSpecification) {
  // x = 1: x ^= x << 13 -> 0x2001; x ^= x >> 17 -> 0x2001; x ^= x << 5 ->
  // 0x42021.
  const std::vector<std::uint8_t> p = GeneratePayload(1, 2);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], 0x21);
  std::uint32_t x = 0x42021;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  EXPECT_EQ(p[1], x & 0xff);
}

TEST(PayloadTest, SeedZeroUsesTheGoldenRatioConstant) {
  EXPECT_EQ(GeneratePayload(0, 64), GeneratePayload(0x9e3779b9u, 64));
  EXPECT_NE(GeneratePayload(1, 64), GeneratePayload(2, 64));
  EXPECT_TRUE(GeneratePayload(5, 0).empty());
}

TEST(PayloadTest, Fnv1aKnownValues) {
  EXPECT_EQ(Fnv1a32({}), 0x811c9dc5u);
  const std::array<std::uint8_t, 1> a = {'a'};
  EXPECT_EQ(Fnv1a32(a), 0xe40c292cu);
  const std::array<std::uint8_t, 6> foobar = {'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(Fnv1a32(foobar), 0xbf9cf968u);
}

TEST(KeysTest, PairKeyIsSymmetricAndDependsOnEpochAndPair) {
  const Key256 secret = FleetSecretFromSeed(7);
  const Key256 k12 = *DerivePairKey(secret, 1, 2, 1);
  EXPECT_EQ(k12, *DerivePairKey(secret, 2, 1, 1));
  EXPECT_NE(k12, *DerivePairKey(secret, 1, 2, 2));
  EXPECT_NE(k12, *DerivePairKey(secret, 1, 3, 1));
  EXPECT_NE(k12, *DerivePairKey(FleetSecretFromSeed(8), 1, 2, 1));
  // Roots are per pair and never equal an epoch key.
  const Key256 r12 = *DerivePairRoot(secret, 1, 2);
  EXPECT_EQ(r12, *DerivePairRoot(secret, 2, 1));
  EXPECT_NE(r12, *DerivePairRoot(secret, 1, 3));
  EXPECT_NE(r12, k12);
  EXPECT_EQ(FleetSecretFromSeed(7), secret);
  EXPECT_EQ(ToHex(secret).size(), 64u);
}

// A frame sealed the way PROTOCOL.md describes opens with the harness's key:
// the harness could decrypt any frame it carries, which is what lets it
// reason about content without ever putting plaintext on the wire.
TEST(KeysTest, FrameSealedWithPairKeyOpensWithIt) {
  const Key256 key = *DerivePairKey(FleetSecretFromSeed(3), 4, 9, 5);
  crypto::AesGcm gcm;
  ASSERT_EQ(gcm.SetKey(key), base::OkStatus());
  wire::LinkHeader h{4, 9, 5, 1, 4 + 20};
  const auto header = wire::SerializeHeader(h);
  const auto nonce = wire::FrameNonce(h);
  std::vector<std::uint8_t> plaintext = {0, 0, 0, 42};
  const std::vector<std::uint8_t> payload = GeneratePayload(11, 20);
  plaintext.insert(plaintext.end(), payload.begin(), payload.end());
  std::vector<std::uint8_t> ciphertext(plaintext.size()),
      opened(plaintext.size());
  std::array<std::uint8_t, 16> tag{};
  ASSERT_EQ(gcm.Encrypt(nonce, header, plaintext, ciphertext, tag),
            base::OkStatus());
  EXPECT_NE(ciphertext, plaintext);
  ASSERT_EQ(gcm.Decrypt(nonce, header, ciphertext, tag, opened),
            base::OkStatus());
  EXPECT_EQ(opened, plaintext);
}

}  // namespace
}  // namespace sim
