// The small interfaces of base: critical section, clock, cache line, and
// the tests' generator.
#include <cstdint>

#include "base/cache_line.h"
#include "base/critical_section.h"
#include "base/fake_clock.h"
#include "base/test_rng.h"
#include "gtest/gtest.h"

namespace base {
namespace {

// Records what a guard does with the section it is handed.
class RecordingSection final : public CriticalSection {
 public:
  std::uint32_t Enter() override { return ++depth; }
  void Leave(std::uint32_t state) override {
    EXPECT_EQ(state, depth);
    --depth;
  }
  std::uint32_t depth = 0;
};

TEST(CriticalSectionTest, GuardsNestAndRestore) {
  RecordingSection section;
  {
    CriticalSectionGuard<> outer(section);  // through the interface
    EXPECT_EQ(section.depth, 1u);
    {
      CriticalSectionGuard<RecordingSection> inner(section);  // direct
      EXPECT_EQ(section.depth, 2u);
    }
    EXPECT_EQ(section.depth, 1u);
  }
  EXPECT_EQ(section.depth, 0u);
}

TEST(FakeClockTest, MovesOnlyForwardAndOnlyWhenTold) {
  FakeClock clock(100);
  const Clock& as_clock = clock;
  EXPECT_EQ(as_clock.NowMicroseconds(), 100u);
  clock.Advance(5);
  EXPECT_EQ(as_clock.NowMicroseconds(), 105u);
  clock.Set(50);
  EXPECT_EQ(as_clock.NowMicroseconds(), 105u);
  clock.Set(200);
  EXPECT_EQ(as_clock.NowMicroseconds(), 200u);
}

TEST(CacheLineTest, IsAPowerOfTwoFromTheBuild) {
  EXPECT_EQ(kCacheLineBytes, std::size_t{BOARD_CACHE_LINE_BYTES});
  EXPECT_GE(kCacheLineBytes, 16u);
}

TEST(TestRngTest, IsTheReferenceXorshift64Star) {
  // Reference: x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  // return x * 0x2545F4914F6CDD1D, from x = 1.
  TestRng rng(1);
  EXPECT_EQ(rng.Next(), 0x47e4ce4b896cdd1dull);
  TestRng a(7), b(7);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
  TestRng zero(0);
  EXPECT_NE(zero.Next(), 0u);
  std::uint8_t bytes[16] = {};
  TestRng(3).Fill(bytes, sizeof bytes);
  int non_zero = 0;
  for (std::uint8_t byte : bytes) non_zero += byte != 0;
  EXPECT_GT(non_zero, 8);
  for (int i = 0; i < 100; ++i) EXPECT_LT(rng.Below(10), 10u);
}

}  // namespace
}  // namespace base
