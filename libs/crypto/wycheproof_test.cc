// Every case of Wycheproof's aes_gcm_test.json, from the table generated at
// build time: valid cases must reproduce ct and tag exactly (one-shot and
// streaming) and decrypt back; invalid cases must be rejected.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"
#include "libs/crypto/wycheproof_aes_gcm.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using testing::kWycheproofAesGcm;
using testing::kWycheproofAesGcmCount;
using testing::ToHex;
using testing::WycheproofAeadCase;

std::string Describe(const WycheproofAeadCase& c) {
  return "tcId " + std::to_string(c.tc_id) + " [" + c.flags + "] " + c.comment;
}

TEST(WycheproofAesGcmTest, TableIsComplete) {
  EXPECT_EQ(kWycheproofAesGcmCount, testing::kWycheproofAesGcmDeclaredTests);
  EXPECT_EQ(kWycheproofAesGcmCount, 316u);
  std::size_t valid = 0;
  for (std::size_t i = 0; i < kWycheproofAesGcmCount; ++i) {
    valid += kWycheproofAesGcm[i].valid;
    // The generator checked the hex; cross-check lengths against the group.
    EXPECT_EQ(kWycheproofAesGcm[i].key.size * 8,
              static_cast<std::size_t>(kWycheproofAesGcm[i].key_bits));
    EXPECT_EQ(kWycheproofAesGcm[i].iv.size * 8,
              static_cast<std::size_t>(kWycheproofAesGcm[i].iv_bits));
  }
  EXPECT_EQ(valid, 229u);
}

TEST(WycheproofAesGcmTest, AllCases) {
  std::size_t checked_valid = 0, checked_invalid = 0;
  for (std::size_t i = 0; i < kWycheproofAesGcmCount; ++i) {
    const WycheproofAeadCase& c = kWycheproofAesGcm[i];
    SCOPED_TRACE(Describe(c));
    AesGcm gcm;
    ASSERT_EQ(gcm.SetKey({c.key.data, c.key.size}, kTestBackend),
              base::OkStatus());
    const std::size_t len = c.msg.size;
    std::vector<std::uint8_t> out(len + 1, 0x5a);

    if (c.valid) {
      ASSERT_EQ(c.ct.size, len);
      std::vector<std::uint8_t> ct(len + 1), tag(c.tag.size);
      ASSERT_EQ(gcm.Encrypt({c.iv.data, c.iv.size}, {c.aad.data, c.aad.size},
                            {c.msg.data, len}, {ct.data(), len}, tag),
                base::OkStatus());
      EXPECT_EQ(ToHex(ct.data(), len), ToHex(c.ct.data, len));
      EXPECT_EQ(ToHex(tag), ToHex(c.tag.data, c.tag.size));
      ASSERT_EQ(gcm.Decrypt({c.iv.data, c.iv.size}, {c.aad.data, c.aad.size},
                            {c.ct.data, len}, {c.tag.data, c.tag.size}, out),
                base::OkStatus());
      EXPECT_EQ(ToHex(out.data(), len), ToHex(c.msg.data, len));

      // The stream, fed in uneven chunks, must agree.
      GcmStream stream;
      ASSERT_EQ(stream.StartEncrypt(gcm, {c.iv.data, c.iv.size}),
                base::OkStatus());
      const std::size_t aad_split = c.aad.size / 3;
      ASSERT_EQ(stream.AddAad({c.aad.data, aad_split}), base::OkStatus());
      ASSERT_EQ(stream.AddAad({c.aad.data + aad_split, c.aad.size - aad_split}),
                base::OkStatus());
      std::vector<std::uint8_t> sct(len + 1);
      std::size_t done = 0, step = 1;
      while (done < len) {
        const std::size_t n = std::min(step, len - done);
        ASSERT_EQ(stream.Update({c.msg.data + done, n}, {sct.data() + done, n}),
                  base::OkStatus());
        done += n;
        step = step * 2 + 3;
      }
      std::vector<std::uint8_t> stag(c.tag.size);
      ASSERT_EQ(stream.FinishEncrypt(stag), base::OkStatus());
      EXPECT_EQ(ToHex(sct.data(), len), ToHex(c.ct.data, len));
      EXPECT_EQ(stag, tag);
      ++checked_valid;
      continue;
    }

    // Invalid: either an IV GCM does not allow (empty) or a forged message.
    const base::Status status =
        gcm.Decrypt({c.iv.data, c.iv.size}, {c.aad.data, c.aad.size},
                    {c.ct.data, c.ct.size}, {c.tag.data, c.tag.size}, out);
    if (c.iv.size == 0) {
      EXPECT_EQ(status, Code::kInvalidIvLength);
      std::vector<std::uint8_t> ct(len + 1), tag(16);
      EXPECT_EQ(
          gcm.Encrypt({c.iv.data, 0}, {c.aad.data, c.aad.size},
                      {c.msg.data, len}, {ct.data(), len}, {tag.data(), 16}),
          Code::kInvalidIvLength);
    } else {
      EXPECT_EQ(status, Code::kAuthenticationFailed);
      for (std::size_t k = 0; k < c.ct.size; ++k) ASSERT_EQ(out[k], 0) << k;
    }
    ++checked_invalid;
  }
  EXPECT_EQ(checked_valid, 229u);
  EXPECT_EQ(checked_invalid, 87u);
}

}  // namespace
}  // namespace crypto
