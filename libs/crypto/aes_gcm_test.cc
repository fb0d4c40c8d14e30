#include "crypto/aes_gcm.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "crypto/aes.h"
#include "crypto/ghash.h"
#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using testing::Hex;
using testing::ToHex;

struct KnownAnswer {
  const char* name;
  const char* key;
  const char* iv;
  const char* aad;
  const char* pt;
  const char* ct;
  const char* tag;
};

constexpr char kP3[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr char kP4[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
constexpr char kA4[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

// The GCM specification's test cases (McGrew and Viega, "The Galois/Counter
// Mode of Operation", appendix B), also used by SP 800-38D validation.
const KnownAnswer kSpecCases[] = {
    {"TC1", "00000000000000000000000000000000", "000000000000000000000000", "",
     "", "", "58e2fccefa7e3061367f1d57a4e7455a"},
    {"TC2", "00000000000000000000000000000000", "000000000000000000000000", "",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"TC3", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "",
     kP3,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"TC4", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", kA4,
     kP4,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    // 64-bit IV: J0 = GHASH(IV).
    {"TC5", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbad", kA4, kP4,
     "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
     "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
     "3612d2e79e3b0785561be14aaca2fccb"},
    // 480-bit IV.
    {"TC6", "feffe9928665731c6d6a8f9467308308",
     "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
     "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
     kA4, kP4,
     "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
     "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
     "619cc5aefffe0bfa462af43c1699d050"},
    {"TC13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "",
     "530f8afbc74536b9a963b4f1c4cb738b"},
    {"TC14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"TC15", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "", kP3,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"TC16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", kA4, kP4,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

TEST(AesGcmTest, SpecKnownAnswers) {
  for (const KnownAnswer& kat : kSpecCases) {
    SCOPED_TRACE(kat.name);
    const auto key = Hex(kat.key), iv = Hex(kat.iv), aad = Hex(kat.aad);
    const auto pt = Hex(kat.pt);
    AesGcm gcm;
    ASSERT_EQ(gcm.SetKey(key, kTestBackend), base::OkStatus());
    std::vector<std::uint8_t> ct(pt.size() + 1), tag(16);
    ASSERT_EQ(gcm.Encrypt(iv, aad, pt, {ct.data(), pt.size()}, tag),
              base::OkStatus());
    EXPECT_EQ(ToHex(ct.data(), pt.size()), kat.ct);
    EXPECT_EQ(ToHex(tag), kat.tag);
    std::vector<std::uint8_t> back(pt.size() + 1);
    ASSERT_EQ(gcm.Decrypt(iv, aad, {ct.data(), pt.size()}, tag,
                          {back.data(), pt.size()}),
              base::OkStatus());
    EXPECT_EQ(ToHex(back.data(), pt.size()), kat.pt);
  }
}

// Fixture with a keyed AES-256-GCM and random buffers.
class GcmFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestRng rng(42);
    key_ = rng.Bytes(32);
    iv_ = rng.Bytes(12);
    aad_ = rng.Bytes(20);
    pt_ = rng.Bytes(100);
    ASSERT_EQ(gcm_.SetKey(key_, kTestBackend), base::OkStatus());
  }
  std::vector<std::uint8_t> key_, iv_, aad_, pt_;
  AesGcm gcm_;
};

TEST_F(GcmFixture, TruncatedTagsArePrefixesAndVerify) {
  std::vector<std::uint8_t> ct(pt_.size()), full(16), out(pt_.size());
  ASSERT_EQ(
      gcm_.Encrypt(iv_, aad_, pt_, {ct.data(), pt_.size()}, {full.data(), 16}),
      base::OkStatus());
  for (std::size_t len = 12; len <= 16; ++len) {
    std::vector<std::uint8_t> tag(len), ct2(pt_.size());
    ASSERT_EQ(gcm_.Encrypt(iv_, aad_, pt_, {ct2.data(), pt_.size()},
                           {tag.data(), len}),
              base::OkStatus());
    EXPECT_EQ(std::memcmp(tag.data(), full.data(), len), 0);
    EXPECT_EQ(
        gcm_.Decrypt(iv_, aad_, ct, {tag.data(), len}, {out.data(), ct.size()}),
        base::OkStatus());
    EXPECT_EQ(out, pt_);
  }
}

TEST_F(GcmFixture, RejectsDisallowedTagLengths) {
  std::vector<std::uint8_t> ct(pt_.size()), tag(17);
  for (std::size_t len : {0u, 1u, 4u, 8u, 11u, 17u}) {
    EXPECT_EQ(
        gcm_.Encrypt(iv_, {}, pt_, {ct.data(), pt_.size()}, {tag.data(), len}),
        Code::kInvalidTagLength)
        << len;
    EXPECT_EQ(gcm_.Decrypt(iv_, {}, ct, {tag.data(), len}, ct),
              Code::kInvalidTagLength)
        << len;
  }
}

TEST_F(GcmFixture, EveryBadInputHasANamedError) {
  std::vector<std::uint8_t> buf(256), tag(16);
  std::uint8_t* p = buf.data();
  const std::uint8_t* iv = iv_.data();
  // IV.
  EXPECT_EQ(gcm_.Encrypt({iv, 0}, {}, {p, 16}, {p + 64, 16}, {tag.data(), 16}),
            Code::kInvalidIvLength);
  EXPECT_EQ(gcm_.Decrypt({iv, 0}, {}, {p, 16}, {tag.data(), 16}, {p + 64, 16}),
            Code::kInvalidIvLength);
  // A null span is an empty one: an empty IV is a bad IV length ...
  EXPECT_EQ(gcm_.Encrypt({}, {}, {p, 16}, {p + 64, 16}, tag),
            Code::kInvalidIvLength);
  // ... an empty tag a bad tag length ...
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 16}, {p + 64, 16}, {}),
            Code::kInvalidTagLength);
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {}, {p, 16}, {}, {p + 64, 16}),
            Code::kInvalidTagLength);
  // ... empty AAD and text are fine, and an empty text needs no output.
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {}, {}, tag), base::OkStatus());
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {}, {}, tag, {}), base::OkStatus());
  // An output shorter than the text: null is kNullBuffer (nowhere to
  // write), anything else kOutputTooShort; nothing is written.
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 16}, {}, tag), Code::kNullBuffer);
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {}, {p, 16}, tag, {}), Code::kNullBuffer);
  std::fill(p + 64, p + 96, 0xcc);
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 16}, {p + 64, 15}, tag),
            Code::kOutputTooShort);
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {}, {p, 16}, tag, {p + 64, 15}),
            Code::kOutputTooShort);
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 16}, {p + 64, 0}, tag),
            Code::kOutputTooShort);
  EXPECT_EQ(std::count(p + 64, p + 96, 0xcc), 32);
  // Overlap that is not exactly in place.
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 32}, {p + 1, 32}, {tag.data(), 16}),
            Code::kOverlappingBuffers);
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p + 1, 32}, {p, 32}, {tag.data(), 16}),
            Code::kOverlappingBuffers);
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {}, {p, 32}, {tag.data(), 16}, {p + 31, 32}),
            Code::kOverlappingBuffers);
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {p + 40, 16}, {p, 32}, {p + 100, 32},
                         {p + 36, 16}),
            Code::kOverlappingBuffers);  // tag inside the AAD
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {p + 100, 16}, {p, 32}, {p + 40, 32},
                         {p + 60, 16}),
            Code::kOverlappingBuffers);  // tag inside the ciphertext
  EXPECT_EQ(
      gcm_.Encrypt({p + 10, 12}, {}, {p + 64, 32}, {p, 32}, {tag.data(), 16}),
      Code::kOverlappingBuffers);  // ciphertext over the IV
  EXPECT_EQ(gcm_.Decrypt({iv, 12}, {p, 16}, {p + 64, 32}, {tag.data(), 16},
                         {p + 8, 32}),
            Code::kOverlappingBuffers);  // plaintext over the AAD
  // Adjacent, not overlapping.
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 32}, {p + 32, 32}, {p + 64, 16}),
            base::OkStatus());
  // Only the bytes written count: a longer output span may hold the tag
  // past the text (and an output ending inside it may not).
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 32}, {p + 32, 64}, {p + 64, 16}),
            base::OkStatus());
  EXPECT_EQ(gcm_.Encrypt({iv, 12}, {}, {p, 32}, {p + 33, 64}, {p + 64, 16}),
            Code::kOverlappingBuffers);
  // No key.
  AesGcm empty;
  EXPECT_EQ(
      empty.Encrypt({iv, 12}, {}, {p, 16}, {p + 64, 16}, {tag.data(), 16}),
      Code::kBadState);
  EXPECT_EQ(
      empty.Decrypt({iv, 12}, {}, {p, 16}, {tag.data(), 16}, {p + 64, 16}),
      Code::kBadState);
  EXPECT_EQ(empty.SetKey({key_.data(), 20}, kTestBackend),
            Code::kInvalidKeyLength);
}

// Lengths beyond GCM's limits. Only representable where size_t is 64-bit.
// The spans claim more bytes than exist (no allocation could back them),
// which is harmless only because the length checks come first and no byte
// is touched.
TEST_F(GcmFixture, RejectsLengthsBeyondGcmLimits) {
  if (sizeof(std::size_t) < 8)
    GTEST_SKIP() << "size_t cannot exceed the limits";
  const std::uint64_t too_long_text = AesGcm::kMaxTextBytes + 1;
  const std::uint64_t too_long_aad = AesGcm::kMaxAadBytes + 1;
  std::uint8_t tag[16];
  std::uint8_t b[1];
  EXPECT_EQ(
      gcm_.Encrypt(iv_, {}, {b, static_cast<std::size_t>(too_long_text)},
                   {b, static_cast<std::size_t>(too_long_text)}, {tag, 16}),
      Code::kMessageTooLong);
  EXPECT_EQ(gcm_.Encrypt(iv_, {b, static_cast<std::size_t>(too_long_aad)},
                         {b, 0}, {b, 0}, {tag, 16}),
            Code::kAadTooLong);
  EXPECT_EQ(
      gcm_.Decrypt(iv_, {}, {b, static_cast<std::size_t>(too_long_text)},
                   {tag, 16}, {b, static_cast<std::size_t>(too_long_text)}),
      Code::kMessageTooLong);
  EXPECT_EQ(gcm_.Encrypt({b, static_cast<std::size_t>(AesGcm::kMaxIvBytes + 1)},
                         {}, {b, 0}, {b, 0}, {tag, 16}),
            Code::kInvalidIvLength);
}

TEST_F(GcmFixture, InPlaceEqualsOutOfPlace) {
  testing::TestRng rng(77);
  for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 33u, 100u, 257u}) {
    for (std::size_t iv_len : {12u, 1u, 16u, 60u}) {
      const auto pt = rng.Bytes(len);
      const auto iv = rng.Bytes(iv_len);
      std::vector<std::uint8_t> ct(len), tag1(16), tag2(16);
      ASSERT_EQ(gcm_.Encrypt({iv.data(), iv_len}, aad_, {pt.data(), len},
                             {ct.data(), len}, {tag1.data(), 16}),
                base::OkStatus());
      std::vector<std::uint8_t> buf = pt;
      ASSERT_EQ(gcm_.Encrypt({iv.data(), iv_len}, aad_, {buf.data(), len},
                             {buf.data(), len}, {tag2.data(), 16}),
                base::OkStatus());
      EXPECT_EQ(buf, ct);
      EXPECT_EQ(tag1, tag2);
      ASSERT_EQ(gcm_.Decrypt({iv.data(), iv_len}, aad_, {buf.data(), len},
                             {tag2.data(), 16}, {buf.data(), len}),
                base::OkStatus());
      EXPECT_EQ(buf, pt);
    }
  }
}

// Any single-bit change of ciphertext, AAD, IV or tag must be rejected, and
// the output wiped: out of place and in place.
TEST_F(GcmFixture, ForgeryIsRejectedAndOutputWiped) {
  std::vector<std::uint8_t> ct(pt_.size()), tag(16);
  ASSERT_EQ(
      gcm_.Encrypt(iv_, aad_, pt_, {ct.data(), pt_.size()}, {tag.data(), 16}),
      base::OkStatus());
  auto expect_rejected =
      [&](std::vector<std::uint8_t> iv, std::vector<std::uint8_t> aad,
          std::vector<std::uint8_t> c, std::vector<std::uint8_t> t) {
        std::vector<std::uint8_t> out(c.size(), 0xcc);
        EXPECT_EQ(gcm_.Decrypt(iv, aad, c, t, {out.data(), c.size()}),
                  Code::kAuthenticationFailed);
        EXPECT_EQ(out, std::vector<std::uint8_t>(c.size(), 0));
        EXPECT_EQ(gcm_.Decrypt(iv, aad, c, t, c), Code::kAuthenticationFailed);
        EXPECT_EQ(c, std::vector<std::uint8_t>(c.size(), 0));
      };
  for (std::size_t bit : {0u, 7u, 100u, 799u}) {
    auto c = ct;
    c[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    expect_rejected(iv_, aad_, c, tag);
  }
  for (std::size_t bit : {0u, 127u}) {
    auto t = tag;
    t[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    expect_rejected(iv_, aad_, ct, t);
  }
  auto a = aad_;
  a[19] ^= 0x80;
  expect_rejected(iv_, a, ct, tag);
  auto iv = iv_;
  iv[11] ^= 1;
  expect_rejected(iv, aad_, ct, tag);
  // Truncating the tag by one byte is a different tag length and verifies
  // only the prefix: still genuine.
  std::vector<std::uint8_t> out(ct.size());
  EXPECT_EQ(
      gcm_.Decrypt(iv_, aad_, ct, {tag.data(), 15}, {out.data(), ct.size()}),
      base::OkStatus());
}

// Streaming in arbitrary chunks (including empty ones) gives the one-shot
// result, for encryption and decryption, in place and out of place.
TEST_F(GcmFixture, StreamingEqualsOneShot) {
  testing::TestRng rng(1234);
  const int trials = 120;
  for (int trial = 0; trial < trials; ++trial) {
    const std::size_t len = rng.Below(300);
    const std::size_t aad_len = rng.Below(70);
    const std::size_t iv_len = (trial % 3 == 0) ? 1 + rng.Below(40) : 12;
    const auto pt = rng.Bytes(len), aad = rng.Bytes(aad_len),
               iv = rng.Bytes(iv_len);
    const bool in_place = trial % 2 == 1;
    std::vector<std::uint8_t> ct(len), tag(16);
    ASSERT_EQ(
        gcm_.Encrypt({iv.data(), iv_len}, {aad.data(), aad_len},
                     {pt.data(), len}, {ct.data(), len}, {tag.data(), 16}),
        base::OkStatus());

    GcmStream stream;
    ASSERT_EQ(stream.StartEncrypt(gcm_, {iv.data(), iv_len}), base::OkStatus());
    for (std::size_t done = 0; done < aad_len;) {
      const std::size_t n =
          std::min<std::size_t>(aad_len - done, rng.Below(40));
      ASSERT_EQ(stream.AddAad({aad.data() + done, n}), base::OkStatus());
      done += n;
    }
    std::vector<std::uint8_t> sct = pt;
    std::vector<std::uint8_t> sct_out(len);
    std::uint8_t* dst = in_place ? sct.data() : sct_out.data();
    for (std::size_t done = 0; done < len;) {
      const std::size_t n = std::min<std::size_t>(len - done, rng.Below(70));
      ASSERT_EQ(stream.Update({sct.data() + done, n}, {dst + done, n}),
                base::OkStatus());
      done += n;
    }
    std::vector<std::uint8_t> stag(16);
    ASSERT_EQ(stream.FinishEncrypt({stag.data(), 16}), base::OkStatus());
    EXPECT_EQ(in_place ? sct : sct_out, ct) << "trial " << trial;
    EXPECT_EQ(stag, tag) << "trial " << trial;

    std::vector<std::uint8_t> spt = ct;
    ASSERT_EQ(stream.StartDecrypt(gcm_, {iv.data(), iv_len}), base::OkStatus());
    ASSERT_EQ(stream.AddAad({aad.data(), aad_len}), base::OkStatus());
    for (std::size_t done = 0; done < len;) {
      const std::size_t n =
          std::min<std::size_t>(len - done, 1 + rng.Below(50));
      ASSERT_EQ(stream.Update({spt.data() + done, n}, {spt.data() + done, n}),
                base::OkStatus());
      done += n;
    }
    ASSERT_EQ(stream.FinishDecrypt({tag.data(), 16}), base::OkStatus());
    EXPECT_EQ(spt, pt) << "trial " << trial;
  }
}

// Messages long enough for CtrXor's eight-block steps (the NEON kernel on
// the Cortex-R52), odd lengths, all key sizes: the ciphertext must equal
// P ^ E_K(IV || 2), E_K(IV || 3), ... computed block by block with
// EncryptBlock, independently of the CTR code; streaming with large random
// chunks (in place and not) must agree, and decryption must invert it.
TEST(AesGcmLongTest, CiphertextIsCounterModeOfSingleBlocks) {
  testing::TestRng rng(9001);
  for (std::size_t key_len : {16u, 24u, 32u}) {
    const auto key = rng.Bytes(key_len);
    AesGcm gcm;
    ASSERT_EQ(gcm.SetKey({key.data(), key_len}, kTestBackend),
              base::OkStatus());
    Aes aes;
    ASSERT_EQ(aes.SetKey({key.data(), key_len}, kTestBackend),
              base::OkStatus());
    // 4097 and 8211 bytes cross the low counter byte's wrap (block 254 and
    // 510 from counter 2): the counter-mode cache starts new runs there.
    for (std::size_t len : {127u, 128u, 129u, 143u, 255u, 257u, 383u, 641u,
                            1031u, 4097u, 8211u}) {
      const auto iv = rng.Bytes(12), aad = rng.Bytes(rng.Below(40));
      const auto pt = rng.Bytes(len);
      std::vector<std::uint8_t> expected(len);
      std::uint8_t counter_block[16], keystream[16];
      std::memcpy(counter_block, iv.data(), 12);
      for (std::size_t i = 0; i < len; i += 16) {
        const std::uint32_t c = static_cast<std::uint32_t>(2 + i / 16);
        for (int b = 0; b < 4; ++b) {
          counter_block[12 + b] = static_cast<std::uint8_t>(c >> (24 - 8 * b));
        }
        aes.EncryptBlock(counter_block, keystream);
        for (std::size_t j = i; j < len && j < i + 16; ++j) {
          expected[j] = pt[j] ^ keystream[j - i];
        }
      }
      std::vector<std::uint8_t> ct(len), tag(16);
      ASSERT_EQ(gcm.Encrypt({iv.data(), 12}, aad, {pt.data(), len},
                            {ct.data(), len}, {tag.data(), 16}),
                base::OkStatus());
      EXPECT_EQ(ToHex(ct), ToHex(expected))
          << "key " << key_len << ", len " << len;
      // One-shot in place.
      std::vector<std::uint8_t> ct_in_place = pt, tag_in_place(16);
      ASSERT_EQ(
          gcm.Encrypt({iv.data(), 12}, aad, {ct_in_place.data(), len},
                      {ct_in_place.data(), len}, {tag_in_place.data(), 16}),
          base::OkStatus());
      EXPECT_EQ(ct_in_place, expected) << "in place, len " << len;
      EXPECT_EQ(tag_in_place, tag) << "in place, len " << len;

      for (const bool in_place : {false, true}) {
        GcmStream stream;
        ASSERT_EQ(stream.StartEncrypt(gcm, {iv.data(), 12}), base::OkStatus());
        ASSERT_EQ(stream.AddAad(aad), base::OkStatus());
        std::vector<std::uint8_t> buf = pt, out(len);
        std::uint8_t* dst = in_place ? buf.data() : out.data();
        for (std::size_t done = 0; done < len;) {
          const std::size_t n =
              std::min<std::size_t>(len - done, 1 + rng.Below(300));
          ASSERT_EQ(stream.Update({buf.data() + done, n}, {dst + done, n}),
                    base::OkStatus());
          done += n;
        }
        std::vector<std::uint8_t> stag(16);
        ASSERT_EQ(stream.FinishEncrypt({stag.data(), 16}), base::OkStatus());
        EXPECT_EQ(ToHex(dst, len), ToHex(expected)) << "stream, len " << len;
        EXPECT_EQ(stag, tag) << "stream, len " << len;
      }

      std::vector<std::uint8_t> back = ct;
      ASSERT_EQ(gcm.Decrypt({iv.data(), 12}, aad, {back.data(), len},
                            {tag.data(), 16}, {back.data(), len}),
                base::OkStatus());
      EXPECT_EQ(back, pt) << "decrypt, len " << len;
    }
  }
}

// GCM written out from SP 800-38D with the block cipher and GHASH as
// separate pieces (Aes::EncryptBlock block by block, GhashKey): J0, the text
// under E(inc32^i(J0)) for i >= 1, tag E(J0) ^ GHASH(A, C, lengths).
void ReferenceGcm(const Aes& aes, const std::vector<std::uint8_t>& iv,
                  const std::vector<std::uint8_t>& aad,
                  const std::vector<std::uint8_t>& pt,
                  std::vector<std::uint8_t>& ct, std::uint8_t tag[16]) {
  std::uint8_t h[16] = {};
  aes.EncryptBlock(h, h);
  GhashKey ghash;
  ghash.Set(h, kTestBackend);
  std::uint8_t j0[16] = {};
  if (iv.size() == 12) {
    std::memcpy(j0, iv.data(), 12);
    j0[15] = 1;
  } else {
    std::uint32_t y[4] = {};
    ghash.Absorb(y, iv);
    ghash.AbsorbLengths(y, 0, iv.size() * 8);
    GhashKey::Store(y, j0);
  }
  std::uint32_t counter = (std::uint32_t{j0[12]} << 24) |
                          (std::uint32_t{j0[13]} << 16) |
                          (std::uint32_t{j0[14]} << 8) | j0[15];
  ct.resize(pt.size());
  for (std::size_t i = 0; i < pt.size(); i += 16) {
    ++counter;  // inc32: wraps modulo 2^32
    std::uint8_t block[16];
    std::memcpy(block, j0, 12);
    for (int b = 0; b < 4; ++b) {
      block[12 + b] = static_cast<std::uint8_t>(counter >> (24 - 8 * b));
    }
    aes.EncryptBlock(block, block);
    for (std::size_t j = i; j < pt.size() && j < i + 16; ++j) {
      ct[j] = pt[j] ^ block[j - i];
    }
  }
  std::uint32_t y[4] = {};
  ghash.Absorb(y, aad);
  ghash.Absorb(y, ct);
  ghash.AbsorbLengths(y, aad.size() * 8, ct.size() * 8);
  std::uint8_t s[16];
  GhashKey::Store(y, s);
  aes.EncryptBlock(j0, std::span<std::uint8_t, 16>(tag, 16));
  for (int i = 0; i < 16; ++i) tag[i] ^= s[i];
}

// One-shot GCM takes E(J0) from the free lane of the text's last pair when
// the text has an odd number of blocks, encrypting the final step (the last
// text blocks and J0; with NEON up to a group of eight) first. Every block
// count up to 20 (every final step shape, with and without text and a
// cached run before it), whole and partial last blocks, AAD that does and
// does not fit the GHASH batch, 96-bit and hashed IVs: ciphertext and tag
// equal the reference, in place too, decryption inverts, and a forged tag
// zeroes the output.
TEST(AesGcmFinalStepTest, EveryBlockCountMatchesTheReference) {
  testing::TestRng rng(2024);
  for (std::size_t key_len : {16u, 32u}) {
    const auto key = rng.Bytes(key_len);
    AesGcm gcm;
    ASSERT_EQ(gcm.SetKey({key.data(), key_len}, kTestBackend),
              base::OkStatus());
    Aes aes;
    ASSERT_EQ(aes.SetKey({key.data(), key_len}, kTestBackend),
              base::OkStatus());
    for (std::size_t blocks = 0; blocks <= 20; ++blocks) {
      for (std::size_t short_by : {0u, 5u}) {
        if (blocks == 0 && short_by != 0) continue;
        const std::size_t len = blocks * 16 - (blocks == 0 ? 0 : short_by);
        for (std::size_t iv_len : {12u, 20u}) {
          for (std::size_t aad_len : {0u, 16u, 37u}) {
            const auto iv = rng.Bytes(iv_len);
            const auto aad = rng.Bytes(aad_len);
            const auto pt = rng.Bytes(len);
            std::vector<std::uint8_t> expected;
            std::uint8_t expected_tag[16];
            ReferenceGcm(aes, iv, aad, pt, expected, expected_tag);
            const std::string where = "key " + std::to_string(key_len) +
                                      ", len " + std::to_string(len) + ", iv " +
                                      std::to_string(iv_len) + ", aad " +
                                      std::to_string(aad_len);
            std::vector<std::uint8_t> ct(len), tag(16);
            ASSERT_EQ(gcm.Encrypt(iv, aad, pt, {ct.data(), len}, tag),
                      base::OkStatus());
            EXPECT_EQ(ToHex(ct), ToHex(expected)) << where;
            EXPECT_EQ(ToHex(tag), ToHex(expected_tag, 16)) << where;
            std::vector<std::uint8_t> buf = pt, tag2(16);
            ASSERT_EQ(gcm.Encrypt(iv, aad, {buf.data(), len}, {buf.data(), len},
                                  tag2),
                      base::OkStatus());
            EXPECT_EQ(buf, expected) << "in place, " << where;
            EXPECT_EQ(tag2, tag) << "in place, " << where;
            ASSERT_EQ(
                gcm.Decrypt(iv, aad, {buf.data(), len}, tag, {buf.data(), len}),
                base::OkStatus())
                << where;
            EXPECT_EQ(buf, pt) << "decrypt, " << where;
            tag[blocks % 16] ^= 0x40;
            std::vector<std::uint8_t> out(len, 0xcc);
            EXPECT_EQ(gcm.Decrypt(iv, aad, ct, tag, {out.data(), len}),
                      Code::kAuthenticationFailed)
                << where;
            EXPECT_EQ(out, std::vector<std::uint8_t>(len, 0)) << where;
          }
        }
      }
    }
  }
}

TEST_F(GcmFixture, StreamingDecryptFailureWipesEverythingWritten) {
  std::vector<std::uint8_t> ct(pt_.size()), tag(16);
  ASSERT_EQ(
      gcm_.Encrypt(iv_, aad_, pt_, {ct.data(), pt_.size()}, {tag.data(), 16}),
      base::OkStatus());
  tag[3] ^= 0x10;
  std::vector<std::uint8_t> out(pt_.size() + 8, 0xee);
  GcmStream stream;
  ASSERT_EQ(stream.StartDecrypt(gcm_, iv_), base::OkStatus());
  ASSERT_EQ(stream.AddAad(aad_), base::OkStatus());
  ASSERT_EQ(stream.Update({ct.data(), 33}, {out.data(), 33}), base::OkStatus());
  ASSERT_EQ(stream.Update({ct.data() + 33, ct.size() - 33},
                          {out.data() + 33, ct.size() - 33}),
            base::OkStatus());
  EXPECT_EQ(stream.FinishDecrypt({tag.data(), 16}),
            Code::kAuthenticationFailed);
  for (std::size_t i = 0; i < ct.size(); ++i) ASSERT_EQ(out[i], 0) << i;
  for (std::size_t i = ct.size(); i < out.size(); ++i) EXPECT_EQ(out[i], 0xee);
}

// Every way of abandoning a streaming decryption other than a verified
// FinishDecrypt must zero exactly the plaintext written so far, never the
// bytes around it. These fixtures decrypt a genuine message in two uneven
// chunks (so a partial keystream pair is outstanding) and then abandon it.
class GcmStreamAbandonTest : public GcmFixture {
 protected:
  static constexpr std::size_t kGuard = 8;
  static constexpr std::uint8_t kGuardByte = 0xee;

  void SetUp() override {
    GcmFixture::SetUp();
    ct_.resize(pt_.size());
    tag_.resize(16);
    ASSERT_EQ(gcm_.Encrypt(iv_, aad_, pt_, {ct_.data(), pt_.size()}, tag_),
              base::OkStatus());
    out_.assign(kGuard + pt_.size() + kGuard, kGuardByte);
  }

  std::uint8_t* text() { return out_.data() + kGuard; }

  // Decrypts the first `len` bytes of ct_ into text(); the plaintext is
  // there (unverified) afterwards.
  void DecryptPrefix(GcmStream& stream, std::size_t len) {
    ASSERT_EQ(stream.StartDecrypt(gcm_, iv_), base::OkStatus());
    ASSERT_EQ(stream.AddAad(aad_), base::OkStatus());
    const std::size_t first = len / 3;
    ASSERT_EQ(stream.Update({ct_.data(), first}, {text(), first}),
              base::OkStatus());
    ASSERT_EQ(stream.Update({ct_.data() + first, len - first},
                            {text() + first, len - first}),
              base::OkStatus());
    ASSERT_EQ(ToHex(text(), len), ToHex(pt_.data(), len));
  }

  // text()[0, len) is zero, the rest of the message area untouched (still
  // the guard byte), and the guards intact.
  void ExpectWiped(std::size_t len) {
    for (std::size_t i = 0; i < kGuard; ++i) {
      EXPECT_EQ(out_[i], kGuardByte) << "before the output, " << i;
    }
    for (std::size_t i = 0; i < len; ++i) {
      ASSERT_EQ(text()[i], 0) << "unverified plaintext byte " << i;
    }
    for (std::size_t i = kGuard + len; i < out_.size(); ++i) {
      EXPECT_EQ(out_[i], kGuardByte) << "after the output, " << i;
    }
  }

  std::vector<std::uint8_t> ct_, tag_, out_;
};

TEST_F(GcmStreamAbandonTest, ResetWipesPlaintextWrittenSoFar) {
  GcmStream stream;
  DecryptPrefix(stream, 77);
  stream.Reset();
  ExpectWiped(77);
  // The decryption is over: nothing more to finish.
  EXPECT_EQ(stream.FinishDecrypt(tag_), Code::kBadState);
}

TEST_F(GcmStreamAbandonTest, DestructorWipesPlaintextWrittenSoFar) {
  {
    GcmStream stream;
    DecryptPrefix(stream, 77);
  }
  ExpectWiped(77);
}

TEST_F(GcmStreamAbandonTest, RestartWipesThePreviousDecryption) {
  for (const bool restart_decrypting : {false, true}) {
    out_.assign(out_.size(), kGuardByte);
    GcmStream stream;
    DecryptPrefix(stream, 77);
    std::uint8_t other[16] = {};
    if (restart_decrypting) {
      ASSERT_EQ(stream.StartDecrypt(gcm_, iv_), base::OkStatus());
    } else {
      ASSERT_EQ(stream.StartEncrypt(gcm_, iv_), base::OkStatus());
    }
    ExpectWiped(77);
    // The new operation's output is its own: the old run is not wiped
    // again, and a finished encryption's ciphertext is left alone.
    ASSERT_EQ(stream.Update({pt_.data(), sizeof other}, {other, sizeof other}),
              base::OkStatus());
    stream.Reset();
    if (!restart_decrypting) {
      EXPECT_EQ(ToHex(other, sizeof other), ToHex(ct_.data(), sizeof other));
    } else {
      EXPECT_EQ(ToHex(other, sizeof other),
                ToHex(std::vector<std::uint8_t>(16)));
    }
  }
}

TEST_F(GcmStreamAbandonTest, BadTagArgumentEndsTheDecryptionAndWipes) {
  {
    GcmStream stream;
    DecryptPrefix(stream, pt_.size());
    EXPECT_EQ(stream.FinishDecrypt({tag_.data(), 8}), Code::kInvalidTagLength);
    ExpectWiped(pt_.size());
    EXPECT_EQ(stream.FinishDecrypt(tag_), Code::kBadState);
  }
  out_.assign(out_.size(), kGuardByte);
  GcmStream stream;
  DecryptPrefix(stream, pt_.size());
  EXPECT_EQ(stream.FinishDecrypt({}), Code::kInvalidTagLength);  // null tag
  ExpectWiped(pt_.size());
}

TEST_F(GcmStreamAbandonTest, TagMismatchWipesInPlaceToo) {
  std::vector<std::uint8_t> buf = ct_;
  GcmStream stream;
  ASSERT_EQ(stream.StartDecrypt(gcm_, iv_), base::OkStatus());
  ASSERT_EQ(stream.AddAad(aad_), base::OkStatus());
  ASSERT_EQ(stream.Update(buf, buf), base::OkStatus());
  tag_[15] ^= 1;
  EXPECT_EQ(stream.FinishDecrypt(tag_), Code::kAuthenticationFailed);
  EXPECT_EQ(buf, std::vector<std::uint8_t>(buf.size()));
}

// The counterpart: a verified decryption's plaintext survives whatever the
// stream does afterwards (Reset, destruction), and a failed Update (which
// writes nothing) leaves the decryption going.
TEST_F(GcmStreamAbandonTest, VerifiedPlaintextSurvivesResetAndDestruction) {
  {
    GcmStream stream;
    DecryptPrefix(stream, 40);
    std::uint8_t elsewhere[16];
    EXPECT_EQ(stream.Update({ct_.data() + 40, 16}, {elsewhere, 16}),
              Code::kNonContiguousOutput);
    ASSERT_EQ(stream.Update({ct_.data() + 40, pt_.size() - 40},
                            {text() + 40, pt_.size() - 40}),
              base::OkStatus());
    ASSERT_EQ(stream.FinishDecrypt(tag_), base::OkStatus());
    stream.Reset();
  }
  EXPECT_EQ(ToHex(text(), pt_.size()), ToHex(pt_));
  EXPECT_EQ(out_[kGuard - 1], kGuardByte);
  EXPECT_EQ(out_[kGuard + pt_.size()], kGuardByte);
}

// The stream's own state goes too: built in zeroed storage, after an
// abandoned decryption the object's bytes are all zero again (keystream,
// GHASH state, J0, partial block, lengths, pointers).
TEST_F(GcmStreamAbandonTest, ResetWipesTheStreamsOwnState) {
  alignas(GcmStream) unsigned char storage[sizeof(GcmStream)] = {};
  GcmStream* stream = new (storage) GcmStream;
  DecryptPrefix(*stream, 77);
  bool any_set = false;
  for (unsigned char b : storage) any_set |= b != 0;
  EXPECT_TRUE(any_set);  // the check below can see state
  stream->Reset();
  for (std::size_t i = 0; i < sizeof storage; ++i) {
    EXPECT_EQ(storage[i], 0) << "stream byte " << i;
  }
  stream->~GcmStream();
  ExpectWiped(77);
}

TEST_F(GcmFixture, StreamingMisuseHasNamedErrors) {
  // Before the stream: its destructor may zero what a decryption wrote.
  std::uint8_t buf[64] = {}, tag[16] = {};
  GcmStream stream;
  EXPECT_EQ(stream.Update({buf, 16}, {buf, 16}), Code::kBadState);
  EXPECT_EQ(stream.AddAad({buf, 16}), Code::kBadState);
  EXPECT_EQ(stream.FinishEncrypt({tag, 16}), Code::kBadState);
  AesGcm empty;
  EXPECT_EQ(stream.StartEncrypt(empty, iv_), Code::kBadState);
  EXPECT_EQ(stream.StartEncrypt(gcm_, {iv_.data(), 0}), Code::kInvalidIvLength);
  ASSERT_EQ(stream.StartEncrypt(gcm_, iv_), base::OkStatus());
  EXPECT_EQ(stream.Update({buf, 16}, {buf + 8, 16}), Code::kOverlappingBuffers);
  EXPECT_EQ(stream.Update({buf, 16}, {}), Code::kNullBuffer);
  EXPECT_EQ(stream.Update({buf, 16}, {buf + 32, 15}), Code::kOutputTooShort);
  ASSERT_EQ(stream.Update({}, {}), base::OkStatus());  // nothing to do
  ASSERT_EQ(stream.Update({buf, 16}, {buf, 16}), base::OkStatus());
  EXPECT_EQ(stream.AddAad({buf, 1}), Code::kBadState);  // AAD after text
  EXPECT_EQ(stream.FinishDecrypt({tag, 16}), Code::kBadState);
  EXPECT_EQ(stream.FinishEncrypt({tag, 8}), Code::kInvalidTagLength);
  EXPECT_EQ(stream.FinishEncrypt({tag, 16}), base::OkStatus());
  EXPECT_EQ(stream.Update({buf, 16}, {buf, 16}), Code::kBadState);  // finished

  ASSERT_EQ(stream.StartDecrypt(gcm_, iv_), base::OkStatus());
  ASSERT_EQ(stream.Update({buf, 16}, {buf + 32, 16}), base::OkStatus());
  EXPECT_EQ(stream.Update({buf + 16, 8}, {buf + 40, 8}),
            Code::kNonContiguousOutput);
  // A failed Update wrote nothing and the run goes on where it was.
  EXPECT_EQ(stream.Update({buf + 16, 8}, {buf + 48, 7}), Code::kOutputTooShort);
  // A longer output span: only the text's bytes are written, and the run
  // ends after them.
  buf[56] = 0xcc;
  EXPECT_EQ(stream.Update({buf + 16, 8}, {buf + 48, 16}), base::OkStatus());
  EXPECT_EQ(buf[56], 0xcc);
  EXPECT_EQ(stream.Update({buf + 24, 8}, {buf + 56, 8}), base::OkStatus());
}

TEST(AesGcmTest, ClearForgetsKey) {
  std::uint8_t key[16] = {1}, iv[12] = {}, tag[16];
  AesGcm gcm;
  ASSERT_EQ(gcm.SetKey({key, 16}, kTestBackend), base::OkStatus());
  EXPECT_TRUE(gcm.has_key());
  gcm.Clear();
  EXPECT_FALSE(gcm.has_key());
  EXPECT_EQ(gcm.Encrypt({iv, 12}, {}, {}, {}, {tag, 16}), Code::kBadState);
}

TEST(StatusTest, EveryCodeHasItsOwnName) {
  EXPECT_EQ(base::StatusName<Code>(base::OkStatus()), "ok");
  EXPECT_EQ(base::StatusName<Code>(Code::kAuthenticationFailed),
            "crypto.authentication_failed");
  EXPECT_EQ(base::StatusName<Code>(Code::kOutputTooShort),
            "crypto.output_too_short");
  for (int a = 1; a <= static_cast<int>(Code::kOutputTooShort); ++a) {
    const auto code_a = static_cast<Code>(a);
    EXPECT_TRUE(CodeName(code_a).starts_with("crypto.")) << a;
    EXPECT_EQ(base::Status(code_a).domain(), base::Domain::kCrypto);
    for (int b = 1; b < a; ++b) {
      EXPECT_NE(CodeName(code_a), CodeName(static_cast<Code>(b)));
    }
  }
}

}  // namespace
}  // namespace crypto
