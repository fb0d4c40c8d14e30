// Instructions per record store operation on the boards (RamFlash as the
// device, so the flash "driver" is a byte loop; its share is reported
// separately). bazel run //libs/storage:record_store_benchmark_mps3_an536
#include <cstdint>
#include <cstdio>

#include "base/status.h"
#include "board/board.h"
#include "platforms/bench/instruction_count.h"
#include "storage/ram_flash.h"
#include "storage/record_store.h"

namespace {

storage::RamFlash<4096, 2, 4> g_flash;
storage::RecordStore<16> g_store(g_flash);

void Print(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  board::ConsoleWrite(text, n);
}

}  // namespace

int main() {
  if (!g_store.Mount().ok()) return 1;
  std::uint8_t value[12];
  for (std::uint16_t key = 1; key <= 8; ++key) {
    for (std::uint8_t i = 0; i < sizeof value; ++i) {
      value[i] = static_cast<std::uint8_t>(key * 16 + i);
    }
    if (!g_store.Write(key, value).ok()) return 1;
  }

  // One Write of a 12-byte value to an existing key (no compaction).
  const std::uint64_t programmed_before = g_store.stats().bytes_programmed;
  base::Status result;
  const std::uint64_t write =
      board_bench::CountInstructions([&] { result = g_store.Write(5, value); });
  if (!result.ok()) return 1;
  const std::uint64_t write_bytes =
      g_store.stats().bytes_programmed - programmed_before;
  board_bench::Report("write_12", write, 12);

  std::uint8_t out[storage::kMaxValueBytes];
  std::size_t size = 0;
  const std::uint64_t read = board_bench::CountInstructions(
      [&] { result = g_store.Read(5, out, size); });
  if (!result.ok() || size != 12) return 1;
  board_bench::Report("read_12", read, 12);

  // The device's share of the write: the same two Program calls alone.
  const std::uint8_t header[8] = {};
  const std::uint64_t device = board_bench::CountInstructions([&] {
    (void)g_flash.Program(4096 - 40, header);
    (void)g_flash.Program(4096 - 32, value);
  });
  board_bench::Report("ramflash_program_8_plus_12", device, 20);

  // Amortized over many writes, compactions included (8 live keys).
  constexpr int kWrites = 1000;
  const std::uint64_t compactions_before = g_store.stats().compactions;
  const std::uint64_t many = board_bench::CountInstructions([&] {
    for (int i = 0; i < kWrites; ++i) {
      value[0] = static_cast<std::uint8_t>(i);
      (void)g_store.Write(static_cast<std::uint16_t>(1 + i % 8), value);
    }
  });
  board_bench::Report("write_12_amortized", many / kWrites, 12);

  const std::uint64_t mount =
      board_bench::CountInstructions([&] { result = g_store.Mount(); });
  if (!result.ok()) return 1;
  board_bench::Report("mount_4k_sector", mount);

  char line[160];
  std::snprintf(line, sizeof line,
                "INFO bytes_programmed_per_write_12=%llu compactions=%llu "
                "in %d writes, used_bytes=%lu\r\n",
                static_cast<unsigned long long>(write_bytes),
                static_cast<unsigned long long>(g_store.stats().compactions -
                                                compactions_before),
                kWrites,
                static_cast<unsigned long>(g_store.stats().used_bytes));
  Print(line);
  return 0;
}
