// On-board instruction counts (QEMU -icount shift=0): AES-128/256-GCM
// encryption and decryption at 16 B, 256 B and 4 KiB, a link message (16 B
// payload, 16 B header as AAD), and the two halves of GCM (AES keystream as
// block pairs and through EncryptBlocks, GHASH) at 4 KiB. Exits with status
// errors if AES-256-GCM at 4 KiB takes more than the 120 instructions/byte
// target, if sealing or opening the link message takes more than its
// board's limit, or if GHASH's count depends on data. The counts are exact,
// so :gcm_instruction_count_test_<board> runs this as a test.
//
//   bazel run //libs/crypto:gcm_board_benchmark_mps3_an536
//   bazel run //libs/crypto:gcm_board_benchmark_versatilepb_r5f
#include <cstdint>
#include <cstdio>
#include <span>

#include "crypto/aes.h"
#include "crypto/aes_gcm.h"
#include "crypto/ghash.h"
#include "platforms/bench/instruction_count.h"

namespace {

constexpr std::size_t kMax = 4096;
// The target for AES-256-GCM at 4 KiB on each board (README.md,
// "Measured speed"): the benchmark fails with a status error above it.
constexpr std::uint64_t kTargetInstructionsPerByte = 120;
// The limits for sealing and for opening the link message with
// AES-256-GCM, per core (README.md, "Measured speed"). No limit elsewhere.
#if defined(CRYPTO_BACKEND_R52_NEON)
constexpr std::uint64_t kLinkMessageLimit = 4000;
#elif defined(CRYPTO_BACKEND_R5F_THUMB2)
constexpr std::uint64_t kLinkMessageLimit = 5000;
#else
constexpr std::uint64_t kLinkMessageLimit = ~std::uint64_t{0};
#endif
std::uint8_t in_buf[kMax];
std::uint8_t out_buf[kMax];
std::uint8_t tag[16];
constexpr std::uint8_t kIv[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

void Name(char* out, std::size_t size, const char* what, unsigned bits,
          std::size_t len) {
  std::snprintf(out, size, "aes%u_gcm_%s_%u", bits, what,
                static_cast<unsigned>(len));
}

// One measuring function for every GHASH count, so that counts compared
// below differ only in what Absorb itself executes.
[[gnu::noinline]] std::uint64_t CountAbsorb(const crypto::GhashKey& key,
                                            std::uint32_t* y,
                                            const std::uint8_t* data,
                                            std::size_t len) {
  return board_bench::CountInstructions([&] { key.Absorb(y, {data, len}); });
}

}  // namespace

int main() {
  std::uint8_t key[32];
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i * 11 + 5);
  for (std::size_t i = 0; i < kMax; ++i)
    in_buf[i] = static_cast<std::uint8_t>(i);
  int status_errors = 0;
  for (unsigned key_bytes : {16u, 32u}) {
    crypto::AesGcm gcm;
    gcm.SetKey({key, key_bytes});
    for (std::size_t len : {std::size_t{16}, std::size_t{256}, kMax}) {
      char name[48];
      const std::uint64_t enc = board_bench::CountInstructions([&] {
        status_errors += gcm.Encrypt(kIv, {}, {in_buf, len}, out_buf, tag) !=
                         base::OkStatus();
      });
      Name(name, sizeof name, "encrypt", key_bytes * 8, len);
      board_bench::Report(name, enc, len);
      const std::uint64_t dec = board_bench::CountInstructions([&] {
        status_errors += gcm.Decrypt(kIv, {}, {out_buf, len}, tag, out_buf) !=
                         base::OkStatus();
      });
      Name(name, sizeof name, "decrypt", key_bytes * 8, len);
      board_bench::Report(name, dec, len);
      if (key_bytes == 32 && len == kMax) {
        for (const std::uint64_t count : {enc, dec}) {
          if (count > kTargetInstructionsPerByte * kMax) {
            std::printf(
                "aes256_gcm 4 KiB: %llu instructions, above the target of "
                "%llu/byte\n",
                static_cast<unsigned long long>(count),
                static_cast<unsigned long long>(kTargetInstructionsPerByte));
            ++status_errors;
          }
        }
      }
    }
  }
  // A link message: a 16-byte payload under the 16-byte link header
  // (wire::kHeaderBytes) as AAD.
  {
    crypto::AesGcm gcm;
    gcm.SetKey(key);
    const std::span<const std::uint8_t> header(in_buf + kMax - 16, 16);
    const std::uint64_t seal = board_bench::CountInstructions([&] {
      status_errors += gcm.Encrypt(kIv, header, {in_buf, 16}, out_buf, tag) !=
                       base::OkStatus();
    });
    board_bench::Report("AES-256-GCM seal 16 B payload + 16 B AAD", seal);
    const std::uint64_t open = board_bench::CountInstructions([&] {
      status_errors += gcm.Decrypt(kIv, header, {out_buf, 16}, tag, out_buf) !=
                       base::OkStatus();
    });
    board_bench::Report("AES-256-GCM open 16 B payload + 16 B AAD", open);
    for (const std::uint64_t count : {seal, open}) {
      if (count > kLinkMessageLimit) {
        std::printf(
            "link message: %llu instructions to %s, above the limit of %llu\n",
            static_cast<unsigned long long>(count),
            count == seal ? "seal" : "open",
            static_cast<unsigned long long>(kLinkMessageLimit));
        ++status_errors;
      }
    }
  }
  // The halves of AES-256-GCM at 4 KiB.
  {
    crypto::Aes aes;
    aes.SetKey(key);
    const std::uint64_t ctr = board_bench::CountInstructions([&] {
      for (std::size_t i = 0; i < kMax; i += 32)
        aes.EncryptBlockPair(std::span(in_buf).subspan(i).first<32>(),
                             std::span(out_buf).subspan(i).first<32>());
    });
    board_bench::Report("aes256_block_pairs_4096", ctr, kMax);
    // The keystream path CTR uses: eight blocks at a time with NEON (R52),
    // block pairs elsewhere.
    const std::uint64_t blocks = board_bench::CountInstructions(
        [&] { aes.EncryptBlocks(in_buf, out_buf); });
    board_bench::Report("aes256_blocks_4096", blocks, kMax);
    crypto::GhashKey ghash;
    ghash.Set(std::span(key).first<16>());
    std::uint32_t y[4] = {};
    const std::uint64_t gh = CountAbsorb(ghash, y, in_buf, kMax);
    board_bench::Report("ghash_4096", gh, kMax);
    // Constant time, as far as instruction counts show it: another H, Y and
    // data (all-ones, then zero) must execute exactly as many instructions.
    {
      std::uint8_t other_h[16];
      for (auto& b : other_h) b = 0xff;
      crypto::GhashKey other;
      other.Set(other_h);
      std::uint32_t y2[4] = {~0u, ~0u, ~0u, ~0u};
      for (auto& b : out_buf) b = 0xff;
      const std::uint64_t ones = CountAbsorb(other, y2, out_buf, kMax);
      for (auto& b : other_h) b = 0;
      other.Set(other_h);
      for (auto& w : y2) w = 0;
      static constexpr std::uint8_t kZeroBlock[16] = {};
      const std::uint64_t zeros = CountAbsorb(other, y2, kZeroBlock, 16);
      const std::uint64_t one_block = CountAbsorb(ghash, y, in_buf, 16);
      if (ones != gh || zeros != one_block) {
        std::printf(
            "ghash instruction count depends on data: %llu vs %llu, %llu vs "
            "%llu\n",
            static_cast<unsigned long long>(ones),
            static_cast<unsigned long long>(gh),
            static_cast<unsigned long long>(zeros),
            static_cast<unsigned long long>(one_block));
        ++status_errors;
      }
    }
    const std::uint64_t setkey =
        board_bench::CountInstructions([&] { aes.SetKey(key); });
    board_bench::Report("aes256_set_key", setkey);
  }
  std::printf("status errors: %d\n", status_errors);
  return status_errors == 0 ? 0 : 1;
}
