#include "pool/stats.h"

#include <array>
#include <cstring>
#include <string_view>

#include "gtest/gtest.h"
#include "pool/pool.h"
#include "pool/status.h"

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
            "block=64 capacity=32 in_use=3 high_water=7 failures=1 foreign=2 "
            "double=4 "
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
  EXPECT_EQ(p.Release(a), base::OkStatus());
  EXPECT_EQ(p.Release(a), Code::kNotAllocated);
  int not_a_block = 0;  // (&p itself is block 0: the storage comes first)
  EXPECT_EQ(p.Release(&not_a_block), Code::kForeignPointer);
  std::array<char, 160> out{};
  const std::size_t n = FormatStats(p.stats(), out);
  EXPECT_EQ(
      std::string_view(out.data(), n),
      "block=32 capacity=2 in_use=1 high_water=2 failures=1 foreign=1 double=1 "
      "corrupt=0");
  EXPECT_EQ(p.Release(b), base::OkStatus());
}

TEST(StatsTest, CodeNamesAreDistinctAndInThePoolDomain) {
  EXPECT_EQ(CodeName(Code::kExhausted), "pool.exhausted");
  EXPECT_EQ(CodeName(Code::kAlreadyInitialized), "pool.already_initialized");
  EXPECT_EQ(CodeName(Code::kSizeOverLimit), "pool.size_over_limit");
  EXPECT_EQ(base::StatusName<Code>(Code::kNotAllocated), "pool.not_allocated");
  EXPECT_EQ(base::StatusName<Code>(base::OkStatus()), "ok");
  for (int a = 1; a <= static_cast<int>(Code::kNotInitialized); ++a) {
    const base::Status status = static_cast<Code>(a);
    EXPECT_EQ(status.domain(), base::Domain::kPool);
    EXPECT_FALSE(CodeName(static_cast<Code>(a)).empty());
    for (int b = a + 1; b <= static_cast<int>(Code::kNotInitialized); ++b) {
      EXPECT_NE(CodeName(static_cast<Code>(a)), CodeName(static_cast<Code>(b)));
    }
  }
}

}  // namespace
}  // namespace pool
