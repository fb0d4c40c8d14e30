// Run twice against one storage file (run_firmware.sh --storage=FILE) by
// storage_persistence_test.py. A run that finds no record in sector 0 checks
// the NOR rules on the file-backed device, writes a record across the device
// and prints "STORAGE WRITTEN", then waits to be killed (SIGKILL: no clean
// shut-down can help). A run that finds the record checks every byte of it,
// prints "STORAGE VERIFIED" and exits 0. Without a backing file it prints
// the geometry and exits 3. Any failure prints "STORAGE FAILED <what>" and
// exits 1.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "board/board.h"
#include "board/storage.h"

namespace {

constexpr std::string_view kMagic = "PERSIST1";
constexpr std::size_t kPatternOffset = 64;
constexpr std::size_t kPatternBytes = 4096;
constexpr std::size_t kAndOffset = 8192;
constexpr std::size_t kTailBytes = 256;

void Print(std::string_view text) { board::ConsoleWrite(text); }

void PrintNumber(std::size_t value) {
  char digits[20];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) board::ConsoleWrite(&digits[--n], 1);
}

[[noreturn]] void Fail(std::string_view what) {
  Print("STORAGE FAILED ");
  Print(what);
  Print("\r\n");
  board::Exit(1);
}

void Check(bool ok, std::string_view what) {
  if (!ok) Fail(what);
}

std::uint8_t PatternByte(std::size_t index, std::uint32_t seed) {
  std::uint32_t x = seed ^ static_cast<std::uint32_t>(index * 0x9e37'79b9u);
  x ^= x >> 16;
  x *= 0x85eb'ca6bu;
  x ^= x >> 13;
  return static_cast<std::uint8_t>(x);
}

std::size_t TotalBytes() {
  return board::StorageInfo().sector_bytes * board::StorageInfo().sector_count;
}

// Programs `size` pattern bytes (a multiple of 256) at `offset`.
bool ProgramPattern(std::size_t offset, std::size_t size, std::uint32_t seed) {
  std::array<std::uint8_t, 256> chunk;
  for (std::size_t done = 0; done < size; done += chunk.size()) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      chunk[i] = PatternByte(done + i, seed);
    }
    if (!board::StorageProgram(offset + done, chunk.data(), chunk.size())) {
      return false;
    }
  }
  return true;
}

bool PatternIsThere(std::size_t offset, std::size_t size, std::uint32_t seed) {
  std::array<std::uint8_t, 256> chunk;
  for (std::size_t done = 0; done < size; done += chunk.size()) {
    if (!board::StorageRead(offset + done, chunk.data(), chunk.size())) {
      return false;
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] != PatternByte(done + i, seed)) return false;
    }
  }
  return true;
}

bool AllBytesAre(std::size_t offset, std::size_t size, std::uint8_t value) {
  std::array<std::uint8_t, 1024> chunk;
  while (size > 0) {
    const std::size_t n = size < chunk.size() ? size : chunk.size();
    if (!board::StorageRead(offset, chunk.data(), n)) return false;
    for (std::size_t i = 0; i < n; ++i) {
      if (chunk[i] != value) return false;
    }
    offset += n;
    size -= n;
  }
  return true;
}

std::uint32_t ReadWord(std::size_t offset) {
  std::uint32_t word = 0;
  std::uint8_t bytes[4];
  Check(board::StorageRead(offset, bytes, 4), "read word");
  std::memcpy(&word, bytes, 4);
  return word;
}

void ProgramWord(std::size_t offset, std::uint32_t word) {
  std::uint8_t bytes[4];
  std::memcpy(bytes, &word, 4);
  Check(board::StorageProgram(offset, bytes, 4), "program word");
}

void WritePhase() {
  const board::StorageGeometry& info = board::StorageInfo();
  const std::size_t total = TotalBytes();
  const std::size_t last = info.sector_count - 1;
  const std::size_t tail_offset = total - kTailBytes;

  // Erase gives 0xFF over the whole sector, whatever was there.
  Check(board::StorageErase(0), "erase 0");
  Check(AllBytesAre(0, info.sector_bytes, 0xff), "sector 0 erased to 0xff");
  Check(board::StorageErase(last), "erase last");
  Check(AllBytesAre(last * info.sector_bytes, info.sector_bytes, 0xff),
        "last sector erased to 0xff");

  // Program ANDs: the result is kept for the second run to check.
  ProgramWord(kAndOffset, 0xf0f0'f0f0u);
  ProgramWord(kAndOffset, 0x3c3c'ff3cu);
  Check(ReadWord(kAndOffset) == 0x3030'f030u, "program ANDs");
  ProgramWord(kAndOffset + 4, 0x0000'0000u);
  ProgramWord(kAndOffset + 4, 0xffff'ffffu);
  Check(ReadWord(kAndOffset + 4) == 0, "program cannot set bits");

  // Out of range: refused, nothing changed.
  std::uint8_t bytes[8] = {};
  Check(!board::StorageRead(total, bytes, 1), "read past the end refused");
  Check(!board::StorageRead(total - 2, bytes, 4), "read across the end");
  Check(!board::StorageProgram(total, bytes, 4), "program past the end");
  Check(!board::StorageProgram(total - 4, bytes, 8), "program across end");
  Check(!board::StorageErase(info.sector_count), "erase past the end");
  Check(AllBytesAre(tail_offset, kTailBytes, 0xff), "refused ops changed data");

  // The record: data first, the magic last, so a record is complete once
  // the magic is there.
  Check(ProgramPattern(kPatternOffset, kPatternBytes, 1), "program pattern");
  Check(ProgramPattern(tail_offset, kTailBytes, 2), "program tail");
  Check(board::StorageProgram(
            0, reinterpret_cast<const std::uint8_t*>(kMagic.data()),
            kMagic.size()),
        "program magic");
  Print("STORAGE WRITTEN\r\n");
  // Wait to be killed; nothing is flushed or closed.
  for (;;) asm volatile("wfi");
}

void VerifyPhase() {
  const std::size_t total = TotalBytes();
  Check(PatternIsThere(kPatternOffset, kPatternBytes, 1), "pattern persisted");
  Check(PatternIsThere(total - kTailBytes, kTailBytes, 2), "tail persisted");
  Check(ReadWord(kAndOffset) == 0x3030'f030u, "AND result persisted");
  Check(ReadWord(kAndOffset + 4) == 0, "cleared word persisted");
  // Between the record's parts the erased state persisted too.
  Check(AllBytesAre(kMagic.size(), kPatternOffset - kMagic.size(), 0xff),
        "erased bytes persisted");
  Print("STORAGE VERIFIED\r\n");
}

}  // namespace

int main() {
  const board::StorageGeometry& info = board::StorageInfo();
  Print("STORAGE board=");
  Print(board::Info().name);
  Print(" backend=");
  Print(info.backend);
  Print(" persistent=");
  Print(info.persistent ? "1" : "0");
  Print(" sectors=");
  PrintNumber(info.sector_count);
  Print(" sector_bytes=");
  PrintNumber(info.sector_bytes);
  Print("\r\n");
  if (!info.persistent) return 3;

  std::array<std::uint8_t, kMagic.size()> magic{};
  Check(board::StorageRead(0, magic.data(), magic.size()), "read magic");
  if (std::memcmp(magic.data(), kMagic.data(), kMagic.size()) == 0) {
    VerifyPhase();
  } else {
    WritePhase();
  }
  return 0;
}
