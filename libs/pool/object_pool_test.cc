#include "pool/object_pool.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "gtest/gtest.h"
#include "pool_test_peer.h"

namespace pool {
namespace {

int g_live = 0;

struct Context {
  explicit Context(std::uint32_t id) : id(id) {
    ++g_live;
    std::fill(std::begin(key), std::end(key),
              static_cast<std::uint8_t>(0xA0 | (id & 0xf)));
  }
  ~Context() { --g_live; }
  std::uint32_t id;
  alignas(8) std::uint8_t key[40];
};

using ContextPool = ObjectPool<Context, 3>;
static_assert(!std::is_copy_constructible_v<ObjectPtr<Context>>);
static_assert(std::is_nothrow_move_constructible_v<ObjectPtr<Context>>);

constinit ObjectPool<Context, 2> g_constinit_contexts;

TEST(ObjectPoolTest, ConstinitGlobalWorks) {
  base::Result<ObjectPtr<Context>> c = g_constinit_contexts.Create(7u);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.value()->id, 7u);
  EXPECT_TRUE(g_constinit_contexts.Owns(c.value().get()));
}

TEST(ObjectPoolTest, CreateConstructsInPlaceAndDestroyRunsDestructor) {
  auto p = std::make_unique<ContextPool>();
  g_live = 0;
  {
    base::Result<ObjectPtr<Context>> a = p->Create(1u);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.value()->id, 1u);
    EXPECT_EQ((*a.value()).key[0], 0xA1);
    EXPECT_EQ(
        reinterpret_cast<std::uintptr_t>(a.value().get()) % alignof(Context),
        0u);
    EXPECT_EQ(g_live, 1);
    EXPECT_EQ(p->stats().in_use, 1u);
  }
  EXPECT_EQ(g_live, 0);
  EXPECT_EQ(p->stats().in_use, 0u);
}

TEST(ObjectPoolTest, ExhaustionIsAnError) {
  auto p = std::make_unique<ContextPool>();
  base::Result<ObjectPtr<Context>> a = p->Create(1u);
  base::Result<ObjectPtr<Context>> b = p->Create(2u);
  base::Result<ObjectPtr<Context>> c = p->Create(3u);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  g_live = 3;
  base::Result<ObjectPtr<Context>> d = p->Create(4u);
  EXPECT_EQ(d.status(), Code::kExhausted);
  EXPECT_FALSE(d.value());
  EXPECT_EQ(g_live, 3);  // no constructor ran
  EXPECT_EQ(p->stats().allocation_failures, 1u);
  b.value().Reset();
  base::Result<ObjectPtr<Context>> e = p->Create(5u);
  EXPECT_TRUE(e.ok());
}

TEST(ObjectPoolTest, DestroyedObjectBytesAreWiped) {
  auto p = std::make_unique<ContextPool>();
  base::Result<ObjectPtr<Context>> a = p->Create(9u);
  ASSERT_TRUE(a.ok());
  a.value().Reset();
  const auto storage = PoolTestPeer::Storage(*p);
  EXPECT_EQ(std::count(storage.begin(), storage.end(), std::byte{0xA9}), 0);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(ObjectPoolTest, MoveAndResetReleaseOnce) {
  auto p = std::make_unique<ContextPool>();
  g_live = 0;
  ObjectPtr<Context> a = std::move(p->Create(1u)).value();
  ObjectPtr<Context> b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b->id, 1u);
  ObjectPtr<Context> c = std::move(p->Create(2u)).value();
  c = std::move(b);  // destroys object 2
  EXPECT_EQ(g_live, 1);
  EXPECT_EQ(c->id, 1u);
  c.Reset();
  c.Reset();
  EXPECT_EQ(g_live, 0);
  EXPECT_EQ(p->stats().in_use, 0u);
  EXPECT_EQ(p->stats().double_releases, 0u);
  p->ResetHighWater();
  EXPECT_EQ(p->stats().high_water, 0u);
  EXPECT_EQ(ContextPool::capacity(), 3u);
}

}  // namespace
}  // namespace pool
