// Host benchmark: AES-256-GCM encryption, ours vs OpenSSL EVP vs mbedTLS,
// at 16 B, 256 B and 4 KiB. Google Benchmark reports bytes/s.
//
//   bazel --output_base=... run -c opt //libs/crypto:gcm_benchmark
//   OPENSSL_ia32cap="~0x200000200000000" bazel ... run -c opt
//   //libs/crypto:gcm_benchmark
// The second run masks AES-NI and PCLMULQDQ from OpenSSL (read once at
// library start-up), which then falls back to its vector-permute AES and
// table-driven GHASH. Debian's mbedTLS 2.28 uses AES-NI/PCLMUL on its own
// when the CPU has them; that is not controllable at run time.
#include <benchmark/benchmark.h>
#include <mbedtls/gcm.h>
#include <openssl/evp.h>

#include <cstdint>
#include <vector>

#include "crypto/aes_gcm.h"

namespace {

constexpr std::uint8_t kKey[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                   12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                   23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
constexpr std::uint8_t kIv[12] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};

// Ours: the key's backend is kAuto (AES-NI where the CPU has it);
// OursPortable: kPortable, the portable code the boards are checked against.
template <crypto::Backend kBackend>
void Ours(benchmark::State& state) {
  const std::size_t len = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> in(len, 0x42), out(len);
  std::uint8_t tag[16];
  crypto::AesGcm gcm;
  if (gcm.SetKey({kKey, 32}, kBackend) != base::OkStatus()) {
    state.SkipWithError("SetKey");
  }
  for (auto _ : state) {
    const auto s = gcm.Encrypt({kIv, 12}, {}, {in.data(), len},
                               {out.data(), len}, {tag, 16});
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * len));
}

void OpenSsl(benchmark::State& state) {
  const std::size_t len = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> in(len, 0x42), out(len + 16);
  std::uint8_t tag[16];
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, kKey, nullptr);
  for (auto _ : state) {
    int n = 0;
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, kIv);
    EVP_EncryptUpdate(ctx, out.data(), &n, in.data(), static_cast<int>(len));
    EVP_EncryptFinal_ex(ctx, out.data() + n, &n);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    benchmark::DoNotOptimize(out.data());
  }
  EVP_CIPHER_CTX_free(ctx);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * len));
}

void MbedTls(benchmark::State& state) {
  const std::size_t len = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> in(len, 0x42), out(len);
  std::uint8_t tag[16];
  mbedtls_gcm_context ctx;
  mbedtls_gcm_init(&ctx);
  mbedtls_gcm_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, kKey, 256);
  for (auto _ : state) {
    mbedtls_gcm_crypt_and_tag(&ctx, MBEDTLS_GCM_ENCRYPT, len, kIv, 12, nullptr,
                              0, in.data(), out.data(), 16, tag);
    benchmark::DoNotOptimize(out.data());
  }
  mbedtls_gcm_free(&ctx);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * len));
}

BENCHMARK(Ours<crypto::Backend::kAuto>)
    ->Name("Ours")
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096);
BENCHMARK(Ours<crypto::Backend::kPortable>)
    ->Name("OursPortable")
    ->Arg(16)
    ->Arg(256)
    ->Arg(4096);
BENCHMARK(OpenSsl)->Arg(16)->Arg(256)->Arg(4096);
BENCHMARK(MbedTls)->Arg(16)->Arg(256)->Arg(4096);

}  // namespace

BENCHMARK_MAIN();
