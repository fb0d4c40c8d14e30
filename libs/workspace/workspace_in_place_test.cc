// SealInPlace and OpenInPlace: the caller's buffer, the caller's invocation
// counter. Equal to the copying calls and to raw AES-GCM, every refusal in
// its order, the uniqueness rule, what a failed tag leaves in the buffer,
// the accounting, and the invariants I1-I7 around them.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <set>
#include <span>
#include <vector>

#include "base/fake_clock.h"
#include "base/test_rng.h"
#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "test_support.h"
#include "workspace/workspace.h"

namespace workspace {
namespace {

using testing::AllZero;
using testing::Bytes;
using testing::Pattern;
using testing::SlotIsWiped;
using testing::UnleasedBuffersAreZero;

// Small buffers on purpose: the in-place calls are not bound by them.
using TestWorkspace = SecureCryptoWorkspace<64, 2, 3>;
using Tag = std::array<std::uint8_t, kTagBytes>;

constexpr KeySlotId kSlot0{0};
constexpr KeySlotId kSlot1{1};
constexpr std::uint32_t kFixedField = 0x01020304;

// Static, as on the boards (never on the 64 KiB stack).
TestWorkspace ws_storage;
base::FakeClock clock_storage(1'000'000);

Nonce NonceFor(std::uint64_t invocation) {
  Nonce nonce;
  for (int i = 0; i < 4; ++i)
    nonce[i] = static_cast<std::uint8_t>(kFixedField >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i)
    nonce[4 + i] = static_cast<std::uint8_t>(invocation >> (56 - 8 * i));
  return nonce;
}

class InPlaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.clock = &clock_;
    config_.violation_threshold = 3;
    config_.rotation = {.max_key_age_us = 10'000'000,
                        .max_messages_per_key = 1000,
                        .max_bytes_per_key = 100'000};
    ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
    key_ = Pattern(16, 1);
    session_ = ActiveSessionOn(kSlot0, SessionId{0});
  }

  // Loads key_ into slot (fixed field kFixedField, counter from `first`)
  // and binds an Active session to it.
  SessionId ActiveSessionOn(KeySlotId slot, SessionId id,
                            std::uint64_t first = 0) {
    EXPECT_EQ(
        ws_.LoadKey(slot, Bytes(key_),
                    {.fixed_field = kFixedField, .first_invocation = first}),
        base::OkStatus());
    EXPECT_EQ(ws_.AllocateSession(id), base::OkStatus());
    EXPECT_EQ(ws_.BindKey(id, slot), base::OkStatus());
    EXPECT_EQ(ws_.Activate(id), base::OkStatus());
    return id;
  }

  // Raw AES-GCM of (aad, plaintext) under key_ and the nonce for
  // `invocation`: ciphertext || tag.
  std::vector<std::uint8_t> RawSeal(std::uint64_t invocation,
                                    const std::vector<std::uint8_t>& aad,
                                    const std::vector<std::uint8_t>& text) {
    crypto::AesGcm raw;
    EXPECT_EQ(raw.SetKey(key_), base::OkStatus());
    std::vector<std::uint8_t> out(text.size() + kTagBytes);
    EXPECT_EQ(
        raw.Encrypt(NonceFor(invocation), aad, text, {out.data(), text.size()},
                    {out.data() + text.size(), kTagBytes}),
        base::OkStatus());
    return out;
  }

  std::uint64_t NextInvocation(KeySlotId slot) {
    return kSpentInvocation - ws_.KeyStatus(slot)->nonces_remaining;
  }

  TestWorkspace& ws_ = ws_storage;
  base::FakeClock& clock_ = clock_storage;
  WorkspaceConfig config_;
  std::vector<std::uint8_t> key_;
  SessionId session_;
};

// --- Happy paths ---------------------------------------------------------

// The text becomes raw AES-GCM's ciphertext under fixed field || invocation,
// and it is exactly what Encrypt produces at that counter; nothing leased.
TEST_F(InPlaceTest, SealInPlaceEqualsRawGcmAndEncrypt) {
  const auto message = Pattern(100, 5);  // more than a buffer holds
  const auto aad = Pattern(13, 6);
  auto text = message;
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 77, Bytes(aad), text, tag),
            base::OkStatus());
  const auto expected = RawSeal(77, aad, message);
  EXPECT_TRUE(std::equal(text.begin(), text.end(), expected.begin()));
  EXPECT_TRUE(std::equal(tag.begin(), tag.end(), expected.begin() + 100));
  EXPECT_EQ(NextInvocation(kSlot0), 78u);
  EXPECT_EQ(ws_.stats().peak_buffers_leased, 0u);
  EXPECT_TRUE(UnleasedBuffersAreZero(ws_));

  // The copying call on the same key at the same counter agrees.
  const auto small = Pattern(40, 7);
  auto in_place = small;
  ASSERT_EQ(ws_.SealInPlace(session_, 200, Bytes(aad), in_place, tag),
            base::OkStatus());
  const SessionId other = ActiveSessionOn(kSlot1, SessionId{1}, 200);
  auto sealed = ws_.Encrypt(other, Bytes(aad), Bytes(small));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->nonce(), NonceFor(200));
  EXPECT_TRUE(std::equal(in_place.begin(), in_place.end(),
                         sealed->text().begin(), sealed->text().end()));
  EXPECT_TRUE(std::equal(tag.begin(), tag.end(), sealed->tag().begin(),
                         sealed->tag().end()));
}

// Decrypting in place gives what Decrypt gives; a whole frame (header as
// AAD, text, tag) lives in one buffer from seal to open.
TEST_F(InPlaceTest, OpenInPlaceEqualsDecryptAndRoundTripsAFrame) {
  const auto message = Pattern(30, 8);
  const auto aad = Pattern(8, 9);
  auto sealed = ws_.Encrypt(session_, Bytes(aad), Bytes(message));
  ASSERT_TRUE(sealed.ok());
  const Nonce nonce = sealed->nonce();
  std::vector<std::uint8_t> text(sealed->text().begin(), sealed->text().end());
  Tag tag;
  std::copy(sealed->tag().begin(), sealed->tag().end(), tag.begin());
  auto opened = ws_.Decrypt(session_, nonce, Bytes(aad), sealed->bytes());
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(ws_.OpenInPlace(session_, nonce, Bytes(aad), text, tag),
            base::OkStatus());
  EXPECT_EQ(text, message);
  EXPECT_TRUE(std::equal(text.begin(), text.end(), opened->text().begin(),
                         opened->text().end()));
  opened->Release();
  sealed->Release();

  // One frame: header || text || tag, sealed and opened where it lies.
  constexpr std::size_t kHeader = 8;
  const auto body = Pattern(200, 10);
  std::vector<std::uint8_t> frame(kHeader + body.size() + kTagBytes);
  std::copy(aad.begin(), aad.end(), frame.begin());
  std::copy(body.begin(), body.end(), frame.begin() + kHeader);
  const std::span<std::uint8_t> header(frame.data(), kHeader);
  const std::span<std::uint8_t> frame_text(frame.data() + kHeader, body.size());
  const std::span<std::uint8_t, kTagBytes> frame_tag(
      frame.data() + kHeader + body.size(), kTagBytes);
  ASSERT_EQ(ws_.SealInPlace(session_, 5, header, frame_text, frame_tag),
            base::OkStatus());
  EXPECT_FALSE(std::equal(body.begin(), body.end(), frame_text.begin()));
  ASSERT_EQ(
      ws_.OpenInPlace(session_, NonceFor(5), header, frame_text, frame_tag),
      base::OkStatus());
  EXPECT_TRUE(std::equal(body.begin(), body.end(), frame_text.begin()));
  EXPECT_TRUE(UnleasedBuffersAreZero(ws_));
  EXPECT_EQ(ws_.stats().buffers_leased, 0u);
}

// Counted as Encrypt and Decrypt count: per session, in total, and in the
// key's rotation budget; no buffer bytes wiped (none were used).
TEST_F(InPlaceTest, AccountingMatchesTheCopyingCalls) {
  const WorkspaceStats before = ws_.stats();
  auto text = Pattern(33, 1);
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 0, {}, text, tag), base::OkStatus());
  ASSERT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, text, tag),
            base::OkStatus());
  const WorkspaceStats& after = ws_.stats();
  EXPECT_EQ(after.encryptions, before.encryptions + 1);
  EXPECT_EQ(after.decryptions, before.decryptions + 1);
  EXPECT_EQ(after.bytes_encrypted, before.bytes_encrypted + 33);
  EXPECT_EQ(after.bytes_decrypted, before.bytes_decrypted + 33);
  EXPECT_EQ(after.bytes_wiped, before.bytes_wiped);
  EXPECT_EQ(ws_.Session(session_)->messages_encrypted, 1u);
  EXPECT_EQ(ws_.Session(session_)->messages_decrypted, 1u);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->usage.messages, 1u);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->usage.bytes, 33u);
}

// --- The caller's counter -----------------------------------------------

// Strictly increasing per loaded key: gaps are fine, the used counter and
// every skipped one are refused for good, and Encrypt draws from the same
// counter (so the two can never meet on a nonce).
TEST_F(InPlaceTest, InvocationsMustStrictlyIncreasePerKey) {
  const auto message = Pattern(16, 2);
  auto text = message;
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 10, {}, text, tag), base::OkStatus());
  auto sealed_text = text;
  const Tag sealed_tag = tag;
  for (const std::uint64_t used : {10u, 9u, 0u}) {
    text = message;
    EXPECT_EQ(ws_.SealInPlace(session_, used, {}, text, tag),
              Code::kNonceReused)
        << used;
    // I6: a refusal leaves the caller's text and tag and the key's counter.
    EXPECT_EQ(text, message);
    EXPECT_EQ(tag, sealed_tag);
    EXPECT_EQ(NextInvocation(kSlot0), 11u);
  }
  EXPECT_EQ(ws_.stats().nonce_refusals, 3u);
  EXPECT_EQ(ws_.stats().encryptions, 1u);
  EXPECT_EQ(ws_.Session(session_)->messages_encrypted, 1u);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->usage.messages, 1u);
  // A local numbering bug, not evidence of attack.
  EXPECT_EQ(ws_.stats().violations, 0u);
  EXPECT_EQ(ws_.CheckSecurityState(), SecurityState::kSecure);

  auto next = ws_.Encrypt(session_, {}, Bytes(message));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->nonce(), NonceFor(11));
  text = message;
  EXPECT_EQ(ws_.SealInPlace(session_, 11, {}, text, tag), Code::kNonceReused);
  ASSERT_EQ(ws_.SealInPlace(session_, 12, {}, text, tag), base::OkStatus());
  // The refused attempts did not disturb what was sealed.
  EXPECT_EQ(
      ws_.OpenInPlace(session_, NonceFor(10), {}, sealed_text, sealed_tag),
      base::OkStatus());
  EXPECT_EQ(sealed_text, message);
}

// Each key has its own counter: a reload (a new key generation) starts from
// its first_invocation, and another slot's counter is independent.
TEST_F(InPlaceTest, TheCounterBelongsToTheLoadedKey) {
  auto text = Pattern(8, 3);
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 50, {}, text, tag), base::OkStatus());
  const SessionId other = ActiveSessionOn(kSlot1, SessionId{1});
  EXPECT_EQ(ws_.SealInPlace(other, 3, {}, text, tag), base::OkStatus());
  EXPECT_EQ(NextInvocation(kSlot0), 51u);
  EXPECT_EQ(NextInvocation(kSlot1), 4u);
}

// The last counter before the spent mark seals; the spent mark itself, and
// everything once it is reached, needs a new key (kRotationRequired).
TEST_F(InPlaceTest, TheAllOnesInvocationRequiresRotation) {
  auto text = Pattern(8, 4);
  const auto message = text;
  Tag tag{};
  EXPECT_EQ(ws_.SealInPlace(session_, kSpentInvocation, {}, text, tag),
            Code::kRotationRequired);
  EXPECT_EQ(text, message);
  EXPECT_EQ(ws_.stats().rotation_refusals, 1u);
  EXPECT_EQ(NextInvocation(kSlot0), 0u);  // the key is not spent by asking
  ASSERT_EQ(ws_.SealInPlace(session_, kSpentInvocation - 1, {}, text, tag),
            base::OkStatus());
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->nonces_remaining, 0u);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->rotation, RotationReason::kNonceExhausted);
  // Spent: the rotation refusal comes before the reuse one.
  EXPECT_EQ(ws_.SealInPlace(session_, 1, {}, text, tag),
            Code::kRotationRequired);
  EXPECT_EQ(ws_.stats().rotation_refusals, 2u);
  EXPECT_EQ(ws_.stats().nonce_refusals, 0u);
  // Decryption of what was sent still works.
  EXPECT_EQ(
      ws_.OpenInPlace(session_, NonceFor(kSpentInvocation - 1), {}, text, tag),
      base::OkStatus());
  EXPECT_EQ(text, message);
}

// Random increasing invocations with random gaps, interleaved with Encrypt
// and with attempts to go back: every nonce sealed is distinct, every
// attempt at or below the last one used is refused, every message opens.
TEST_F(InPlaceTest, NoNonceTwiceOverARandomRun) {
#if defined(__arm__)
  constexpr int kSteps = 300;
#else
  constexpr int kSteps = 5000;
#endif
  config_.rotation.max_messages_per_key = 1'000'000;
  config_.rotation.max_bytes_per_key = 1'000'000;
  ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
  session_ = ActiveSessionOn(kSlot0, SessionId{0});
  base::TestRng rng(2024);
  std::set<Nonce> seen;
  std::uint64_t next = 0;  // the model of the key's counter
  for (int step = 0; step < kSteps; ++step) {
    auto text = Pattern(1 + rng.Below(40), static_cast<std::uint8_t>(step));
    const auto message = text;
    Tag tag{};
    const std::uint32_t kind = rng.Below(4);
    if (kind == 0) {  // the workspace's own next counter
      auto sealed = ws_.Encrypt(session_, {}, Bytes(message));
      ASSERT_TRUE(sealed.ok()) << step;
      ASSERT_EQ(sealed->nonce(), NonceFor(next)) << step;
      ASSERT_TRUE(seen.insert(sealed->nonce()).second) << step;
      ++next;
      continue;
    }
    if (kind == 1 && next != 0) {  // back to a used or skipped counter
      const std::uint64_t back = next - 1 - rng.Below(16) % next;
      ASSERT_EQ(ws_.SealInPlace(session_, back, {}, text, tag),
                Code::kNonceReused)
          << step;
      ASSERT_EQ(text, message) << step;
      continue;
    }
    const std::uint64_t invocation = next + rng.Below(3) * rng.Below(1000);
    ASSERT_EQ(ws_.SealInPlace(session_, invocation, {}, text, tag),
              base::OkStatus())
        << step;
    ASSERT_TRUE(seen.insert(NonceFor(invocation)).second) << step;
    next = invocation + 1;
    ASSERT_EQ(ws_.OpenInPlace(session_, NonceFor(invocation), {}, text, tag),
              base::OkStatus())
        << step;
    ASSERT_EQ(text, message) << step;
  }
  EXPECT_EQ(NextInvocation(kSlot0), next);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->usage.messages, seen.size());
  EXPECT_EQ(ws_.stats().encryptions, seen.size());
}

// --- Refusals, in their order -------------------------------------------

TEST_F(InPlaceTest, SealInPlaceRefusalsInOrder) {
  auto text = Pattern(8, 5);
  const auto message = text;
  Tag tag{};
  const Tag no_tag = tag;
  auto unchanged = [&](const char* what) {
    EXPECT_EQ(text, message) << what;
    EXPECT_EQ(tag, no_tag) << what;
    EXPECT_EQ(NextInvocation(kSlot0), 0u) << what;
    EXPECT_EQ(ws_.stats().encryptions, 0u) << what;
    EXPECT_TRUE(UnleasedBuffersAreZero(ws_)) << what;
  };
  EXPECT_EQ(ws_.SealInPlace(SessionId{3}, 0, {}, text, tag),
            Code::kInvalidSession);
  unchanged("invalid session");
  EXPECT_EQ(ws_.SealInPlace(SessionId{2}, 0, {}, text, tag),
            Code::kSessionIdle);
  unchanged("idle");
  ASSERT_EQ(ws_.AllocateSession(SessionId{2}), base::OkStatus());
  EXPECT_EQ(ws_.SealInPlace(SessionId{2}, 0, {}, text, tag),
            Code::kSessionNotActive);
  ASSERT_EQ(ws_.BindKey(SessionId{2}, kSlot0), base::OkStatus());
  EXPECT_EQ(ws_.SealInPlace(SessionId{2}, 0, {}, text, tag),
            Code::kSessionNotActive);
  unchanged("not active");

  // AAD overlapping the text (not in place): the cipher's rule.
  EXPECT_EQ(ws_.SealInPlace(session_, 0, {text.data() + 4, 4}, text, tag),
            Code::kCryptoError);
  unchanged("overlap");

  // Rotation before reuse: a spent budget is the answer to give.
  auto first = text;
  ASSERT_EQ(ws_.SealInPlace(session_, 0, {}, first, tag), base::OkStatus());
  const Tag after_first = tag;
  clock_.Advance(10'000'000);  // the key's age limit
  EXPECT_EQ(ws_.SealInPlace(session_, 0, {}, text, tag),
            Code::kRotationRequired);
  EXPECT_EQ(text, message);
  EXPECT_EQ(tag, after_first);
  EXPECT_EQ(ws_.stats().rotation_refusals, 1u);
  EXPECT_EQ(ws_.stats().nonce_refusals, 0u);

  // Expired (use after rotation): refused before anything else, and a
  // violation, as for Encrypt.
  ASSERT_EQ(ws_.LoadKey(kSlot0, Bytes(key_), {.fixed_field = kFixedField}),
            base::OkStatus());
  EXPECT_EQ(ws_.Session(session_)->state, SessionState::kExpired);
  EXPECT_EQ(ws_.SealInPlace(session_, 5, {}, text, tag), Code::kSessionExpired);
  EXPECT_EQ(ws_.stats().expired_session_uses, 1u);
  EXPECT_EQ(ws_.stats().violations, 1u);
  EXPECT_EQ(text, message);
}

TEST_F(InPlaceTest, OpenInPlaceRefusalsInOrder) {
  config_.violation_threshold = 100;
  ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
  session_ = ActiveSessionOn(kSlot0, SessionId{0});
  const auto message = Pattern(24, 6);
  auto text = message;
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 1, {}, text, tag), base::OkStatus());
  const auto ciphertext = text;

  EXPECT_EQ(ws_.OpenInPlace(SessionId{3}, NonceFor(1), {}, text, tag),
            Code::kInvalidSession);
  EXPECT_EQ(ws_.OpenInPlace(SessionId{2}, NonceFor(1), {}, text, tag),
            Code::kSessionIdle);
  ASSERT_EQ(ws_.AllocateSession(SessionId{2}), base::OkStatus());
  EXPECT_EQ(ws_.OpenInPlace(SessionId{2}, NonceFor(1), {}, text, tag),
            Code::kSessionNotActive);
  EXPECT_EQ(text, ciphertext);
  EXPECT_EQ(ws_.stats().violations, 0u);

  // Malformed nonce: named, counted as malformed wire input.
  const std::array<std::uint8_t, 11> short_nonce{};
  EXPECT_EQ(ws_.OpenInPlace(session_, short_nonce, {}, text, tag),
            Code::kInvalidNonceLength);
  EXPECT_EQ(ws_.stats().malformed_inputs, 1u);
  EXPECT_EQ(ws_.stats().violations, 1u);
  EXPECT_EQ(text, ciphertext);

  // Overlapping buffers: the cipher refuses before it writes.
  const Nonce nonce = NonceFor(1);
  EXPECT_EQ(ws_.OpenInPlace(session_, nonce, {text.data() + 2, 4}, text, tag),
            Code::kCryptoError);
  EXPECT_EQ(text, ciphertext);
  EXPECT_EQ(ws_.stats().authentication_failures, 0u);

  // Decryption goes on after rotation became due (it makes no nonce).
  clock_.Advance(10'000'000);
  EXPECT_EQ(ws_.KeyStatus(kSlot0)->rotation, RotationReason::kKeyAge);
  ASSERT_EQ(ws_.OpenInPlace(session_, nonce, {}, text, tag), base::OkStatus());
  EXPECT_EQ(text, message);

  // Expired: refused and a violation.
  ASSERT_EQ(ws_.ExpireSession(session_), base::OkStatus());
  text = ciphertext;
  EXPECT_EQ(ws_.OpenInPlace(session_, nonce, {}, text, tag),
            Code::kSessionExpired);
  EXPECT_EQ(ws_.stats().violations, 2u);
  EXPECT_EQ(text, ciphertext);
}

// A failed tag leaves zeros where the text was: no plaintext (and no
// ciphertext) of the forged message survives in the caller's buffer.
TEST_F(InPlaceTest, FailedTagLeavesZerosAndCounts) {
  config_.violation_threshold = 100;
  ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
  session_ = ActiveSessionOn(kSlot0, SessionId{0});
  const auto message = Pattern(48, 7);
  const auto aad = Pattern(8, 8);
  auto ciphertext = message;
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 3, Bytes(aad), ciphertext, tag),
            base::OkStatus());

  std::uint32_t failures = 0;
  auto expect_failure =
      [&](const Nonce& nonce, const std::vector<std::uint8_t>& a,
          std::vector<std::uint8_t> text, const Tag& t, const char* what) {
        EXPECT_EQ(ws_.OpenInPlace(session_, nonce, Bytes(a), text, t),
                  Code::kAuthenticationFailed)
            << what;
        EXPECT_TRUE(AllZero(text)) << what;
        EXPECT_EQ(ws_.stats().authentication_failures, ++failures) << what;
        EXPECT_EQ(ws_.stats().violations, failures) << what;
      };
  auto flipped = ciphertext;
  flipped[17] ^= 0x04;
  expect_failure(NonceFor(3), aad, flipped, tag, "text bit");
  Tag bad_tag = tag;
  bad_tag[15] ^= 0x80;
  expect_failure(NonceFor(3), aad, ciphertext, bad_tag, "tag bit");
  auto bad_aad = aad;
  bad_aad[0] ^= 1;
  expect_failure(NonceFor(3), bad_aad, ciphertext, tag, "aad");
  expect_failure(NonceFor(4), aad, ciphertext, tag, "nonce");
  EXPECT_EQ(ws_.stats().decryptions, 0u);
  EXPECT_EQ(ws_.Session(session_)->messages_decrypted, 0u);
  EXPECT_EQ(ws_.CheckSecurityState(), SecurityState::kSecurityViolation);
  // The genuine message still opens.
  auto genuine = ciphertext;
  ASSERT_EQ(ws_.OpenInPlace(session_, NonceFor(3), Bytes(aad), genuine, tag),
            base::OkStatus());
  EXPECT_EQ(genuine, message);
}

// With authentication_failures_are_violations = false forged frames are
// refused, zeroed and counted, but never move the violation counter.
TEST_F(InPlaceTest, FailedTagIsAViolationOnlyIfConfigured) {
  config_.authentication_failures_are_violations = false;
  ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
  session_ = ActiveSessionOn(kSlot0, SessionId{0});
  auto text = Pattern(20, 9);
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 0, {}, text, tag), base::OkStatus());
  tag[0] ^= 1;
  for (int i = 0; i < 10; ++i) {
    auto forged = text;
    ASSERT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, forged, tag),
              Code::kAuthenticationFailed);
    ASSERT_TRUE(AllZero(forged));
  }
  const std::array<std::uint8_t, 4> short_nonce{};
  EXPECT_EQ(ws_.OpenInPlace(session_, short_nonce, {}, text, tag),
            Code::kInvalidNonceLength);
  EXPECT_EQ(ws_.stats().authentication_failures, 10u);
  EXPECT_EQ(ws_.stats().malformed_inputs, 1u);
  EXPECT_EQ(ws_.stats().violations, 0u);
  EXPECT_FALSE(ws_.locked_out());
}

// --- Lockout (I7) and the other invariants --------------------------------

// The failed tag that reaches the threshold locks out: the workspace is
// wiped, the caller's text holds zeros, and both calls are refused.
TEST_F(InPlaceTest, LockoutByFailedTagsWipesAndRefuses) {
  auto text = Pattern(16, 10);
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 0, {}, text, tag), base::OkStatus());
  Tag forged = tag;
  forged[3] ^= 8;
  for (int i = 0; i < 3; ++i) {
    auto copy = text;
    EXPECT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, copy, forged),
              Code::kAuthenticationFailed);
    EXPECT_TRUE(AllZero(copy));
  }
  EXPECT_TRUE(ws_.locked_out());
  EXPECT_EQ(ws_.stats().lockouts, 1u);
  for (std::uint16_t i = 0; i < 2; ++i)
    EXPECT_TRUE(SlotIsWiped(ws_, KeySlotId{i}));
  for (std::uint16_t i = 0; i < 3; ++i)
    EXPECT_TRUE(AllZero(ws_.InspectSessionForTesting(SessionId{i})));
  EXPECT_TRUE(UnleasedBuffersAreZero(ws_));

  const auto before = text;
  // Before any other check, even of the session id.
  EXPECT_EQ(ws_.SealInPlace(SessionId{3}, 1, {}, text, tag), Code::kLockedOut);
  EXPECT_EQ(ws_.OpenInPlace(SessionId{3}, NonceFor(0), {}, text, tag),
            Code::kLockedOut);
  EXPECT_EQ(ws_.SealInPlace(session_, 1, {}, text, tag), Code::kLockedOut);
  EXPECT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, text, tag),
            Code::kLockedOut);
  EXPECT_EQ(text, before);
  ASSERT_EQ(ws_.Reprovision(config_), base::OkStatus());
  EXPECT_EQ(ws_.SealInPlace(session_, 1, {}, text, tag), Code::kSessionIdle);
}

// I1-I4 around the in-place calls: they lease nothing, so unleased
// buffers stay zero and no buffer is held; clearing the key wipes the slot
// and expires the session, whose next in-place use is refused; a released
// session's record is zero again.
TEST_F(InPlaceTest, InvariantsHoldAroundInPlaceCalls) {
  auto text = Pattern(40, 11);
  Tag tag{};
  ASSERT_EQ(ws_.SealInPlace(session_, 0, {}, text, tag), base::OkStatus());
  ASSERT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, text, tag),
            base::OkStatus());
  EXPECT_TRUE(UnleasedBuffersAreZero(ws_));  // I1
  for (std::size_t i = 0; i < kBufferCount; ++i)
    EXPECT_FALSE(ws_.IsLeased(static_cast<BufferId>(i)));
  ASSERT_EQ(ws_.ClearKey(kSlot0), base::OkStatus());
  EXPECT_TRUE(SlotIsWiped(ws_, kSlot0));                            // I2
  EXPECT_EQ(ws_.Session(session_)->state, SessionState::kExpired);  // I4
  EXPECT_EQ(ws_.SealInPlace(session_, 1, {}, text, tag), Code::kSessionExpired);
  EXPECT_EQ(ws_.OpenInPlace(session_, NonceFor(0), {}, text, tag),
            Code::kSessionExpired);
  ASSERT_EQ(ws_.ReleaseSession(session_), base::OkStatus());
  EXPECT_TRUE(AllZero(ws_.InspectSessionForTesting(session_)));  // I3
}

}  // namespace
}  // namespace workspace
