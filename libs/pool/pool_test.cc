#include "pool/pool.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "base/cache_line.h"
#include "gtest/gtest.h"
#include "pool_test_peer.h"

namespace pool {
namespace {

using SmallPool = Pool<64, 8, 16>;  // a bitmap pool
// More blocks than a machine word has bits: the Treiber-stack list pool.
using ListPool = Pool<64, 72, 16>;
static_assert(SmallPool::kBitmap);
static_assert(!ListPool::kBitmap);

// A constinit global: compiles only if the pool is constant-initialised
// (no static initialiser), and starts out with every block free.
constinit Pool<32, 4, 8> g_constinit_pool;

bool AllZero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](std::byte b) { return b == std::byte{0}; });
}

TEST(PoolTest, ConstinitGlobalStartsAllFree) {
  EXPECT_EQ(g_constinit_pool.stats().in_use, 0u);
  EXPECT_EQ(g_constinit_pool.CheckInvariants(Check::kStructureAndWipe),
            base::OkStatus());
  std::array<void*, 4> blocks{};
  for (void*& b : blocks) {
    b = g_constinit_pool.Allocate();
    ASSERT_NE(b, nullptr);
  }
  EXPECT_EQ(g_constinit_pool.Allocate(), nullptr);
  for (void* b : blocks)
    EXPECT_EQ(g_constinit_pool.Release(b), base::OkStatus());
  EXPECT_EQ(g_constinit_pool.CheckInvariants(Check::kStructureAndWipe),
            base::OkStatus());
}

TEST(PoolTest, GeometryHasNoPerBlockOverhead) {
  EXPECT_EQ(SmallPool::block_size(), 64u);
  EXPECT_EQ(SmallPool::capacity(), 8u);
  // Non-multiple sizes round up to the alignment; tiny ones to the link word.
  EXPECT_EQ((Pool<24, 3, 16>::block_size()), 32u);
  EXPECT_EQ((Pool<1, 3, 1>::block_size()), 4u);
  // Everything but the blocks themselves: head line, counters, 1 byte/block.
  EXPECT_EQ(SmallPool::metadata_bytes() + 8 * 64, sizeof(SmallPool));
  EXPECT_LE(SmallPool::metadata_bytes(), 2 * base::kCacheLineBytes + 8);
}

TEST(PoolTest, HighWaterWordFollowsTheAllocationWord) {
  auto p = std::make_unique<SmallPool>();
  EXPECT_EQ(PoolTestPeer::HighWaterOffset(*p),
            static_cast<std::ptrdiff_t>(sizeof(void*)));
}

TEST(PoolTest, AllocatesEveryBlockOnceAlignedContiguousAndZero) {
  auto p = std::make_unique<SmallPool>();
  std::array<std::uintptr_t, 8> addresses{};
  for (auto& a : addresses) {
    void* block = p->Allocate();
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % 16, 0u);
    EXPECT_TRUE(
        AllZero({static_cast<const std::byte*>(block), 64}));  // never used
    EXPECT_TRUE(p->Owns(block));
    a = reinterpret_cast<std::uintptr_t>(block);
  }
  std::sort(addresses.begin(), addresses.end());
  for (std::size_t i = 1; i < addresses.size(); ++i) {
    // Blocks are exactly one stride apart: no header between them.
    EXPECT_EQ(addresses[i] - addresses[i - 1], 64u);
  }
  EXPECT_EQ(p->stats().in_use, 8u);
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
}

TEST(PoolTest, ExhaustionReturnsNullAndCountsFailures) {
  auto p = std::make_unique<SmallPool>();
  std::array<void*, 8> blocks{};
  for (void*& b : blocks) b = p->Allocate();
  base::Status error;
  EXPECT_EQ(p->Allocate(error), nullptr);
  EXPECT_EQ(error, Code::kExhausted);
  EXPECT_EQ(p->Allocate(), nullptr);
  EXPECT_EQ(p->stats().allocation_failures, 2u);
  EXPECT_EQ(p->Release(blocks[3]), base::OkStatus());
  EXPECT_EQ(p->Allocate(), blocks[3]);  // LIFO: the block just released
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
}

TEST(PoolTest, ReleasedBlockComesBackZeroed) {
  auto p = std::make_unique<SmallPool>();
  auto* block = static_cast<std::byte*>(p->Allocate());
  ASSERT_NE(block, nullptr);
  std::memset(block, 0xA5, 64);
  ASSERT_EQ(p->Release(block), base::OkStatus());
  auto* again = static_cast<std::byte*>(p->Allocate());
  ASSERT_EQ(again, block);
  // Wiped; a bitmap pool keeps no link in free blocks: all 64 bytes zero.
  EXPECT_TRUE(AllZero({again, 64}));
  ASSERT_EQ(p->Release(again), base::OkStatus());
}

TEST(PoolTest, ListPoolReleasedBlockComesBackZeroedButForItsLink) {
  auto p = std::make_unique<ListPool>();
  auto* block = static_cast<std::byte*>(p->Allocate());
  ASSERT_NE(block, nullptr);
  std::memset(block, 0xA5, 64);
  ASSERT_EQ(p->Release(block), base::OkStatus());
  auto* again = static_cast<std::byte*>(p->Allocate());
  ASSERT_EQ(again, block);
  // Wiped; the first word holds only the stale free-list link.
  EXPECT_TRUE(AllZero({again + 4, 60}));
  std::uint32_t link;
  std::memcpy(&link, again, sizeof link);
  EXPECT_NE(link, 0xA5A5A5A5u);
}

TEST(PoolTest, ReleaseWipesTheBlockInStorage) {
  auto p = std::make_unique<SmallPool>();
  auto* block = static_cast<std::byte*>(p->Allocate());
  ASSERT_NE(block, nullptr);
  const std::size_t offset =
      static_cast<std::size_t>(block - PoolTestPeer::Storage(*p).data());
  std::memset(block, 0x5C, 64);
  ASSERT_EQ(p->Release(block), base::OkStatus());
  // Read through the pool's storage, not through the released pointer.
  const auto bytes = PoolTestPeer::Storage(*p).subspan(offset, 64);
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), std::byte{0x5C}), 0);
  EXPECT_TRUE(AllZero(bytes));  // bitmap pool: no link word either
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(PoolTest, ForeignPointersAreRefusedAndCounted) {
  auto p = std::make_unique<SmallPool>();
  auto* block = static_cast<std::byte*>(p->Allocate());
  ASSERT_NE(block, nullptr);
  std::array<std::byte, 64> outside{};
  SmallPool other;
  void* other_block = other.Allocate();
  EXPECT_EQ(p->Release(outside.data()), Code::kForeignPointer);
  EXPECT_EQ(p->Release(nullptr), Code::kForeignPointer);
  EXPECT_EQ(p->Release(block + 1), Code::kForeignPointer);  // interior
  auto* first = const_cast<std::byte*>(PoolTestPeer::Storage(*p).data());
  EXPECT_EQ(p->Release(first + 8 * 64),
            Code::kForeignPointer);                          // one past the end
  EXPECT_EQ(p->Release(first - 64), Code::kForeignPointer);  // before the start
  EXPECT_EQ(p->Release(other_block), Code::kForeignPointer);  // another pool's
  EXPECT_FALSE(p->Owns(outside.data()));
  EXPECT_FALSE(p->Owns(block + 1));
  const PoolStats s = p->stats();
  EXPECT_EQ(s.foreign_releases, 6u);
  EXPECT_EQ(s.in_use, 1u);
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
  EXPECT_EQ(p->Release(block), base::OkStatus());
  EXPECT_EQ(other.Release(other_block), base::OkStatus());
}

TEST(PoolTest, NonPowerOfTwoStrideChecksInteriorPointers) {
  Pool<24, 5, 8> p;  // stride 24
  auto* a = static_cast<std::byte*>(p.Allocate());
  auto* b = static_cast<std::byte*>(p.Allocate());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(p.Release(a + 8), Code::kForeignPointer);
  EXPECT_EQ(p.Release(a + 16), Code::kForeignPointer);
  EXPECT_EQ(p.Release(b), base::OkStatus());
  EXPECT_EQ(p.Release(a), base::OkStatus());
  EXPECT_EQ(p.CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(PoolTest, DoubleReleaseIsRefusedAndLeavesTheListIntact) {
  auto p = std::make_unique<SmallPool>();
  void* a = p->Allocate();
  void* b = p->Allocate();
  ASSERT_EQ(p->Release(a), base::OkStatus());
  EXPECT_EQ(p->Release(a), Code::kNotAllocated);
  EXPECT_EQ(p->Release(a), Code::kNotAllocated);
  // A block never allocated.
  void* never = nullptr;
  for (std::size_t i = 0; i < 8 && never == nullptr; ++i) {
    auto* candidate =
        const_cast<std::byte*>(PoolTestPeer::Storage(*p).data()) + i * 64;
    if (candidate != a && candidate != b) never = candidate;
  }
  EXPECT_EQ(p->Release(never), Code::kNotAllocated);
  EXPECT_EQ(p->stats().double_releases, 3u);
  EXPECT_EQ(p->stats().in_use, 1u);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  // Every block is still handed out exactly once.
  std::array<void*, 7> rest{};
  for (void*& r : rest) {
    r = p->Allocate();
    ASSERT_NE(r, nullptr);
    EXPECT_NE(r, b);
  }
  std::sort(rest.begin(), rest.end());
  EXPECT_EQ(std::adjacent_find(rest.begin(), rest.end()), rest.end());
  EXPECT_EQ(p->Allocate(), nullptr);
}

TEST(PoolTest, StatsTrackInUseAndResettableHighWater) {
  auto p = std::make_unique<SmallPool>();
  void* a = p->Allocate();
  void* b = p->Allocate();
  void* c = p->Allocate();
  EXPECT_EQ(p->stats().in_use, 3u);
  EXPECT_EQ(p->stats().high_water, 3u);
  ASSERT_EQ(p->Release(b), base::OkStatus());
  ASSERT_EQ(p->Release(c), base::OkStatus());
  EXPECT_EQ(p->stats().in_use, 1u);
  EXPECT_EQ(p->stats().high_water, 3u);
  p->ResetHighWater();
  EXPECT_EQ(p->stats().high_water, 1u);
  void* d = p->Allocate();
  EXPECT_EQ(p->stats().high_water, 2u);
  const PoolStats s = p->stats();
  EXPECT_EQ(s.block_size, 64u);
  EXPECT_EQ(s.capacity, 8u);
  EXPECT_EQ(s.allocation_failures, 0u);
  EXPECT_EQ(s.corruptions, 0u);
  ASSERT_EQ(p->Release(a), base::OkStatus());
  ASSERT_EQ(p->Release(d), base::OkStatus());
  EXPECT_EQ(p->stats().in_use, 0u);
}

TEST(PoolTest, AcquireReturnsOwningHandleAndValidatesSize) {
  auto p = std::make_unique<SmallPool>();
  {
    base::Result<UniqueBlock> r = p->Acquire(40);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().size(), 40u);
    EXPECT_EQ(r.value().capacity(), 64u);
    EXPECT_TRUE(p->Owns(r.value().data()));
    EXPECT_EQ(p->stats().in_use, 1u);
    base::Result<UniqueBlock> whole = p->Acquire();
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(whole.value().size(), 64u);
    EXPECT_EQ(p->stats().in_use, 2u);
  }
  EXPECT_EQ(p->stats().in_use, 0u);
  EXPECT_EQ(p->Acquire(0).status(), Code::kZeroSize);
  EXPECT_EQ(p->Acquire(65).status(), Code::kSizeUnsupported);
  std::array<void*, 8> all{};
  for (void*& b : all) b = p->Allocate();
  base::Result<UniqueBlock> none = p->Acquire();
  EXPECT_EQ(none.status(), Code::kExhausted);
  EXPECT_FALSE(none.value());
  for (void* b : all) EXPECT_EQ(p->Release(b), base::OkStatus());
}

TEST(PoolTest, CorruptedLinkIsDetectedNotFollowed) {
  auto p = std::make_unique<ListPool>();
  const std::size_t head = PoolTestPeer::HeadIndex(*p);
  // The head block's link now points far outside the pool.
  PoolTestPeer::WriteLink(*p, head, 0x7fff0000u);
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  base::Status error;
  EXPECT_EQ(p->Allocate(error), nullptr);
  EXPECT_EQ(error, Code::kCorrupted);
  EXPECT_EQ(p->stats().corruptions, 1u);
  EXPECT_EQ(p->stats().in_use, 0u);  // nothing was popped
}

TEST(PoolTest, InvariantCheckerFindsCyclesAndUnwipedBlocks) {
  auto p = std::make_unique<ListPool>();
  // Block 2's link made to point back to block 0: 0 -> 1 -> 2 -> 0 ...
  PoolTestPeer::WriteLink(*p, 2, static_cast<std::uint32_t>(0 - 2 - 1));
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  PoolTestPeer::WriteLink(*p, 2, 0);  // repaired
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  // A non-zero byte left in a free block: the structure is fine, the wipe
  // invariant is not.
  PoolTestPeer::WriteByte(*p, 5 * 64 + 17, std::byte{1});  // block 5 is free
  EXPECT_EQ(p->CheckInvariants(Check::kStructure), base::OkStatus());
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), Code::kCorrupted);
}

// Regression: a link to block 0 is the negative delta -(i + 1), which an
// off-by-one bounds check once took for corruption.
TEST(PoolTest, LinkBackToBlockZeroIsValid) {
  auto p = std::make_unique<ListPool>();
  void* b0 = p->Allocate();
  void* b1 = p->Allocate();
  ASSERT_EQ(p->Release(b0), base::OkStatus());
  ASSERT_EQ(p->Release(b1), base::OkStatus());  // head 1 -> 0 -> 2 -> ...
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
  EXPECT_EQ(p->Allocate(), b1);
  EXPECT_EQ(p->Allocate(), b0);
  EXPECT_EQ(p->stats().corruptions, 0u);
}

TEST(PoolTest, BitmapInvariantCheckerFindsBadMapsAndUnwipedBlocks) {
  auto p = std::make_unique<SmallPool>();
  void* a = p->Allocate();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  // A bit outside the 8 blocks' region of the map word.
  const std::uint64_t saved = PoolTestPeer::Map(*p);
  PoolTestPeer::WriteMap(*p, saved | 1u);
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  // More blocks marked allocated than the high-water mark allows.
  PoolTestPeer::WriteMap(*p, saved | (saved << 1) | (saved << 2));
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  PoolTestPeer::WriteMap(*p, saved);  // repaired
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  // A non-zero byte anywhere in a free block, even its first one.
  const auto storage = PoolTestPeer::Storage(*p);
  const std::size_t free_block = storage.data() == a ? 64 : 0;
  PoolTestPeer::WriteByte(*p, free_block, std::byte{1});
  EXPECT_EQ(p->CheckInvariants(Check::kStructure), base::OkStatus());
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), Code::kCorrupted);
  PoolTestPeer::WriteByte(*p, free_block, std::byte{0});
  // Bytes of an allocated block are the owner's business.
  static_cast<std::byte*>(a)[0] = std::byte{1};
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  EXPECT_EQ(p->Release(a), base::OkStatus());
}

// The largest bitmap pool: every bit of the map word is a block, so a full
// pool is the all-ones word (the "+1 wraps to 0" empty test).
TEST(PoolTest, FullWordBitmapPool) {
  constexpr std::size_t kBits = 8 * sizeof(void*);
  auto p = std::make_unique<Pool<16, kBits, 16>>();
  static_assert(Pool<16, kBits, 16>::kBitmap);
  std::vector<void*> all;
  for (std::size_t i = 0; i < kBits; ++i) {
    all.push_back(p->Allocate());
    ASSERT_NE(all.back(), nullptr);
    EXPECT_EQ(p->stats().high_water, i + 1);
  }
  base::Status error;
  EXPECT_EQ(p->Allocate(error), nullptr);
  EXPECT_EQ(error, Code::kExhausted);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
  for (void* b : all) EXPECT_EQ(p->Release(b), base::OkStatus());
  for (void* b : all) EXPECT_EQ(p->Release(b), Code::kNotAllocated);
  EXPECT_EQ(p->stats().double_releases, kBits);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

// High water stays exact in a fragmented bitmap pool, where blocks are held
// far above the lowest free one (the slow path of the high-water check).
TEST(PoolTest, HighWaterExactWhenFragmented) {
  auto p = std::make_unique<SmallPool>();
  std::array<void*, 8> all{};
  for (void*& b : all) b = p->Allocate();
  for (std::size_t i = 0; i < 7; ++i)
    ASSERT_EQ(p->Release(all[i]), base::OkStatus());
  p->ResetHighWater();
  EXPECT_EQ(p->stats().high_water, 1u);
  void* x = p->Allocate();
  EXPECT_EQ(p->stats().high_water, 2u);
  void* y = p->Allocate();
  EXPECT_EQ(p->stats().high_water, 3u);
  ASSERT_EQ(p->Release(x), base::OkStatus());
  void* z = p->Allocate();
  EXPECT_EQ(p->stats().high_water, 3u);
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
  for (void* b : {y, z, all[7]}) EXPECT_EQ(p->Release(b), base::OkStatus());
}

TEST(PoolTest, LocalPoolHasTheSameChecks) {
  auto p = std::make_unique<LocalPool<64, 8, 16>>();
  auto* a = static_cast<std::byte*>(p->Allocate());
  ASSERT_NE(a, nullptr);
  std::memset(a, 0x77, 64);
  EXPECT_EQ(p->Release(a + 1), Code::kForeignPointer);
  EXPECT_EQ(p->Release(a), base::OkStatus());
  EXPECT_TRUE(AllZero(PoolTestPeer::Storage(*p)));
  EXPECT_EQ(p->Release(a), Code::kNotAllocated);
  std::array<void*, 8> all{};
  for (void*& b : all) b = p->Allocate();
  EXPECT_EQ(p->Allocate(), nullptr);
  {
    base::Result<UniqueBlock> none = p->Acquire();
    EXPECT_EQ(none.status(), Code::kExhausted);
  }
  for (void* b : all) EXPECT_EQ(p->Release(b), base::OkStatus());
  {
    base::Result<UniqueBlock> h = p->Acquire(10);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(p->stats().in_use, 1u);
  }
  const PoolStats s = p->stats();
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.high_water, 8u);
  EXPECT_EQ(s.allocation_failures, 2u);
  EXPECT_EQ(s.foreign_releases, 1u);
  EXPECT_EQ(s.double_releases, 1u);
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(PoolTest, SingleBlockPool) {
  Pool<8, 1, 4> p;
  void* a = p.Allocate();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(p.Allocate(), nullptr);
  EXPECT_EQ(p.Release(a), base::OkStatus());
  EXPECT_EQ(p.Allocate(), a);
  EXPECT_EQ(p.Release(a), base::OkStatus());
  EXPECT_EQ(p.CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

// The race of two releases of one block, forced deterministically: the
// second release runs between the first one's claim and the end of its
// wipe (as an interrupt handler or another core could). Exactly one
// succeeds; the other is refused and counted; no allocation gets the block
// while it is being wiped.
template <typename P>
void SecondReleaseInsideTheFirst(P& p) {
  void* a = p.Allocate();
  ASSERT_NE(a, nullptr);
  std::memset(a, 0xa5, P::block_size());
  const PoolStats before = p.stats();
  auto claimed = PoolTestPeer::BeginRelease(p, a);
  ASSERT_TRUE(claimed.held);
  int successes = 1;  // the release in progress
  // Inside the window:
  const base::Status second = p.Release(a);
  if (second.ok()) ++successes;
  EXPECT_EQ(second, Code::kNotAllocated);
  EXPECT_EQ(p.stats().double_releases, before.double_releases + 1);
  EXPECT_FALSE(PoolTestPeer::BeginRelease(p, a).held);  // nor a third claim
  std::vector<void*> others;
  for (void* b = p.Allocate(); b != nullptr; b = p.Allocate()) {
    EXPECT_NE(b, a) << "block handed out while being wiped";
    others.push_back(b);
  }
  EXPECT_EQ(others.size(), P::capacity() - 1);
  // The first release ends: the block is free again, once.
  EXPECT_EQ(PoolTestPeer::EndRelease(p, a, claimed), base::OkStatus());
  EXPECT_EQ(successes, 1);
  EXPECT_EQ(p.stats().in_use, P::capacity() - 1);
  void* again = p.Allocate();
  EXPECT_EQ(again, a);
  EXPECT_EQ(p.Allocate(), nullptr);
  others.push_back(again);
  for (void* b : others) EXPECT_EQ(p.Release(b), base::OkStatus());
  EXPECT_EQ(p.Release(a), Code::kNotAllocated);
  EXPECT_EQ(p.stats().in_use, 0u);
  EXPECT_EQ(p.CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(PoolTest, RacingReleasesOneWinnerBitmapPool) {
  auto p = std::make_unique<SmallPool>();
  SecondReleaseInsideTheFirst(*p);
}

TEST(PoolTest, RacingReleasesOneWinnerFullWordBitmapPool) {
  auto p = std::make_unique<Pool<16, internal::kWordBits, 16>>();
  SecondReleaseInsideTheFirst(*p);
}

TEST(PoolTest, RacingReleasesOneWinnerLocalPool) {
  auto p = std::make_unique<LocalPool<64, 8, 16>>();
  SecondReleaseInsideTheFirst(*p);
}

TEST(PoolTest, RacingReleasesOneWinnerListPool) {
  auto p = std::make_unique<ListPool>();
  SecondReleaseInsideTheFirst(*p);
}

TEST(PoolTest, BitmapInvariantCheckerFindsBadClaimWords) {
  auto p = std::make_unique<SmallPool>();
  void* a = p->Allocate();
  ASSERT_NE(a, nullptr);
  const auto used = static_cast<std::size_t>(static_cast<const std::byte*>(a) -
                                             PoolTestPeer::Storage(*p).data()) /
                    SmallPool::block_size();
  const std::size_t free = used == 0 ? 1 : 0;
  EXPECT_EQ(p->CheckInvariants(), base::OkStatus());
  PoolTestPeer::WriteClaim(*p, free, 0x1234);  // a free block with a claim
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  PoolTestPeer::WriteClaim(*p, free, 0);
  PoolTestPeer::WriteClaim(*p, used, 0);  // an allocated block without one
  EXPECT_EQ(p->CheckInvariants(), Code::kCorrupted);
  // ... which a release then refuses rather than freeing twice.
  EXPECT_EQ(p->Release(a), Code::kNotAllocated);
}

}  // namespace
}  // namespace pool
