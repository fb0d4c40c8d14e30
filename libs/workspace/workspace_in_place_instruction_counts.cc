// Boards: instructions per message of SealInPlace / OpenInPlace (the
// caller's buffer, the caller's invocation counter) against raw AES-GCM.
//
//   bazel run //libs/workspace:workspace_in_place_instruction_counts_<board>
//
// with <board> mps3_an536 or versatilepb_r5f.
//
// Each size prints raw_encrypt_<n>, ws_seal_in_place_<n> and their
// difference ws_seal_in_place_overhead_<n>, and the same for decrypt /
// open. Nothing is leased, copied or wiped by these calls, so the overhead
// is the checks and the counting alone; compare with ws_encrypt_overhead_<n>
// and ws_decrypt_overhead_<n> of :workspace_instruction_counts (a binary of
// its own, so that its figures are not moved by this code's presence).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <span>

#include "base/byte_order.h"
#include "board/board_clock.h"
#include "crypto/aes_gcm.h"
#include "platforms/bench/instruction_count.h"
#include "workspace/presets.h"

namespace {

using workspace::KeySlotId;
using workspace::MediumWorkspace;
using workspace::SessionId;

constexpr std::uint8_t kKey[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                   0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                   0x09, 0xcf, 0x4f, 0x3c};

MediumWorkspace ws;  // static: never on the 64 KiB stack
crypto::AesGcm raw;
alignas(64) std::uint8_t plaintext[1024];
alignas(64) std::uint8_t ciphertext[1024];
alignas(64) std::uint8_t decrypted[1024];
alignas(64) std::uint8_t frame[1024 + 16];  // text || tag, as a link frame
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

  // Small invocations with gaps, as a link's sequence numbers would be.
  std::uint64_t invocation = 1;
  for (std::size_t n : {16u, 64u, 256u, 1024u}) {
    const auto frame_tag = std::span<std::uint8_t, 16>(frame + n, 16);
    // Warm-up of both paths, so neither pays first-touch costs.
    raw.Encrypt(iv, {}, {plaintext, n}, {ciphertext, n}, tag);
    std::copy_n(plaintext, n, frame);
    if (!ws.SealInPlace(s, invocation, {}, {frame, n}, frame_tag).ok())
      return 2;
    invocation += 2;

    const std::uint64_t raw_enc = board_bench::CountInstructions([&] {
      raw.Encrypt(iv, {}, {plaintext, n}, {ciphertext, n}, tag);
    });
    const std::uint64_t raw_dec = board_bench::CountInstructions([&] {
      raw.Decrypt(iv, {}, {ciphertext, n}, tag, {decrypted, n});
    });
    std::copy_n(plaintext, n, frame);
    bool sealed = false;
    const std::uint64_t seal = board_bench::CountInstructions([&] {
      sealed = ws.SealInPlace(s, invocation, {}, {frame, n}, frame_tag).ok();
    });
    // The receiver's nonce: fixed field 0 (LoadKey's default), invocation.
    workspace::Nonce nonce{};
    base::StoreBe64(nonce.data() + workspace::kFixedFieldBytes, invocation);
    invocation += 2;
    bool opened = false;
    const std::uint64_t open = board_bench::CountInstructions([&] {
      opened = ws.OpenInPlace(s, nonce, {}, {frame, n}, frame_tag).ok();
    });
    if (!sealed || !opened || !std::equal(frame, frame + n, plaintext))
      return 3;

    Report("raw_encrypt", n, raw_enc);
    Report("ws_seal_in_place", n, seal);
    Report("ws_seal_in_place_overhead", n, seal > raw_enc ? seal - raw_enc : 0);
    Report("raw_decrypt", n, raw_dec);
    Report("ws_open_in_place", n, open);
    Report("ws_open_in_place_overhead", n, open > raw_dec ? open - raw_dec : 0);
  }
  return 0;
}
