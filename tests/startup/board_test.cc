// Checks the contract of the start-up code and the board interface: what
// every other test and image silently relies on.
#include "board/board.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "board/cache.h"
#include "gtest/gtest.h"

namespace {

int initialised_data = 0x5eed;  // .data, copied from the image at start-up
int zero_initialised_data;      // .bss, zeroed at start-up
int constructed_value = 0;

struct RunsAtStartup {
  RunsAtStartup() { constructed_value = 42; }
};
RunsAtStartup runs_at_startup;  // .init_array

TEST(StartupTest, DataIsCopiedAndBssIsZeroed) {
  EXPECT_EQ(initialised_data, 0x5eed);
  EXPECT_EQ(zero_initialised_data, 0);
}

TEST(StartupTest, StaticConstructorsRanBeforeMain) {
  EXPECT_EQ(constructed_value, 42);
}

// The FPU is enabled at start-up; with it off this traps (undefined
// instruction) and the test program dies with status 129.
TEST(StartupTest, FloatingPointUnitWorks) {
  volatile double x = 2.0;
  EXPECT_DOUBLE_EQ(std::sqrt(x) * std::sqrt(x), 2.0);
  volatile float y = 1.5f;
  EXPECT_FLOAT_EQ(y * y, 2.25f);
}

// With the MPU off, Armv8-R treats data accesses as Device memory, where an
// unaligned access aborts; the start-up enables the MPU with Normal memory.
TEST(StartupTest, UnalignedAccessWorks) {
  alignas(8) std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = static_cast<std::uint8_t>(i);
  std::uint32_t word;
  auto* volatile unaligned =
      reinterpret_cast<const std::uint8_t*>(bytes.data() + 1);
  std::memcpy(&word, unaligned, sizeof word);
  EXPECT_EQ(word, 0x04030201u);
}

TEST(BoardTest, InfoNamesTheBoard) {
  const board::BoardInfo& info = board::Info();
  EXPECT_FALSE(info.name.empty());
  EXPECT_FALSE(info.core.empty());
  EXPECT_EQ(info.cache_line_bytes, board::kCacheLineBytes);
}

TEST(BoardTest, CycleCounterAdvances) {
  const std::uint64_t before = board::ReadCycleCounter();
  volatile std::uint32_t sink = 0;
  for (std::uint32_t i = 0; i < 1000; ++i) sink = sink + i;
  const std::uint64_t after = board::ReadCycleCounter();
  EXPECT_GT(after, before);
}

#if defined(__arm__)
// The compile-time cache line size must match the core's Cache Type
// Register (CTR.DminLine: log2 of the smallest data cache line in words).
TEST(BoardTest, CacheLineMatchesCacheTypeRegister) {
  std::uint32_t ctr;
  asm volatile("mrc p15, 0, %0, c0, c0, 1" : "=r"(ctr));
  if (ctr == 0) {
    // QEMU's Cortex-R5 model leaves CTR unimplemented (reads as zero); real
    // Cortex-R5 parts report 0x8003c003 (32-byte lines).
    GTEST_SKIP() << "CTR not implemented by this core model";
  }
  const std::size_t dminline_bytes = std::size_t{4} << ((ctr >> 16) & 0xF);
  EXPECT_EQ(dminline_bytes, board::kCacheLineBytes);
}
#endif

}  // namespace

namespace {

// The clock is a real timer: it advances while code runs and never goes
// backwards. (Under QEMU without -icount it follows host time.)
TEST(BoardTest, MonotonicClockAdvances) {
  const std::uint64_t start = board::MonotonicMicroseconds();
  std::uint64_t previous = start;
  std::uint64_t now = start;
  for (int i = 0; i < 1'000'000 && now - start < 200; ++i) {
    now = board::MonotonicMicroseconds();
    ASSERT_GE(now, previous);
    previous = now;
  }
  EXPECT_GE(now - start, 200u);
}

}  // namespace
