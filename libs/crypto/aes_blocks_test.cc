// Aes::EncryptBlocks against EncryptBlock applied block by block. On the
// Cortex-R52 build this compares the NEON eight-block kernel (and the pair
// and single-block tails after it) with the scalar pair code; on the host
// and the Cortex-R5F it checks the pair loop and, on AES-NI hosts, the
// hardware path.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "crypto/aes.h"
#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using testing::ToHex;

constexpr std::size_t kMaxBlocks = 40;
constexpr std::size_t kBytes = kMaxBlocks * Aes::kBlockBytes;
// Guard bytes after the output and an offset before it, so both overruns
// and misaligned buffers are covered.
constexpr std::size_t kGuard = 16;
constexpr std::uint8_t kGuardByte = 0xa5;

// Block by block through the single-block entry point.
void Reference(const Aes& aes, const std::uint8_t* in, std::uint8_t* out,
               std::size_t blocks) {
  for (std::size_t i = 0; i < blocks; ++i) {
    aes.EncryptBlock(testing::Block<16>(in + i * Aes::kBlockBytes),
                     testing::Block<16>(out + i * Aes::kBlockBytes));
  }
}

TEST(AesBlocksTest, MatchesSingleBlocksForEveryCountAndKeySize) {
  testing::TestRng rng(20261125);
  for (std::size_t key_len : {16u, 24u, 32u}) {
    for (int trial = 0; trial < 2; ++trial) {
      Aes aes;
      std::uint8_t key[32];
      rng.Fill(key, key_len);
      ASSERT_EQ(aes.SetKey({key, key_len}, kTestBackend), base::OkStatus());
      for (std::size_t blocks = 0; blocks <= kMaxBlocks; ++blocks) {
        const std::size_t len = blocks * Aes::kBlockBytes;
        // Offsets 0 and 1..3 alternate: aligned and misaligned buffers.
        const std::size_t offset = (blocks + trial) % 4;
        static std::uint8_t in[kBytes + 4];
        static std::uint8_t expected[kBytes];
        static std::uint8_t out[kBytes + 4 + kGuard];
        static std::uint8_t in_place[kBytes + 4 + kGuard];
        rng.Fill(in + offset, len);
        Reference(aes, in + offset, expected, blocks);

        std::memset(out, kGuardByte, sizeof out);
        aes.EncryptBlocks({in + offset, len}, {out + offset, len});
        EXPECT_EQ(ToHex(out + offset, len), ToHex(expected, len))
            << "out of place, key " << key_len << ", blocks " << blocks;
        for (std::size_t i = 0; i < sizeof out; ++i) {
          if (i < offset || i >= offset + len) {
            ASSERT_EQ(out[i], kGuardByte) << "wrote outside, blocks " << blocks;
          }
        }

        std::memset(in_place, kGuardByte, sizeof in_place);
        std::memcpy(in_place + offset, in + offset, len);
        aes.EncryptBlocks({in_place + offset, len}, {in_place + offset, len});
        EXPECT_EQ(ToHex(in_place + offset, len), ToHex(expected, len))
            << "in place, key " << key_len << ", blocks " << blocks;
        for (std::size_t i = offset + len; i < sizeof in_place; ++i) {
          ASSERT_EQ(in_place[i], kGuardByte) << "wrote past, blocks " << blocks;
        }
      }
    }
  }
}

// FIPS-197 C.3 (AES-256) in all 16 blocks of two full eight-block groups:
// a fixed answer, independent of EncryptBlock.
TEST(AesBlocksTest, KnownAnswerInEveryLane) {
  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i);
  Aes aes;
  ASSERT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
  std::uint8_t buf[16 * Aes::kBlockBytes];
  for (std::size_t b = 0; b < 16; ++b) {
    for (std::size_t i = 0; i < 16; ++i) {
      buf[b * 16 + i] = static_cast<std::uint8_t>(0x11 * i);
    }
  }
  aes.EncryptBlocks(buf, buf);
  for (std::size_t b = 0; b < 16; ++b) {
    EXPECT_EQ(ToHex(buf + b * 16, 16), "8ea2b7ca516745bfeafc49904b496089")
        << "block " << b;
  }
}

TEST(AesBlocksTest, ZeroBlocksTouchesNothing) {
  std::uint8_t key[16] = {};
  Aes aes;
  ASSERT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
  aes.EncryptBlocks({}, {});
  std::uint8_t buf[16];
  std::memset(buf, kGuardByte, sizeof buf);
  aes.EncryptBlocks(std::span(buf).first(0), buf);   // empty input
  aes.EncryptBlocks(buf, std::span(buf).first(0));   // empty output
  aes.EncryptBlocks(std::span(buf).first(15), buf);  // no whole block
  for (std::uint8_t b : buf) EXPECT_EQ(b, kGuardByte);
}

// The span sizes bound the work: min(in.size(), out.size()) / 16 whole
// blocks, nothing read or written past them.
TEST(AesBlocksTest, WholeBlocksOfTheShorterSpanOnly) {
  std::uint8_t key[16] = {7};
  Aes aes;
  ASSERT_EQ(aes.SetKey(key, kTestBackend), base::OkStatus());
  testing::TestRng rng(5);
  std::uint8_t in[10 * Aes::kBlockBytes];
  rng.Fill(in, sizeof in);
  std::uint8_t expected[sizeof in];
  Reference(aes, in, expected, 10);
  for (std::size_t in_len : {0u, 15u, 16u, 47u, 48u, 160u}) {
    for (std::size_t out_len : {0u, 17u, 33u, 160u}) {
      std::uint8_t out[sizeof in];
      std::memset(out, kGuardByte, sizeof out);
      aes.EncryptBlocks({in, in_len}, {out, out_len});
      const std::size_t done =
          (in_len < out_len ? in_len : out_len) / Aes::kBlockBytes * 16;
      EXPECT_EQ(ToHex(out, done), ToHex(expected, done))
          << in_len << " " << out_len;
      for (std::size_t i = done; i < sizeof out; ++i) {
        ASSERT_EQ(out[i], kGuardByte) << in_len << " " << out_len << " " << i;
      }
    }
  }
}

}  // namespace
}  // namespace crypto
