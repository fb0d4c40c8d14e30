#include "pool/size_class_router.h"

#include <array>
#include <memory>
#include <utility>

#include "crypto_device_table.h"
#include "gtest/gtest.h"

namespace pool {
namespace {

using testing::AllocateFor;
using testing::CryptoDeviceRouter;
using testing::Usage;
using testing::UsageLimits;

constexpr RouterConfig<3> kStrict{
    .classes = {{{32, 2}, {128, 2}, {512, 1}}},
    .spill = SpillPolicy::kNone,
    .alignment = 8,
};
constexpr UsageLimits kLimits{{32, 16, 128, 512, 512}};
constexpr RouterConfig<3> kNext = [] {
  auto c = kStrict;
  c.spill = SpillPolicy::kNextLarger;
  return c;
}();
constexpr RouterConfig<3> kAny = [] {
  auto c = kStrict;
  c.spill = SpillPolicy::kAnyLarger;
  return c;
}();

// Invalid tables do not compile; their validity is checked here directly.
static_assert(kStrict.Valid());
static_assert(!RouterConfig<2>{.classes = {{{64, 1}, {32, 1}}}}
                   .Valid());  // not ascending
static_assert(!RouterConfig<1>{.classes = {{{64, 0}}}}.Valid());  // empty class

TEST(SizeClassRouterTest, OriginalTableIsReproduced) {
  using R = CryptoDeviceRouter;
  static_assert(R::class_count() == 4);
  EXPECT_EQ(R::config().classes[0].block_size, 64u);
  EXPECT_EQ(R::config().classes[0].count, 32u);
  EXPECT_EQ(R::config().classes[1].block_size, 256u);
  EXPECT_EQ(R::config().classes[1].count, 16u);
  EXPECT_EQ(R::config().classes[2].block_size, 1024u);
  EXPECT_EQ(R::config().classes[2].count, 8u);
  EXPECT_EQ(R::config().classes[3].block_size, 4096u);
  EXPECT_EQ(R::config().classes[3].count, 4u);
  EXPECT_EQ(R::ClassFor(1), 0u);
  EXPECT_EQ(R::ClassFor(64), 0u);
  EXPECT_EQ(R::ClassFor(65), 1u);
  EXPECT_EQ(R::ClassFor(1024), 2u);
  EXPECT_EQ(R::ClassFor(1025), 3u);
  EXPECT_EQ(R::ClassFor(4096), 3u);
}

TEST(SizeClassRouterTest, SmallestFittingClassServesTheRequest) {
  auto r = std::make_unique<SizeClassRouter<kStrict>>();
  base::Result<UniqueBlock> a = AllocateFor(*r, kLimits, 20, Usage::kKey);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().size(), 20u);
  EXPECT_EQ(a.value().capacity(), 32u);
  EXPECT_TRUE(r->pool<0>().Owns(a.value().data()));
  base::Result<UniqueBlock> b =
      AllocateFor(*r, kLimits, 33, Usage::kSmallMessage);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(r->pool<1>().Owns(b.value().data()));
  base::Result<UniqueBlock> c =
      AllocateFor(*r, kLimits, 512, Usage::kLargeMessage);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(r->pool<2>().Owns(c.value().data()));
  EXPECT_EQ(r->stats(0).in_use, 1u);
  EXPECT_EQ(r->stats(1).in_use, 1u);
  EXPECT_EQ(r->stats(2).in_use, 1u);
  EXPECT_EQ(r->CheckInvariants(), base::OkStatus());
}

TEST(SizeClassRouterTest, EveryFailureIsNamed) {
  auto r = std::make_unique<SizeClassRouter<kStrict>>();
  EXPECT_EQ(AllocateFor(*r, kLimits, 0, Usage::kKey).status(), Code::kZeroSize);
  EXPECT_EQ(AllocateFor(*r, kLimits, 0, Usage::kLargeMessage).status(),
            Code::kZeroSize);
  EXPECT_EQ(AllocateFor(*r, kLimits, 513, Usage::kLargeMessage).status(),
            Code::kSizeUnsupported);
  // The original design's silent failure: a "key" larger than a key.
  EXPECT_EQ(AllocateFor(*r, kLimits, 33, Usage::kKey).status(),
            Code::kSizeOverLimit);
  EXPECT_EQ(AllocateFor(*r, kLimits, 17, Usage::kNonce).status(),
            Code::kSizeOverLimit);
  EXPECT_EQ(AllocateFor(*r, kLimits, 129, Usage::kSmallMessage).status(),
            Code::kSizeOverLimit);
  EXPECT_EQ(AllocateFor(*r, kLimits, 8, static_cast<Usage>(9)).status(),
            Code::kSizeOverLimit);
  // No pool was touched by any of these.
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(r->stats(c).in_use, 0u);
    EXPECT_EQ(r->stats(c).allocation_failures, 0u);
  }
}

TEST(SizeClassRouterTest, ExhaustionNamesTheClassWithoutSpill) {
  auto r = std::make_unique<SizeClassRouter<kStrict>>();
  base::Result<UniqueBlock> a = AllocateFor(*r, kLimits, 8, Usage::kKey);
  base::Result<UniqueBlock> b = AllocateFor(*r, kLimits, 8, Usage::kKey);
  ASSERT_TRUE(a.ok() && b.ok());
  base::Result<UniqueBlock> c = AllocateFor(*r, kLimits, 8, Usage::kKey);
  EXPECT_EQ(c.status(), Code::kExhausted);
  EXPECT_EQ(c.status().argument(), 0u);
  EXPECT_EQ(r->stats(1).in_use, 0u);  // no spill
  base::Result<UniqueBlock> big =
      AllocateFor(*r, kLimits, 300, Usage::kMediumMessage);
  ASSERT_TRUE(big.ok());
  base::Result<UniqueBlock> big2 =
      AllocateFor(*r, kLimits, 300, Usage::kMediumMessage);
  EXPECT_EQ(big2.status(), Code::kExhausted);
  EXPECT_EQ(big2.status().argument(), 2u);
  EXPECT_EQ(r->stats(0).allocation_failures, 1u);
  EXPECT_EQ(r->stats(2).allocation_failures, 1u);
}

TEST(SizeClassRouterTest, NextLargerSpillsOneClassOnly) {
  auto r = std::make_unique<SizeClassRouter<kNext>>();
  std::array<UniqueBlock, 5> held;
  for (auto& h : held) {
    base::Result<UniqueBlock> x = AllocateFor(*r, kLimits, 8, Usage::kKey);
    if (!x.ok()) {
      EXPECT_EQ(x.status(), Code::kExhausted);
      EXPECT_EQ(x.status().argument(), 0u);
      break;
    }
    h = std::move(x).value();
  }
  // 2 from class 0, 2 spilled into class 1, never into class 2.
  EXPECT_EQ(r->stats(0).in_use, 2u);
  EXPECT_EQ(r->stats(1).in_use, 2u);
  EXPECT_EQ(r->stats(2).in_use, 0u);
  EXPECT_EQ(held[2].capacity(), 128u);
  EXPECT_EQ(held[2].size(), 8u);
  EXPECT_FALSE(held[4]);
}

TEST(SizeClassRouterTest, AnyLargerSpillsToTheTop) {
  auto r = std::make_unique<SizeClassRouter<kAny>>();
  std::array<UniqueBlock, 5> held;
  for (auto& h : held)
    h = std::move(AllocateFor(*r, kLimits, 8, Usage::kKey)).value();
  EXPECT_EQ(r->stats(0).in_use, 2u);
  EXPECT_EQ(r->stats(1).in_use, 2u);
  EXPECT_EQ(r->stats(2).in_use, 1u);
  base::Result<UniqueBlock> more = AllocateFor(*r, kLimits, 8, Usage::kKey);
  EXPECT_EQ(more.status(), Code::kExhausted);
  EXPECT_EQ(more.status().argument(), 0u);
}

TEST(SizeClassRouterTest, ReleaseReturnsToTheRightPoolWiped) {
  auto r = std::make_unique<SizeClassRouter<kNext>>();
  {
    UniqueBlock a =
        std::move(AllocateFor(*r, kLimits, 100, Usage::kSmallMessage)).value();
    std::fill(a.span().begin(), a.span().end(), std::byte{0xEE});
    UniqueBlock b =
        std::move(AllocateFor(*r, kLimits, 400, Usage::kLargeMessage)).value();
    std::fill(b.span().begin(), b.span().end(), std::byte{0xEE});
  }
  for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(r->stats(c).in_use, 0u);
  EXPECT_EQ(r->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  r->ResetHighWater();
  EXPECT_EQ(r->stats(1).high_water, 0u);
}

TEST(SizeClassRouterTest, WithoutALimitTheSizeAlonePicksTheClass) {
  auto r = std::make_unique<SizeClassRouter<kStrict>>();
  base::Result<UniqueBlock> a = r->Allocate(100);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.value().capacity(), 128u);
  EXPECT_EQ(r->Allocate(0).status(), Code::kZeroSize);
  EXPECT_EQ(r->Allocate(513).status(), Code::kSizeUnsupported);
  EXPECT_EQ(r->Allocate(20, 16).status(), Code::kSizeOverLimit);
  EXPECT_TRUE(r->Allocate(16, 16).ok());
}

}  // namespace
}  // namespace pool
