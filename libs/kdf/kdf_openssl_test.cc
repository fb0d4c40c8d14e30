// Differential test against OpenSSL 3 (host only): CMAC via EVP_MAC and the
// counter-mode KBKDF with CMAC, over random keys, labels, contexts, lengths.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "kdf/cmac.h"
#include "kdf/kdf.h"

namespace kdf {
namespace {

const char* CipherName(std::size_t key_bytes) {
  return key_bytes == 16   ? "AES-128-CBC"
         : key_bytes == 24 ? "AES-192-CBC"
                           : "AES-256-CBC";
}

std::vector<std::uint8_t> OpensslCmac(
    const std::vector<std::uint8_t>& key,
    const std::vector<std::uint8_t>& message) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(
          OSSL_MAC_PARAM_CIPHER, const_cast<char*>(CipherName(key.size())), 0),
      OSSL_PARAM_construct_end()};
  std::vector<std::uint8_t> out(16);
  std::size_t out_len = 0;
  EXPECT_EQ(EVP_MAC_init(ctx, key.data(), key.size(), params), 1);
  EXPECT_EQ(EVP_MAC_update(ctx, message.data(), message.size()), 1);
  EXPECT_EQ(EVP_MAC_final(ctx, out.data(), &out_len, out.size()), 1);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return out;
}

std::vector<std::uint8_t> OpensslKbkdf(const std::vector<std::uint8_t>& key,
                                       std::vector<std::uint8_t> label,
                                       std::vector<std::uint8_t> context,
                                       std::size_t out_bytes) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "KBKDF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE,
                                       const_cast<char*>("counter"), 0),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC,
                                       const_cast<char*>("CMAC"), 0),
      OSSL_PARAM_construct_utf8_string(
          OSSL_KDF_PARAM_CIPHER, const_cast<char*>(CipherName(key.size())), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        const_cast<std::uint8_t*>(key.data()),
                                        key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, label.data(),
                                        label.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, context.data(),
                                        context.size()),
      OSSL_PARAM_construct_end()};
  std::vector<std::uint8_t> out(out_bytes);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

TEST(KdfOpensslTest, CmacMatchesOpenssl) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 2000; ++i) {
    const std::size_t key_bytes = 16 + 8 * (rng() % 3);
    std::vector<std::uint8_t> key(key_bytes), message(rng() % 200);
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    for (auto& b : message) b = static_cast<std::uint8_t>(rng());
    AesCmac cmac;
    ASSERT_EQ(cmac.SetKey(key), base::OkStatus());
    const CmacTag ours = cmac.Compute(message);
    ASSERT_EQ(std::vector<std::uint8_t>(ours.begin(), ours.end()),
              OpensslCmac(key, message))
        << "case " << i;
  }
}

TEST(KdfOpensslTest, CounterModeKdfMatchesOpensslKbkdf) {
  std::mt19937 rng(99);
  for (int i = 0; i < 1000; ++i) {
    const std::size_t key_bytes = 16 + 8 * (rng() % 3);
    std::vector<std::uint8_t> key(key_bytes), label(1 + rng() % 20),
        context(1 + rng() % 40);
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    for (auto& b : label) b = static_cast<std::uint8_t>(rng());
    for (auto& b : context) b = static_cast<std::uint8_t>(rng());
    std::vector<std::uint8_t> ours(1 + rng() % 100);
    ASSERT_EQ(DeriveKey(key, label, context, ours), base::OkStatus());
    ASSERT_EQ(ours, OpensslKbkdf(key, label, context, ours.size()))
        << "case " << i;
  }
}

}  // namespace
}  // namespace kdf
