// The board storage contract (board/storage.h) on the volatile stand-in
// every test run gets: the host's RAM, the mps3_an536's RAM and the
// versatilepb_r5f's CFI flash without a backing file (the real driver).
// Persistence across QEMU runs: storage_persistence_test.py.
#include "board/storage.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace {

std::size_t TotalBytes() {
  const board::StorageGeometry& info = board::StorageInfo();
  return info.sector_bytes * info.sector_count;
}

std::size_t SectorOffset(std::size_t sector) {
  return sector * board::StorageInfo().sector_bytes;
}

// Every byte of `size` bytes at `offset` equals `value`.
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

template <std::size_t N>
std::array<std::uint8_t, N> ReadArray(std::size_t offset) {
  std::array<std::uint8_t, N> out{};
  EXPECT_TRUE(board::StorageRead(offset, out.data(), N));
  return out;
}

TEST(StorageTest, GeometryIsUsable) {
  const board::StorageGeometry& info = board::StorageInfo();
  EXPECT_GE(info.sector_count, 2u);
  EXPECT_GT(info.sector_bytes, 0u);
  EXPECT_GE(info.program_bytes, 1u);
  EXPECT_EQ(info.sector_bytes % info.program_bytes, 0u);
  EXPECT_FALSE(info.backend.empty());
  // Test runs attach no backing file.
  EXPECT_FALSE(info.persistent);
}

TEST(StorageTest, EraseSetsTheWholeSectorToFf) {
  const std::size_t last = board::StorageInfo().sector_count - 1;
  for (const std::size_t sector : {std::size_t{0}, std::size_t{1}, last}) {
    ASSERT_TRUE(board::StorageErase(sector));
    EXPECT_TRUE(AllBytesAre(SectorOffset(sector),
                            board::StorageInfo().sector_bytes, 0xff))
        << "sector " << sector;
  }
}

TEST(StorageTest, ProgramOnlyClearsBits) {
  ASSERT_TRUE(board::StorageErase(0));
  const std::array<std::uint8_t, 8> first = {0xf0, 0xf0, 0x0f, 0xff,
                                             0x00, 0x12, 0xff, 0x80};
  const std::array<std::uint8_t, 8> second = {0x3c, 0xff, 0xff, 0x00,
                                              0xff, 0xff, 0x34, 0x7f};
  ASSERT_TRUE(board::StorageProgram(64, first.data(), first.size()));
  EXPECT_EQ(ReadArray<8>(64), first);
  ASSERT_TRUE(board::StorageProgram(64, second.data(), second.size()));
  const std::array<std::uint8_t, 8> anded = {0x30, 0xf0, 0x0f, 0x00,
                                             0x00, 0x12, 0x34, 0x00};
  EXPECT_EQ(ReadArray<8>(64), anded);
  // Untouched neighbours stay erased.
  EXPECT_TRUE(AllBytesAre(0, 64, 0xff));
  EXPECT_TRUE(AllBytesAre(72, 64, 0xff));
  // Only an erase brings the 1 bits back.
  ASSERT_TRUE(board::StorageErase(0));
  EXPECT_TRUE(AllBytesAre(64, 8, 0xff));
}

TEST(StorageTest, ReadsAtAnyOffsetAndSize) {
  ASSERT_TRUE(board::StorageErase(1));
  const std::size_t base = SectorOffset(1);
  std::array<std::uint8_t, 16> data;
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(0x11 * i);
  }
  ASSERT_TRUE(board::StorageProgram(base, data.data(), data.size()));
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size = 0; size + offset <= data.size(); size += 3) {
      std::array<std::uint8_t, 16> out{};
      ASSERT_TRUE(board::StorageRead(base + offset, out.data(), size));
      for (std::size_t i = 0; i < size; ++i) {
        EXPECT_EQ(out[i], data[offset + i]) << offset << "+" << i;
      }
    }
  }
}

TEST(StorageTest, EraseTouchesOnlyItsSector) {
  ASSERT_TRUE(board::StorageErase(0));
  ASSERT_TRUE(board::StorageErase(1));
  const std::size_t last_of_0 = SectorOffset(1) - 4;
  const std::array<std::uint8_t, 4> zeros{};
  ASSERT_TRUE(board::StorageProgram(last_of_0, zeros.data(), 4));
  ASSERT_TRUE(board::StorageProgram(SectorOffset(1), zeros.data(), 4));
  ASSERT_TRUE(board::StorageErase(1));
  EXPECT_EQ(ReadArray<4>(last_of_0), zeros);
  EXPECT_TRUE(AllBytesAre(SectorOffset(1), 4, 0xff));
}

TEST(StorageTest, OutOfRangeIsRefusedAndChangesNothing) {
  const board::StorageGeometry& info = board::StorageInfo();
  const std::size_t total = TotalBytes();
  const std::size_t last = info.sector_count - 1;
  ASSERT_TRUE(board::StorageErase(last));
  std::array<std::uint8_t, 8> buffer{};

  EXPECT_FALSE(board::StorageRead(total, buffer.data(), 1));
  EXPECT_FALSE(board::StorageRead(total - 1, buffer.data(), 2));
  EXPECT_FALSE(board::StorageRead(std::numeric_limits<std::size_t>::max(),
                                  buffer.data(), 2));
  EXPECT_FALSE(board::StorageRead(4, buffer.data(),
                                  std::numeric_limits<std::size_t>::max() - 1));
  EXPECT_TRUE(board::StorageRead(total - 1, buffer.data(), 1));
  EXPECT_TRUE(board::StorageRead(total, buffer.data(), 0));

  const std::size_t unit = info.program_bytes;
  EXPECT_FALSE(board::StorageProgram(total, buffer.data(), unit));
  EXPECT_FALSE(board::StorageProgram(total - unit, buffer.data(), 2 * unit));
  EXPECT_FALSE(board::StorageProgram(
      std::numeric_limits<std::size_t>::max() - unit + 1, buffer.data(), unit));
  EXPECT_FALSE(board::StorageErase(info.sector_count));
  EXPECT_FALSE(board::StorageErase(std::numeric_limits<std::size_t>::max()));
  EXPECT_TRUE(AllBytesAre(SectorOffset(last), info.sector_bytes, 0xff));
}

TEST(StorageTest, ProgramOutsideTheGranuleIsRefused) {
  const std::size_t unit = board::StorageInfo().program_bytes;
  if (unit == 1) GTEST_SKIP() << "byte-programmable";
  ASSERT_TRUE(board::StorageErase(0));
  const std::array<std::uint8_t, 8> zeros{};
  EXPECT_FALSE(board::StorageProgram(1, zeros.data(), unit));
  EXPECT_FALSE(board::StorageProgram(0, zeros.data(), unit - 1));
  EXPECT_FALSE(board::StorageProgram(unit, zeros.data(), unit + 1));
  EXPECT_TRUE(AllBytesAre(0, 4 * unit, 0xff));
  EXPECT_TRUE(board::StorageProgram(unit, zeros.data(), unit));
}

}  // namespace
