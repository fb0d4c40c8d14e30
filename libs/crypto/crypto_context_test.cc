#include "crypto/crypto_context.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "base/cache_line.h"
#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

constexpr std::uint8_t kFixed[4] = {0xde, 0xc0, 0xad, 0x0b};

std::uintptr_t Address(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

TEST(CryptoLayoutTest, HotDataFirstColdDataOnItsOwnLines) {
  CryptoContext context;
  const OptimizedCryptoLayout& l = context.layout();
  const std::uintptr_t origin = Address(&l);
  EXPECT_EQ(origin % base::kCacheLineBytes, 0u);
  EXPECT_EQ(Address(&l.active), origin);
  // Hot data spans the first 648 bytes (792 on the Cortex-R5F, whose GHASH
  // key also holds H^2); cold data starts on the next line.
  EXPECT_LT(Address(&l.invocations) + sizeof l.invocations - origin,
            Address(l.backup_key) - origin + 1);
  EXPECT_EQ((Address(l.backup_key) - origin) % base::kCacheLineBytes, 0u);
  EXPECT_EQ(Address(l.backup_key) - origin,
            base::kCacheLineBytes == 64 ? 704u : 800u);
  EXPECT_GT(Address(&l.metadata), Address(l.backup_key));
  EXPECT_GT(Address(&l.statistics), Address(&l.metadata));
}

TEST(CryptoLayoutTest, ArraysOfContextsKeepEveryElementAligned) {
  static CryptoContext contexts[3];
  for (const CryptoContext& c : contexts) {
    EXPECT_EQ(Address(&c) % base::kCacheLineBytes, 0u);
  }
  // Aligned new (as an object pool or the test heap would use) too.
  auto heap = std::make_unique<CryptoContext>();
  EXPECT_EQ(Address(heap.get()) % base::kCacheLineBytes, 0u);
}

class ContextFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestRng rng(99);
    key_ = rng.Bytes(32);
    backup_ = rng.Bytes(16);
    msg_ = rng.Bytes(75);
    aad_ = rng.Bytes(9);
    ASSERT_EQ(sender_.Configure(7, key_, 100, kFixed, kTestBackend),
              base::OkStatus());
    ASSERT_EQ(receiver_.Configure(8, key_, 100, kFixed, kTestBackend),
              base::OkStatus());
  }
  std::vector<std::uint8_t> key_, backup_, msg_, aad_;
  CryptoContext sender_, receiver_;
};

TEST_F(ContextFixture, SealOpenRoundTripWithCountingNonces) {
  for (std::uint64_t i = 0; i < 3; ++i) {
    std::vector<std::uint8_t> ct(msg_.size()), back(msg_.size());
    std::uint8_t nonce[12], tag[16];
    ASSERT_EQ(sender_.Seal(aad_, msg_, ct, nonce, tag), base::OkStatus());
    EXPECT_EQ(std::memcmp(nonce, kFixed, 4), 0);
    std::uint64_t counter = 0;
    for (int k = 4; k < 12; ++k) counter = counter << 8 | nonce[k];
    EXPECT_EQ(counter, i);
    EXPECT_NE(ct, msg_);
    ASSERT_EQ(receiver_.Open(nonce, aad_, ct, tag, back), base::OkStatus());
    EXPECT_EQ(back, msg_);
  }
  EXPECT_EQ(sender_.invocations(), 3u);
  EXPECT_EQ(sender_.statistics().messages_sealed, 3u);
  EXPECT_EQ(receiver_.statistics().messages_opened, 3u);
  EXPECT_EQ(receiver_.statistics().bytes_opened, 3 * msg_.size());
  EXPECT_EQ(sender_.metadata().session_id, 7u);
}

TEST_F(ContextFixture, ForgeryCountedAndOutputWiped) {
  std::vector<std::uint8_t> ct(msg_.size()), back(msg_.size(), 0x11);
  std::uint8_t nonce[12], tag[16];
  ASSERT_EQ(sender_.Seal({}, msg_, ct, nonce, tag), base::OkStatus());
  ct[5] ^= 4;
  EXPECT_EQ(receiver_.Open(nonce, {}, ct, tag, back),
            Code::kAuthenticationFailed);
  EXPECT_EQ(back, std::vector<std::uint8_t>(msg_.size(), 0));
  EXPECT_EQ(receiver_.statistics().authentication_failures, 1u);
  EXPECT_EQ(receiver_.statistics().messages_opened, 0u);
}

TEST_F(ContextFixture, RotationSwitchesKeyAndRestartsCounter) {
  EXPECT_EQ(sender_.Rotate(), Code::kBadState);  // no backup yet
  EXPECT_EQ(sender_.SetBackupKey({backup_.data(), 15}, 101),
            Code::kInvalidKeyLength);
  ASSERT_EQ(sender_.SetBackupKey(backup_, 101), base::OkStatus());
  ASSERT_EQ(receiver_.SetBackupKey(backup_, 101), base::OkStatus());
  std::vector<std::uint8_t> ct(msg_.size()), back(msg_.size());
  std::uint8_t nonce[12], tag[16];
  ASSERT_EQ(sender_.Seal({}, msg_, ct, nonce, tag), base::OkStatus());
  ASSERT_EQ(sender_.Rotate(), base::OkStatus());
  EXPECT_EQ(sender_.invocations(), 0u);
  EXPECT_EQ(sender_.metadata().active_key_id, 101u);
  EXPECT_EQ(sender_.metadata().backup_key_bytes, 0u);
  for (std::uint8_t b : sender_.layout().backup_key) EXPECT_EQ(b, 0);
  ASSERT_EQ(sender_.Seal({}, msg_, ct, nonce, tag), base::OkStatus());
  // The old key no longer opens it; the rotated receiver does.
  EXPECT_EQ(receiver_.Open(nonce, {}, ct, tag, back),
            Code::kAuthenticationFailed);
  ASSERT_EQ(receiver_.Rotate(), base::OkStatus());
  ASSERT_EQ(receiver_.Open(nonce, {}, ct, tag, back), base::OkStatus());
  EXPECT_EQ(back, msg_);
  EXPECT_EQ(sender_.statistics().key_rotations, 1u);
}

TEST(CryptoContextTest, UnconfiguredAndBadKeys) {
  CryptoContext context;
  std::uint8_t nonce[12], tag[16], buf[4] = {};
  EXPECT_FALSE(context.configured());
  EXPECT_EQ(context.Seal({}, buf, buf, nonce, tag), Code::kBadState);
  EXPECT_EQ(context.Open(nonce, {}, buf, tag, buf), Code::kBadState);
  std::uint8_t key[32] = {};
  EXPECT_EQ(context.Configure(1, {key, 31}, 1, kFixed, kTestBackend),
            Code::kInvalidKeyLength);
  // A null key span is an empty key. (The fixed field is a fixed-extent
  // span: a missing one does not compile.)
  EXPECT_EQ(context.Configure(1, {}, 1, kFixed, kTestBackend),
            Code::kInvalidKeyLength);
  EXPECT_FALSE(context.configured());
  ASSERT_EQ(context.Configure(1, key, 1, kFixed, kTestBackend),
            base::OkStatus());
  EXPECT_EQ(context.SetBackupKey({}, 2), Code::kInvalidKeyLength);
  // The output must hold the text: kNullBuffer when null, kOutputTooShort
  // when short; no nonce is spent on a refusal.
  EXPECT_EQ(context.Seal({}, buf, {}, nonce, tag), Code::kNullBuffer);
  EXPECT_EQ(context.Seal({}, buf, {buf, 3}, nonce, tag), Code::kOutputTooShort);
  EXPECT_EQ(context.Open(nonce, {}, buf, tag, {}), Code::kNullBuffer);
  EXPECT_EQ(context.Open(nonce, {}, buf, tag, {buf, 3}), Code::kOutputTooShort);
  EXPECT_EQ(context.invocations(), 0u);
  EXPECT_EQ(context.statistics().messages_sealed, 0u);
}

TEST_F(ContextFixture, ResumeContinuesAKeysCounterAndBudget) {
  ASSERT_EQ(sender_.Resume(41, 7, 700, 1234), base::OkStatus());
  EXPECT_EQ(sender_.invocations(), 41u);
  EXPECT_EQ(sender_.nonces_remaining(), ~std::uint64_t{0} - 41);
  EXPECT_EQ(sender_.metadata().loaded_at_us, 1234u);
  std::vector<std::uint8_t> ct(msg_.size()), back(msg_.size());
  std::uint8_t nonce[12], tag[16];
  ASSERT_EQ(sender_.Seal(aad_, msg_, ct, nonce, tag), base::OkStatus());
  // The fixed field, then invocation 41, big-endian.
  EXPECT_TRUE(std::equal(nonce, nonce + 4, kFixed));
  EXPECT_EQ(nonce[11], 41);
  EXPECT_EQ(std::count(nonce + 4, nonce + 11, 0), 7);
  EXPECT_EQ(sender_.statistics().messages_sealed, 8u);
  EXPECT_EQ(sender_.statistics().bytes_sealed, 700 + msg_.size());
  ASSERT_EQ(receiver_.Open(nonce, aad_, ct, tag, back), base::OkStatus());
  EXPECT_EQ(back, msg_);
  // Only before the first message: the counter never goes back.
  EXPECT_EQ(sender_.Resume(0, 0, 0, 0), Code::kBadState);
  EXPECT_EQ(sender_.invocations(), 42u);
}

TEST_F(ContextFixture, ResumeOfASpentKeySealsNothing) {
  ASSERT_EQ(sender_.Resume(~std::uint64_t{0}, 0, 0, 0), base::OkStatus());
  EXPECT_EQ(sender_.nonces_remaining(), 0u);
  std::vector<std::uint8_t> ct(msg_.size());
  std::uint8_t nonce[12], tag[16];
  EXPECT_EQ(sender_.Seal({}, msg_, ct, nonce, tag), Code::kNonceExhausted);
  CryptoContext unconfigured;
  EXPECT_EQ(unconfigured.Resume(1, 0, 0, 0), Code::kBadState);
}

// The counter from the nonce's last 8 bytes (big-endian).
std::uint64_t CounterOf(const std::uint8_t* nonce) {
  std::uint64_t counter = 0;
  for (int k = 4; k < 12; ++k) counter = counter << 8 | nonce[k];
  return counter;
}

// SealAt takes the caller's counter, may skip ahead, and never goes back:
// the used counter and every skipped one are refused for good.
TEST_F(ContextFixture, SealAtUsesTheGivenCounterAndNeverGoesBack) {
  std::vector<std::uint8_t> ct(msg_.size()), back(msg_.size());
  std::uint8_t nonce[12], tag[16];
  ASSERT_EQ(sender_.SealAt(5, aad_, msg_, ct, nonce, tag), base::OkStatus());
  EXPECT_TRUE(std::equal(nonce, nonce + 4, kFixed));
  EXPECT_EQ(CounterOf(nonce), 5u);
  EXPECT_EQ(sender_.invocations(), 6u);
  ASSERT_EQ(receiver_.Open(nonce, aad_, ct, tag, back), base::OkStatus());
  EXPECT_EQ(back, msg_);

  // The same ciphertext and tag as the cipher itself under that nonce.
  AesGcm raw;
  ASSERT_EQ(raw.SetKey(key_, kTestBackend), base::OkStatus());
  std::vector<std::uint8_t> raw_ct(msg_.size());
  std::uint8_t raw_tag[16];
  ASSERT_EQ(raw.Encrypt(std::span<const std::uint8_t>(nonce, 12), aad_, msg_,
                        raw_ct, raw_tag),
            base::OkStatus());
  EXPECT_EQ(ct, raw_ct);
  EXPECT_TRUE(std::equal(tag, tag + 16, raw_tag));

  // Used (5) and skipped (0..4) counters: refused, nothing moves.
  for (const std::uint64_t used : {5u, 4u, 0u}) {
    EXPECT_EQ(sender_.SealAt(used, aad_, msg_, ct, nonce, tag),
              Code::kNonceReused)
        << used;
  }
  EXPECT_EQ(sender_.invocations(), 6u);
  EXPECT_EQ(sender_.statistics().messages_sealed, 1u);
  EXPECT_EQ(sender_.statistics().bytes_sealed, msg_.size());

  // The next one, then Seal carries on from there.
  ASSERT_EQ(sender_.SealAt(6, aad_, msg_, ct, nonce, tag), base::OkStatus());
  EXPECT_EQ(CounterOf(nonce), 6u);
  ASSERT_EQ(sender_.Seal(aad_, msg_, ct, nonce, tag), base::OkStatus());
  EXPECT_EQ(CounterOf(nonce), 7u);
  EXPECT_EQ(sender_.SealAt(7, aad_, msg_, ct, nonce, tag), Code::kNonceReused);
  EXPECT_EQ(sender_.statistics().messages_sealed, 3u);
}

// A refusal by the cipher (here a short output) spends no counter either,
// whether the call skipped ahead or not.
TEST_F(ContextFixture, SealAtRefusedByTheCipherMovesNothing) {
  std::vector<std::uint8_t> ct(msg_.size());
  std::uint8_t nonce[12], tag[16];
  EXPECT_EQ(sender_.SealAt(10, {}, msg_, {ct.data(), 3}, nonce, tag),
            Code::kOutputTooShort);
  EXPECT_EQ(sender_.invocations(), 0u);
  EXPECT_EQ(sender_.statistics().messages_sealed, 0u);
  ASSERT_EQ(sender_.SealAt(3, {}, msg_, ct, nonce, tag), base::OkStatus());
  EXPECT_EQ(sender_.invocations(), 4u);
}

// All ones is never a nonce; once the last counter is used, every value is
// gone and the refusal says so (kNonceExhausted, not kNonceReused).
TEST_F(ContextFixture, SealAtTheEndOfTheCounterSpace) {
  constexpr std::uint64_t kAllOnes = ~std::uint64_t{0};
  std::vector<std::uint8_t> ct(msg_.size());
  std::uint8_t nonce[12], tag[16];
  EXPECT_EQ(sender_.SealAt(kAllOnes, {}, msg_, ct, nonce, tag),
            Code::kNonceExhausted);
  EXPECT_EQ(sender_.invocations(), 0u);
  ASSERT_EQ(sender_.SealAt(kAllOnes - 1, {}, msg_, ct, nonce, tag),
            base::OkStatus());
  EXPECT_EQ(CounterOf(nonce), kAllOnes - 1);
  EXPECT_EQ(sender_.nonces_remaining(), 0u);
  EXPECT_EQ(sender_.SealAt(kAllOnes, {}, msg_, ct, nonce, tag),
            Code::kNonceExhausted);
  EXPECT_EQ(sender_.SealAt(kAllOnes - 1, {}, msg_, ct, nonce, tag),
            Code::kNonceExhausted);
  EXPECT_EQ(sender_.SealAt(0, {}, msg_, ct, nonce, tag), Code::kNonceExhausted);
  EXPECT_EQ(sender_.Seal({}, msg_, ct, nonce, tag), Code::kNonceExhausted);
  EXPECT_EQ(sender_.statistics().messages_sealed, 1u);

  CryptoContext unconfigured;
  EXPECT_EQ(unconfigured.SealAt(0, {}, msg_, ct, nonce, tag), Code::kBadState);
  EXPECT_EQ(unconfigured.SealAt(kAllOnes, {}, msg_, ct, nonce, tag),
            Code::kBadState);
}

// In place (ciphertext is the plaintext's buffer) gives what a separate
// output gives, and opens in place back to the message; any other overlap
// is refused without spending a counter.
TEST_F(ContextFixture, SealAtInPlace) {
  std::vector<std::uint8_t> separate(msg_.size());
  std::uint8_t nonce[12], tag[16];
  ASSERT_EQ(sender_.SealAt(9, aad_, msg_, separate, nonce, tag),
            base::OkStatus());
  CryptoContext twin;  // the same key at the same counter
  ASSERT_EQ(twin.Configure(7, key_, 100, kFixed, kTestBackend),
            base::OkStatus());
  std::vector<std::uint8_t> buffer = msg_;
  std::uint8_t twin_nonce[12], twin_tag[16];
  ASSERT_EQ(twin.SealAt(9, aad_, buffer, buffer, twin_nonce, twin_tag),
            base::OkStatus());
  EXPECT_EQ(buffer, separate);
  EXPECT_TRUE(std::equal(nonce, nonce + 12, twin_nonce));
  EXPECT_TRUE(std::equal(tag, tag + 16, twin_tag));
  ASSERT_EQ(receiver_.Open(twin_nonce, aad_, buffer, twin_tag, buffer),
            base::OkStatus());
  EXPECT_EQ(buffer, msg_);

  std::vector<std::uint8_t> shifted(msg_.size() + 1);
  std::copy(msg_.begin(), msg_.end(), shifted.begin());
  EXPECT_EQ(twin.SealAt(10, {}, {shifted.data(), msg_.size()},
                        {shifted.data() + 1, msg_.size()}, nonce, tag),
            Code::kOverlappingBuffers);
  EXPECT_EQ(twin.invocations(), 10u);
}

TEST(CryptoStatusTest, NonceReusedHasItsOwnName) {
  EXPECT_EQ(base::StatusName<Code>(Code::kNonceReused), "crypto.nonce_reused");
  EXPECT_EQ(kLastCode, Code::kNonceReused);
  for (int a = 1; a <= static_cast<int>(kLastCode); ++a) {
    EXPECT_TRUE(CodeName(static_cast<Code>(a)).starts_with("crypto.")) << a;
    for (int b = 1; b < a; ++b) {
      EXPECT_NE(CodeName(static_cast<Code>(a)), CodeName(static_cast<Code>(b)));
    }
  }
}

TEST(CryptoContextTest, DestructionWipesEverything) {
  alignas(CryptoContext) unsigned char storage[sizeof(CryptoContext)];
  std::memset(storage, 0, sizeof storage);
  auto* context = new (storage) CryptoContext;
  std::uint8_t key[32], backup[32];
  for (int i = 0; i < 32; ++i) {
    key[i] = static_cast<std::uint8_t>(i + 1);
    backup[i] = static_cast<std::uint8_t>(0x80 | i);
  }
  ASSERT_EQ(context->Configure(3, key, 9, kFixed, kTestBackend),
            base::OkStatus());
  ASSERT_EQ(context->SetBackupKey(backup, 10), base::OkStatus());
  context->~CryptoContext();
  for (std::size_t i = 0; i < sizeof storage; ++i)
    ASSERT_EQ(storage[i], 0) << i;
}

}  // namespace
}  // namespace crypto
