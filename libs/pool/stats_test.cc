#include "pool/stats.h"

#include <array>
#include <cstring>
#include <string_view>

#include "gtest/gtest.h"
#include "pool/pool.h"

namespace pool {
namespace {

TEST(StatsTest, FormatsEveryCounter) {
  PoolStats s;
  s.block_size = 64;
  s.capacity = 32;
  s.in_use = 3;
  s.high_water = 7;
  s.allocation_failures = 1;
  s.foreign_releases = 2;
  s.double_releases = 4;
  s.corruptions = 5;
  std::array<char, 160> out{};
  const std::size_t n = FormatStats(s, out);
  EXPECT_EQ(std::string_view(out.data(), n),
            "block=64 capacity=32 in_use=3 high_water=7 failures=1 foreign=2 double=4 "
            "corrupt=5");
}

TEST(StatsTest, TruncatesToTheBuffer) {
  std::array<char, 10> out{};
  const std::size_t n = FormatStats(PoolStats{}, out);
  EXPECT_EQ(n, 9u);
  EXPECT_EQ(std::string_view(out.data()), "block=0 c");
  EXPECT_EQ(FormatStats(PoolStats{}, std::span<char>()), 0u);
}

TEST(StatsTest, LivePoolStats) {
  Pool<32, 2, 8> p;
  void* a = p.Allocate();
  void* b = p.Allocate();
  EXPECT_EQ(p.Allocate(), nullptr);
  EXPECT_EQ(p.Release(a), Error::kOk);
  EXPECT_EQ(p.Release(a), Error::kNotAllocated);
  int not_a_block = 0;  // (&p itself is block 0: the storage comes first)
  EXPECT_EQ(p.Release(&not_a_block), Error::kForeignPointer);
  std::array<char, 160> out{};
  const std::size_t n = FormatStats(p.stats(), out);
  EXPECT_EQ(std::string_view(out.data(), n),
            "block=32 capacity=2 in_use=1 high_water=2 failures=1 foreign=1 double=1 "
            "corrupt=0");
  EXPECT_EQ(p.Release(b), Error::kOk);
}

TEST(StatsTest, ErrorNamesAreDistinct) {
  EXPECT_EQ(ErrorName(Error::kExhausted), "Exhausted");
  EXPECT_EQ(ErrorName(Error::kAlreadyInitialized), "AlreadyInitialized");
  EXPECT_EQ(ErrorName(Error::kUsageSizeMismatch), "UsageSizeMismatch");
  for (int a = 0; a <= static_cast<int>(Error::kNotInitialized); ++a) {
    for (int b = a + 1; b <= static_cast<int>(Error::kNotInitialized); ++b) {
      EXPECT_NE(ErrorName(static_cast<Error>(a)), ErrorName(static_cast<Error>(b)));
    }
  }
}

}  // namespace
}  // namespace pool
