#include "crypto/aes.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <new>
#include <vector>

#include "gtest/gtest.h"
#include "libs/crypto/aes_bitslice.h"
#include "libs/crypto/aes_ctr.h"
#include "libs/crypto/hw_dispatch.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using testing::Block;
using testing::Hex;
using testing::ToHex;

std::vector<std::uint8_t> Encrypt(const std::vector<std::uint8_t>& key,
                                  const std::vector<std::uint8_t>& pt) {
  Aes aes;
  EXPECT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
  std::vector<std::uint8_t> ct(16);
  aes.EncryptBlock(Block<16>(pt.data()), Block<16>(ct.data()));
  return ct;
}

// FIPS-197 Appendix B (cipher example) and Appendix C.1-C.3.
TEST(AesTest, Fips197AppendixB) {
  EXPECT_EQ(ToHex(Encrypt(Hex("2b7e151628aed2a6abf7158809cf4f3c"),
                          Hex("3243f6a8885a308d313198a2e0370734"))),
            "3925841d02dc09fbdc118597196a0b32");
}

TEST(AesTest, Fips197AppendixC) {
  const auto pt = Hex("00112233445566778899aabbccddeeff");
  EXPECT_EQ(ToHex(Encrypt(Hex("000102030405060708090a0b0c0d0e0f"), pt)),
            "69c4e0d86a7b0430d8cdb78070b4c55a");
  EXPECT_EQ(ToHex(Encrypt(
                Hex("000102030405060708090a0b0c0d0e0f1011121314151617"), pt)),
            "dda97ca4864cdfe06eaf70a0ec0d7191");
  EXPECT_EQ(ToHex(Encrypt(Hex("000102030405060708090a0b0c0d0e0f1011121314151617"
                              "18191a1b1c1d1e1f"),
                          pt)),
            "8ea2b7ca516745bfeafc49904b496089");
}

// SP 800-38A F.1.1/F.1.3/F.1.5 first ECB blocks: other keys, same cipher.
TEST(AesTest, Sp80038aEcbVectors) {
  const auto pt = Hex("6bc1bee22e409f96e93d7e117393172a");
  EXPECT_EQ(ToHex(Encrypt(Hex("2b7e151628aed2a6abf7158809cf4f3c"), pt)),
            "3ad77bb40d7a3660a89ecaf32466ef97");
  EXPECT_EQ(ToHex(Encrypt(
                Hex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b"), pt)),
            "bd334f1d6e45f25ff712a214571fa5cc");
  EXPECT_EQ(ToHex(Encrypt(Hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d7"
                              "2d9810a30914dff4"),
                          pt)),
            "f3eed1bdb5d2a03c064b5a7e3db181f8");
}

TEST(AesTest, RoundsFollowKeySize) {
  Aes aes;
  EXPECT_FALSE(aes.has_key());
  std::uint8_t key[32] = {};
  ASSERT_EQ(aes.SetKey({key, 16}, kTestBackend), base::OkStatus());
  EXPECT_EQ(aes.rounds(), 10u);
  ASSERT_EQ(aes.SetKey({key, 24}, kTestBackend), base::OkStatus());
  EXPECT_EQ(aes.rounds(), 12u);
  ASSERT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
  EXPECT_EQ(aes.rounds(), 14u);
}

TEST(AesTest, RejectsBadKeys) {
  Aes aes;
  std::uint8_t key[33] = {};
  for (std::size_t len : {0u, 1u, 15u, 17u, 20u, 31u, 33u}) {
    EXPECT_EQ(aes.SetKey({key, len}, kTestBackend), Code::kInvalidKeyLength)
        << len;
    EXPECT_FALSE(aes.has_key());
  }
  // A null span is an empty key: a wrong length, not a null buffer.
  ASSERT_EQ(aes.SetKey({key, 16}, kTestBackend), base::OkStatus());
  EXPECT_EQ(aes.SetKey({}, kTestBackend), Code::kInvalidKeyLength);
  EXPECT_FALSE(aes.has_key());
}

TEST(AesTest, PairEqualsTwoSingleBlocksAndInPlaceWorks) {
  testing::TestRng rng(7);
  for (std::size_t key_len : {16u, 24u, 32u}) {
    const auto key = rng.Bytes(key_len);
    Aes aes;
    ASSERT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
    std::uint8_t in[32], pair[32], single[32];
    rng.Fill(in, sizeof in);
    aes.EncryptBlockPair(in, pair);
    aes.EncryptBlock(Block<16>(in), Block<16>(single));
    aes.EncryptBlock(Block<16>(in + 16), Block<16>(single + 16));
    EXPECT_EQ(ToHex(pair, 32), ToHex(single, 32));
    aes.EncryptBlockPair(in, in);  // in place
    EXPECT_EQ(ToHex(in, 32), ToHex(pair, 32));
  }
}

// Reference S-box from its definition: inverse in GF(2^8) then the affine
// map. Slow and table-free; for the test only.
std::uint8_t GfMul(std::uint8_t a, std::uint8_t b) {
  std::uint8_t r = 0;
  for (int i = 0; i < 8; ++i) {
    if (b & 1) r ^= a;
    const bool carry = a & 0x80;
    a = static_cast<std::uint8_t>(a << 1);
    if (carry) a ^= 0x1b;
    b >>= 1;
  }
  return r;
}

std::uint8_t ReferenceSbox(std::uint8_t x) {
  std::uint8_t inv = 0;
  for (int c = 1; c < 256; ++c) {
    if (GfMul(x, static_cast<std::uint8_t>(c)) == 1)
      inv = static_cast<std::uint8_t>(c);
  }
  std::uint8_t s = 0x63;
  for (int i = 0; i < 8; ++i) {
    const int bit =
        ((inv >> i) ^ (inv >> ((i + 4) % 8)) ^ (inv >> ((i + 5) % 8)) ^
         (inv >> ((i + 6) % 8)) ^ (inv >> ((i + 7) % 8))) &
        1;
    s ^= static_cast<std::uint8_t>(bit << i);
  }
  return s;
}

TEST(AesBitsliceTest, SboxCircuitMatchesDefinitionForAllBytes) {
  EXPECT_EQ(ReferenceSbox(0x00), 0x63);  // FIPS-197 Figure 7 spot checks
  EXPECT_EQ(ReferenceSbox(0x53), 0xed);
  for (int base = 0; base < 256; base += 32) {
    std::uint8_t bytes[32];
    for (int i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(base + i);
    std::uint32_t q[8];
    for (int w = 0; w < 8; ++w) {
      std::memcpy(&q[w], bytes + 4 * w, 4);
    }
    internal::Transpose(q);
    internal::SubBytesWithoutConstant(q);
    internal::AddSboxConstant(q);
    internal::Transpose(q);
    std::uint8_t out[32];
    for (int w = 0; w < 8; ++w) std::memcpy(out + 4 * w, &q[w], 4);
    for (int i = 0; i < 32; ++i) {
      EXPECT_EQ(out[i], ReferenceSbox(bytes[i])) << "input " << base + i;
    }
  }
}

TEST(AesBitsliceTest, TransposeIsAnInvolutionAndMovesBits) {
  testing::TestRng rng(3);
  std::uint32_t q[8], orig[8];
  for (auto& w : q) w = static_cast<std::uint32_t>(rng.Next());
  std::memcpy(orig, q, sizeof q);
  internal::Transpose(q);
  EXPECT_NE(std::memcmp(orig, q, sizeof q), 0);
  // Bit j of word i (lane L) lands at bit i of word j (lane L).
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 8; ++j) {
      for (int lane = 0; lane < 4; ++lane) {
        EXPECT_EQ((orig[i] >> (8 * lane + j)) & 1,
                  (q[j] >> (8 * lane + i)) & 1);
      }
    }
  }
  internal::Transpose(q);
  EXPECT_EQ(std::memcmp(orig, q, sizeof q), 0);
}

// The destructor must leave no key material behind: run it on an object
// in a buffer we own and inspect the buffer.
// Which implementation runs is the key's backend, passed explicitly:
// kPortable never takes the AES-NI path, kAuto takes it exactly where the
// CPU has it (the one run-time check), and both encrypt alike. The
// *_portable host variants pass kPortable to every key (kTestBackend).
TEST(AesTest, BackendParameterIsHonoured) {
  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
  Aes portable;
  ASSERT_EQ(portable.SetKey(key, Backend::kPortable), base::OkStatus());
  EXPECT_FALSE(internal::AesCtrAccess::UsesX86AesNi(portable));
  Aes automatic;
  ASSERT_EQ(automatic.SetKey(key, Backend::kAuto), base::OkStatus());
  EXPECT_EQ(internal::AesCtrAccess::UsesX86AesNi(automatic),
            internal::CpuHasX86AesNi());
  Aes test;
  ASSERT_EQ(test.SetKey(key, kTestBackend), base::OkStatus());
  EXPECT_EQ(internal::AesCtrAccess::UsesX86AesNi(test),
            kTestBackend == Backend::kAuto && internal::CpuHasX86AesNi());
  std::printf("AES path: %s\n", internal::AesCtrAccess::UsesX86AesNi(test)
                                    ? "AES-NI/PCLMULQDQ"
                                    : "portable fixsliced");
  std::uint8_t in[48];
  for (int i = 0; i < 48; ++i) in[i] = static_cast<std::uint8_t>(i);
  std::uint8_t a[48];
  std::uint8_t b[48];
  portable.EncryptBlocks(in, a);  // 3 blocks
  automatic.EncryptBlocks(in, b);
  EXPECT_EQ(ToHex(a, sizeof a), ToHex(b, sizeof b));
  // Clear() forgets the backend with the key.
  automatic.Clear();
  EXPECT_FALSE(internal::AesCtrAccess::UsesX86AesNi(automatic));
}

TEST(AesTest, DestructorWipesKeySchedule) {
  alignas(Aes) unsigned char storage[sizeof(Aes)];
  std::memset(storage, 0, sizeof storage);
  Aes* aes = new (storage) Aes;
  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(0xa5 ^ i);
  ASSERT_EQ(aes->SetKey(key, kTestBackend), base::OkStatus());
  std::size_t nonzero = 0;
  for (unsigned char b : storage) nonzero += b != 0;
  // The bitsliced schedule fills the object; the AES-NI one (x86-64 hosts)
  // is the 60-word FIPS-197 schedule. Either way most of it is non-zero.
  const std::size_t schedule_bytes =
      internal::AesCtrAccess::UsesX86AesNi(*aes) ? 4 * 60 : sizeof(Aes);
  EXPECT_GT(nonzero, schedule_bytes / 2);
  aes->~Aes();
  for (std::size_t i = 0; i < sizeof storage; ++i) {
    ASSERT_EQ(storage[i], 0) << "byte " << i;
  }
}

}  // namespace
}  // namespace crypto
