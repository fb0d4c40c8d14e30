#include "kdf/cmac.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "kdf/kdf.h"

namespace kdf {
namespace {

std::vector<std::uint8_t> Hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string ToHex(std::span<const std::uint8_t> bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

const std::string kMessage64 =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

struct Vector {
  const char* key;
  std::size_t message_bytes;
  const char* mac;
};

// SP 800-38B appendix D examples (also RFC 4493 for AES-128): the message is
// a prefix of kMessage64.
TEST(AesCmacTest, PublishedVectors) {
  const Vector vectors[] = {
      {"2b7e151628aed2a6abf7158809cf4f3c", 0,
       "bb1d6929e95937287fa37d129b756746"},
      {"2b7e151628aed2a6abf7158809cf4f3c", 16,
       "070a16b46b4d4144f79bdd9dd04a287c"},
      {"2b7e151628aed2a6abf7158809cf4f3c", 40,
       "dfa66747de9ae63030ca32611497c827"},
      {"2b7e151628aed2a6abf7158809cf4f3c", 64,
       "51f0bebf7e3b9d92fc49741779363cfe"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 0,
       "028962f61b7bf89efc6b551f4667d983"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 16,
       "28a7023f452e8f82bd4bf28d8c37c35c"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 40,
       "aaf3d8f1de5640c232f5b169b9c911e6"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 64,
       "e1992190549f6ed5696a2c056c315410"},
  };
  const std::vector<std::uint8_t> message = Hex(kMessage64);
  for (const Vector& v : vectors) {
    AesCmac cmac;
    ASSERT_EQ(cmac.SetKey(Hex(v.key)), base::OkStatus());
    const CmacTag tag = cmac.Compute(std::span(message).first(v.message_bytes));
    EXPECT_EQ(ToHex(tag), v.mac) << v.key << " / " << v.message_bytes;
  }
}

TEST(AesCmacTest, PiecesEqualTheConcatenation) {
  AesCmac cmac;
  ASSERT_EQ(cmac.SetKey(Hex("2b7e151628aed2a6abf7158809cf4f3c")),
            base::OkStatus());
  const std::vector<std::uint8_t> message = Hex(kMessage64);
  const CmacTag whole = cmac.Compute(std::span(message).first(40));
  for (std::size_t cut = 0; cut <= 40; ++cut) {
    const std::span<const std::uint8_t> pieces[] = {
        std::span(message).first(cut),
        std::span(message).subspan(cut, 40 - cut)};
    EXPECT_EQ(cmac.Compute(pieces), whole) << cut;
  }
}

TEST(AesCmacTest, RejectsBadKeyLength) {
  AesCmac cmac;
  const std::vector<std::uint8_t> key(20, 1);
  EXPECT_EQ(cmac.SetKey(key), crypto::Code::kInvalidKeyLength);
  EXPECT_EQ(cmac.SetKey({}), crypto::Code::kInvalidKeyLength);  // null span
}

TEST(KdfTest, RejectsBadArguments) {
  std::vector<std::uint8_t> out(32, 0xaa);
  const std::vector<std::uint8_t> bad_key(7, 1);
  EXPECT_EQ(DeriveKey(bad_key, {}, {}, out), Code::kBadKey);
  EXPECT_EQ(out, std::vector<std::uint8_t>(32, 0));  // zeroed on error
  const std::vector<std::uint8_t> key(32, 1);
  EXPECT_EQ(DeriveKey(key, {}, {}, {}), Code::kEmptyOutput);
  std::vector<std::uint8_t> huge(kMaxDerivedBytes + 1);
  EXPECT_EQ(DeriveKey(key, {}, {}, huge), Code::kOutputTooLong);
}

// The output is a prefix-stable stream only up to L: L is an input of every
// block, so a 16-byte and a 32-byte derivation differ from the first byte.
TEST(KdfTest, LengthAndContextSeparateOutputs) {
  const std::vector<std::uint8_t> key(32, 7);
  const std::uint8_t label[] = {'l', 'i', 'n', 'k'};
  const std::uint8_t context_a[] = {1, 2};
  const std::uint8_t context_b[] = {2, 1};
  std::vector<std::uint8_t> a16(16), a32(32), b32(32), again(32);
  ASSERT_EQ(DeriveKey(key, label, context_a, a16), base::OkStatus());
  ASSERT_EQ(DeriveKey(key, label, context_a, a32), base::OkStatus());
  ASSERT_EQ(DeriveKey(key, label, context_b, b32), base::OkStatus());
  ASSERT_EQ(DeriveKey(key, label, context_a, again), base::OkStatus());
  EXPECT_NE(std::vector(a32.begin(), a32.begin() + 16), a16);
  EXPECT_NE(a32, b32);
  EXPECT_EQ(a32, again);
}

}  // namespace
}  // namespace kdf
