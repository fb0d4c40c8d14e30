#include "pool/unique_block.h"

#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

#include "gtest/gtest.h"
#include "pool/pool.h"

namespace pool {
namespace {

using TestPool = Pool<64, 4, 16>;

static_assert(!std::is_copy_constructible_v<UniqueBlock>);
static_assert(!std::is_copy_assignable_v<UniqueBlock>);
static_assert(std::is_nothrow_move_constructible_v<UniqueBlock>);
static_assert(std::is_nothrow_move_assignable_v<UniqueBlock>);

TEST(UniqueBlockTest, DefaultIsEmpty) {
  UniqueBlock b;
  EXPECT_FALSE(b);
  EXPECT_EQ(b.data(), nullptr);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(b.span().empty());
  b.Reset();  // no-op
  EXPECT_FALSE(b);
}

TEST(UniqueBlockTest, DestructionReleasesExactlyOnce) {
  auto p = std::make_unique<TestPool>();
  {
    UniqueBlock b = std::move(p->Acquire()).value();
    ASSERT_TRUE(b);
    EXPECT_EQ(p->stats().in_use, 1u);
  }
  EXPECT_EQ(p->stats().in_use, 0u);
  EXPECT_EQ(p->stats().double_releases, 0u);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(UniqueBlockTest, MoveTransfersOwnershipAndEmptiesTheSource) {
  auto p = std::make_unique<TestPool>();
  UniqueBlock a = std::move(p->Acquire(10)).value();
  std::byte* data = a.data();
  UniqueBlock b(std::move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): the contract under test
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.size(), 10u);
  EXPECT_EQ(b.capacity(), 64u);
  EXPECT_EQ(p->stats().in_use, 1u);
  a.Reset();  // the moved-from handle releases nothing
  EXPECT_EQ(p->stats().in_use, 1u);
  b.Reset();
  EXPECT_EQ(p->stats().in_use, 0u);
  EXPECT_EQ(p->stats().double_releases, 0u);
}

TEST(UniqueBlockTest, MoveAssignmentReleasesTheOverwrittenBlock) {
  auto p = std::make_unique<TestPool>();
  UniqueBlock a = std::move(p->Acquire()).value();
  UniqueBlock b = std::move(p->Acquire()).value();
  EXPECT_EQ(p->stats().in_use, 2u);
  b = std::move(a);
  EXPECT_EQ(p->stats().in_use, 1u);
  b = std::move(b);  // self-move keeps the block
  EXPECT_TRUE(b);
  EXPECT_EQ(p->stats().in_use, 1u);
  b = UniqueBlock();
  EXPECT_EQ(p->stats().in_use, 0u);
}

TEST(UniqueBlockTest, ResetWipesAndEmptiesTheHandle) {
  auto p = std::make_unique<TestPool>();
  UniqueBlock b = std::move(p->Acquire()).value();
  std::memset(b.data(), 0x77, b.size());
  b.Reset();
  EXPECT_FALSE(b);
  EXPECT_EQ(b.data(), nullptr);
  EXPECT_TRUE(b.span().empty());
  b.Reset();  // idempotent
  EXPECT_EQ(p->stats().double_releases, 0u);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(UniqueBlockTest, SpanCoversTheRequestedSize) {
  auto p = std::make_unique<TestPool>();
  UniqueBlock b = std::move(p->Acquire(33)).value();
  EXPECT_EQ(b.span().size(), 33u);
  EXPECT_EQ(b.span().data(), b.data());
}

}  // namespace
}  // namespace pool
