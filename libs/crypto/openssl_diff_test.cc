// Differential test against OpenSSL's AES-GCM (EVP) over random keys (all
// three sizes), IVs (12 bytes and 1..64 bytes), AAD (0..300 bytes) and
// messages (0..4096 bytes). Seedable: CRYPTO_DIFF_SEED, CRYPTO_DIFF_CASES.
#include <openssl/evp.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "crypto/aes_gcm.h"
#include "gtest/gtest.h"
#include "libs/crypto/test_util.h"

namespace crypto {
namespace {

using testing::kTestBackend;

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const EVP_CIPHER* Cipher(std::size_t key_len) {
  return key_len == 16   ? EVP_aes_128_gcm()
         : key_len == 24 ? EVP_aes_192_gcm()
                         : EVP_aes_256_gcm();
}

// OpenSSL's GCM encryption; returns false on any EVP failure.
bool OpenSslEncrypt(const std::vector<std::uint8_t>& key,
                    const std::vector<std::uint8_t>& iv,
                    const std::vector<std::uint8_t>& aad,
                    const std::vector<std::uint8_t>& pt,
                    std::vector<std::uint8_t>& ct,
                    std::vector<std::uint8_t>& tag) {
  Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  ct.assign(pt.size(), 0);
  tag.assign(16, 0);
  return EVP_EncryptInit_ex(ctx.get(), Cipher(key.size()), nullptr, nullptr,
                            nullptr) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN,
                             static_cast<int>(iv.size()), nullptr) == 1 &&
         EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(),
                            iv.data()) == 1 &&
         (aad.empty() ||
          EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad.data(),
                            static_cast<int>(aad.size())) == 1) &&
         (pt.empty() || EVP_EncryptUpdate(ctx.get(), ct.data(), &n, pt.data(),
                                          static_cast<int>(pt.size())) == 1) &&
         EVP_EncryptFinal_ex(ctx.get(), ct.data() + pt.size(), &n) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag.data()) ==
             1;
}

std::uint64_t EnvOr(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 0) : fallback;
}

TEST(OpenSslDifferentialTest, RandomCasesAgree) {
  const std::uint64_t seed = EnvOr("CRYPTO_DIFF_SEED", 0x5eed2024);
  const std::uint64_t cases = EnvOr("CRYPTO_DIFF_CASES", 10000);
  ASSERT_GE(cases, 1u);
  std::printf("seed=0x%llx cases=%llu\n", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(cases));
  testing::TestRng rng(seed);
  std::size_t non_96_bit_ivs = 0, long_messages = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const std::size_t key_len = 16 + 8 * rng.Below(3);
    const std::size_t iv_len = rng.Below(4) == 0 ? 1 + rng.Below(64) : 12;
    const std::size_t aad_len = rng.Below(4) == 0 ? 0 : rng.Below(301);
    // Half the messages are short (block-boundary effects), half 0..4096.
    const std::size_t len = rng.Below(2) == 0 ? rng.Below(70) : rng.Below(4097);
    non_96_bit_ivs += iv_len != 12;
    long_messages += len > 2048;
    const auto key = rng.Bytes(key_len), iv = rng.Bytes(iv_len);
    const auto aad = rng.Bytes(aad_len), pt = rng.Bytes(len);

    std::vector<std::uint8_t> want_ct, want_tag;
    ASSERT_TRUE(OpenSslEncrypt(key, iv, aad, pt, want_ct, want_tag))
        << "case " << i;

    AesGcm gcm;
    ASSERT_EQ(gcm.SetKey(key, kTestBackend), base::OkStatus());
    std::vector<std::uint8_t> ct(len), tag(16);
    ASSERT_EQ(gcm.Encrypt({iv.data(), iv_len}, {aad.data(), aad_len},
                          {pt.data(), len}, {ct.data(), len}, {tag.data(), 16}),
              base::OkStatus());
    ASSERT_EQ(ct, want_ct) << "case " << i << " len " << len << " iv "
                           << iv_len;
    ASSERT_EQ(tag, want_tag)
        << "case " << i << " len " << len << " iv " << iv_len;

    // And we open what OpenSSL sealed (in place), truncated tags included.
    const std::size_t tag_len = 12 + rng.Below(5);
    std::vector<std::uint8_t> buf = want_ct;
    ASSERT_EQ(gcm.Decrypt({iv.data(), iv_len}, {aad.data(), aad_len},
                          {buf.data(), len}, {want_tag.data(), tag_len},
                          {buf.data(), len}),
              base::OkStatus())
        << "case " << i;
    ASSERT_EQ(buf, pt) << "case " << i;
  }
  if (cases >= 1000) {
    EXPECT_GT(non_96_bit_ivs, cases / 8);
    EXPECT_GT(long_messages, cases / 8);
  }
}

}  // namespace
}  // namespace crypto
