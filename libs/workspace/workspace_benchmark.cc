// Host: what the workspace adds per message on top of raw AES-GCM.
//
//   bazel --output_base=/root/.cache/bazel_workspace run -c opt
//   //libs/workspace:workspace_benchmark
//
// Raw: AesGcm::Encrypt / Decrypt into caller buffers with a caller nonce.
// Workspace: Encrypt (state and policy checks, nonce, output lease, wipe of
// ciphertext || tag on release) and Decrypt (copy in, lease, verify, wipe
// of input and plaintext).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "benchmark/benchmark.h"
#include "board/board_clock.h"
#include "crypto/aes_gcm.h"
#include "workspace/presets.h"

namespace {

using workspace::Code;
using workspace::KeySlotId;
using workspace::MediumWorkspace;
using workspace::SessionId;

constexpr std::uint8_t kKey[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
                                   0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
                                   0x09, 0xcf, 0x4f, 0x3c};

MediumWorkspace ws;

SessionId Setup() {
  workspace::WorkspaceConfig config;
  config.clock = &board::SystemBoardClock();
  config.rotation = {.max_key_age_us = ~0ull >> 1,
                     .max_messages_per_key = ~0ull >> 1,
                     .max_bytes_per_key = ~0ull >> 1};
  if (ws.Reprovision(config) != base::OkStatus()) std::abort();
  if (ws.LoadKey(KeySlotId{0}, kKey) != base::OkStatus()) std::abort();
  const SessionId s = ws.OpenSession().value();
  if (ws.BindKey(s, KeySlotId{0}) != base::OkStatus() ||
      ws.Activate(s) != base::OkStatus())
    std::abort();
  return s;
}

void BM_RawEncrypt(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  crypto::AesGcm gcm;
  gcm.SetKey({kKey, sizeof kKey});
  std::vector<std::uint8_t> pt(n, 0x11), ct(n);
  std::array<std::uint8_t, 16> tag{};
  std::array<std::uint8_t, 12> iv{};
  std::uint64_t counter = 0;
  for (auto _ : state) {
    iv[11] = static_cast<std::uint8_t>(++counter);
    benchmark::DoNotOptimize(
        gcm.Encrypt(iv, {}, {pt.data(), n}, {ct.data(), n}, tag));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void BM_WorkspaceEncrypt(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const SessionId s = Setup();
  std::vector<std::uint8_t> pt(n, 0x11);
  for (auto _ : state) {
    auto sealed = ws.Encrypt(s, {}, pt);
    benchmark::DoNotOptimize(sealed->bytes().data());
    // The lease is released (wiped) here, inside the timed loop.
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void BM_RawDecrypt(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  crypto::AesGcm gcm;
  gcm.SetKey({kKey, sizeof kKey});
  std::vector<std::uint8_t> pt(n, 0x11), ct(n), out(n);
  std::array<std::uint8_t, 16> tag{};
  std::array<std::uint8_t, 12> iv{};
  gcm.Encrypt(iv, {}, {pt.data(), n}, {ct.data(), n}, tag);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        gcm.Decrypt(iv, {}, {ct.data(), n}, tag, {out.data(), n}));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void BM_WorkspaceDecrypt(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const SessionId s = Setup();
  std::vector<std::uint8_t> pt(n, 0x11);
  auto sealed = ws.Encrypt(s, {}, pt);
  const std::vector<std::uint8_t> wire(sealed->bytes().begin(),
                                       sealed->bytes().end());
  const workspace::Nonce nonce = sealed->nonce();
  sealed->Release();
  for (auto _ : state) {
    auto opened = ws.Decrypt(s, nonce, {}, wire);
    if (!opened.ok()) state.SkipWithError("decrypt failed");
    benchmark::DoNotOptimize(opened->text().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

BENCHMARK(BM_RawEncrypt)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);
BENCHMARK(BM_WorkspaceEncrypt)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);
BENCHMARK(BM_RawDecrypt)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);
BENCHMARK(BM_WorkspaceDecrypt)->Arg(16)->Arg(64)->Arg(256)->Arg(1024);

}  // namespace
