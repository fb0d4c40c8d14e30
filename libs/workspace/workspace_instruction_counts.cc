// Boards: instructions per message, raw AES-GCM vs the workspace.
//
//   bazel --output_base=/root/.cache/bazel_workspace run -c opt
//   //libs/workspace:workspace_instruction_counts_mps3_an536 bazel
//   --output_base=/root/.cache/bazel_workspace run -c opt
//   //libs/workspace:workspace_instruction_counts_versatilepb_r5f
//
// Each size prints raw_encrypt_<n>, ws_encrypt_<n> and their difference
// ws_encrypt_overhead_<n> (and the same for decrypt). The workspace encrypt
// includes releasing its output lease (the wipe), as a caller would.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "board/board_clock.h"
#include "crypto/aes_gcm.h"
#include "platforms/bench/instruction_count.h"
#include "workspace/presets.h"

namespace {

using workspace::Code;
using workspace::KeySlotId;
using workspace::MediumWorkspace;
using workspace::SessionId;

constexpr std::uint8_t kKey[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                   0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                   0x09, 0xcf, 0x4f, 0x3c};

MediumWorkspace ws;  // static: never on the 64 KiB stack
crypto::AesGcm raw;
// Cache-line aligned, so that the copies the measurement takes off cost the
// same whatever the workspace's size puts before them (newlib's memcpy
// takes a different path for each relative alignment).
alignas(64) std::uint8_t plaintext[1024];
alignas(64) std::uint8_t ciphertext[1024];
alignas(64) std::uint8_t decrypted[1024];
alignas(64) std::uint8_t wire[1024 + 16];
std::array<std::uint8_t, 16> tag;
std::array<std::uint8_t, 12> iv;

void Report(const char* what, std::size_t n, std::uint64_t count) {
  char name[48];
  std::snprintf(name, sizeof name, "%s_%u", what, static_cast<unsigned>(n));
  board_bench::Report(name, count, n);
}

}  // namespace

int main() {
  workspace::WorkspaceConfig config;
  config.clock = &board::SystemBoardClock();
  config.rotation = {.max_key_age_us = ~0ull >> 1,
                     .max_messages_per_key = ~0ull >> 1,
                     .max_bytes_per_key = ~0ull >> 1};
  if (ws.Reprovision(config) != base::OkStatus() ||
      ws.LoadKey(KeySlotId{0}, kKey) != base::OkStatus()) {
    return 1;
  }
  const SessionId s = ws.OpenSession().value();
  if (ws.BindKey(s, KeySlotId{0}) != base::OkStatus() ||
      ws.Activate(s) != base::OkStatus())
    return 1;
  if (!raw.SetKey(kKey).ok()) return 1;
  for (std::size_t i = 0; i < sizeof plaintext; ++i)
    plaintext[i] = static_cast<std::uint8_t>(i);

  for (std::size_t n : {16u, 64u, 256u, 1024u}) {
    // Warm-up of both paths, so neither pays first-touch costs.
    raw.Encrypt(iv, {}, {plaintext, n}, {ciphertext, n}, tag);
    static_cast<void>(ws.Encrypt(s, {}, {plaintext, n}));

    const std::uint64_t raw_enc = board_bench::CountInstructions([&] {
      raw.Encrypt(iv, {}, {plaintext, n}, {ciphertext, n}, tag);
    });
    workspace::Nonce nonce{};
    const std::uint64_t ws_enc = board_bench::CountInstructions([&] {
      auto sealed = ws.Encrypt(s, {}, {plaintext, n});
      nonce = sealed->nonce();
      const auto bytes =
          sealed->bytes();  // one view; copied out as a sender would
      std::copy(bytes.begin(), bytes.end(), wire);
    });
    // The copy of the result out of the lease is the caller's, not the
    // workspace's: measure it alone and take it off.
    alignas(64) static std::uint8_t sink[1024 + 16];
    const std::uint64_t copy = board_bench::CountInstructions(
        [&] { std::copy(wire, wire + n + 16, sink); });
    const std::uint64_t ws_enc_net = ws_enc > copy ? ws_enc - copy : 0;

    std::copy_n(wire, n + 16, ciphertext);
    const std::uint64_t raw_dec = board_bench::CountInstructions([&] {
      raw.Decrypt(iv, {}, {ciphertext, n}, tag, {decrypted, n});
    });
    const std::uint64_t ws_dec = board_bench::CountInstructions([&] {
      auto opened = ws.Decrypt(s, nonce, {}, {wire, n + 16});
      if (!opened.ok()) std::exit(2);
    });

    Report("raw_encrypt", n, raw_enc);
    Report("ws_encrypt", n, ws_enc_net);
    Report("ws_encrypt_overhead", n,
           ws_enc_net > raw_enc ? ws_enc_net - raw_enc : 0);
    Report("raw_decrypt", n, raw_dec);
    Report("ws_decrypt", n, ws_dec);
    Report("ws_decrypt_overhead", n, ws_dec > raw_dec ? ws_dec - raw_dec : 0);
  }
  return 0;
}
