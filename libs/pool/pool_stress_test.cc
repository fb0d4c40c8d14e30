// Multi-threaded stress on the host: 8 threads hammer shared pools with
// allocate/release (>= 10^7 operations in total) and check that no block is
// ever lost or handed to two owners at once, and that every block comes out
// wiped. Also run under --config=tsan and --config=asan.
#include <algorithm>
#include <array>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "pool/pool.h"

namespace pool {
namespace {

constexpr int kThreads = 8;
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
// Sanitizers run 5-20x slower: 2 tests x 8 threads x 625k = 10^7 in total.
constexpr std::uint64_t kOpsPerThread = 625'000;
#else
constexpr std::uint64_t kOpsPerThread = 1'000'000;
#endif
constexpr int kHeldPerThread =
    3;  // 8 x 3 = 24 wanted from 16 blocks: contention

template <typename P>
void Stress(P& p, std::uint64_t ops_per_thread) {
  constexpr std::size_t kBytes = P::block_size();
  std::atomic<std::uint64_t> total_ops{0};
  std::atomic<std::uint64_t> failures_seen{0};
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      std::array<std::byte*, kHeldPerThread> held{};
      std::array<std::uint64_t, kHeldPerThread> tag{};
      std::uint64_t ops = 0, failures = 0, serial = 0;
      std::uint32_t rng = 0x9E3779B9u * static_cast<std::uint32_t>(t + 1);
      while (ops < ops_per_thread) {
        rng ^= rng << 13;
        rng ^= rng >> 17;
        rng ^= rng << 5;
        const int slot = static_cast<int>(rng % kHeldPerThread);
        if (held[slot] == nullptr) {
          auto* b = static_cast<std::byte*>(p.Allocate());
          ++ops;
          if (b == nullptr) {
            ++failures;
            continue;
          }
          // Wiped on release: everything after the link word is zero.
          for (std::size_t i = 4; i < kBytes; ++i) {
            if (b[i] != std::byte{0}) errors.fetch_add(1);
          }
          // Stamp the whole block with owner and serial: a block handed to
          // two owners at once gets its stamp overwritten.
          const std::uint64_t stamp =
              (static_cast<std::uint64_t>(t) << 56) | ++serial;
          for (std::size_t i = 0; i < kBytes; i += 8)
            std::memcpy(b + i, &stamp, 8);
          held[slot] = b;
          tag[slot] = stamp;
        } else {
          std::byte* b = held[slot];
          for (std::size_t i = 0; i < kBytes; i += 8) {
            std::uint64_t v;
            std::memcpy(&v, b + i, 8);
            if (v != tag[slot]) errors.fetch_add(1);
          }
          if (p.Release(b) != base::OkStatus()) errors.fetch_add(1);
          ++ops;
          held[slot] = nullptr;
        }
      }
      for (std::byte* b : held) {
        if (b != nullptr && p.Release(b) != base::OkStatus())
          errors.fetch_add(1);
      }
      total_ops.fetch_add(ops);
      failures_seen.fetch_add(failures);
    });
  }
  go.store(true, std::memory_order_release);
  for (auto& th : threads) th.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(total_ops.load(),
            static_cast<std::uint64_t>(kThreads) * ops_per_thread);
  const PoolStats s = p.stats();
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.allocation_failures, failures_seen.load());
  EXPECT_EQ(s.double_releases, 0u);
  EXPECT_EQ(s.foreign_releases, 0u);
  EXPECT_EQ(s.corruptions, 0u);
  // 8 threads x 3 held: pools of up to 24 blocks are driven to exhaustion.
  if (P::capacity() <= kThreads * kHeldPerThread) {
    EXPECT_EQ(s.high_water, P::capacity());
  } else {
    EXPECT_LE(s.high_water,
              static_cast<std::size_t>(kThreads * kHeldPerThread));
  }
  EXPECT_EQ(p.CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  // Nothing lost: every block can be allocated once more, and only once.
  std::vector<void*> all;
  for (std::size_t i = 0; i < P::capacity(); ++i) {
    void* b = p.Allocate();
    ASSERT_NE(b, nullptr);
    all.push_back(b);
  }
  EXPECT_EQ(p.Allocate(), nullptr);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  for (void* b : all) EXPECT_EQ(p.Release(b), base::OkStatus());
}

TEST(PoolStressTest, EightThreadsKeyClass) {
  auto p = std::make_unique<Pool<64, 16, 16>>();
  Stress(*p, kOpsPerThread);
}

TEST(PoolStressTest, EightThreadsSmallMessageClass) {
  auto p = std::make_unique<Pool<256, 16, 16>>();
  Stress(*p, kOpsPerThread);
}

// More blocks than a word has bits: the Treiber-stack list pool (ABA tags,
// stale link reads).
TEST(PoolStressTest, EightThreadsListPool) {
  auto p = std::make_unique<Pool<64, 72, 16>>();
  static_assert(!Pool<64, 72, 16>::kBitmap);
  Stress(*p, kOpsPerThread / 2);
}

// Racing releases of the same blocks from several threads, round after
// round: of the releases of one allocated block exactly one succeeds and
// the others are refused and counted; then all threads allocate at once and
// each writes its id into its blocks: no block has two owners, none is lost.
template <typename P>
void RacingReleases(P& p, int rounds) {
  constexpr int kRacers = 3;
  constexpr std::size_t kCount = P::capacity();
  std::array<void*, kCount> published{};
  std::array<std::atomic<int>, kCount> successes{};
  std::atomic<int> wrong_winners{0};
  std::atomic<int> owner_clashes{0};
  std::atomic<std::size_t> owned_total{0};
  std::atomic<int> lost_or_extra{0};
  std::barrier sync(kRacers);
  std::vector<std::thread> threads;
  for (int t = 0; t < kRacers; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::byte*> mine;
      for (int round = 0; round < rounds; ++round) {
        if (t == 0) {
          for (auto& b : published) b = p.Allocate();
        }
        sync.arrive_and_wait();
        // Every thread releases every block, each from its own start.
        for (std::size_t i = 0; i < kCount; ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t) * 5) % kCount;
          if (p.Release(published[k]).ok()) successes[k].fetch_add(1);
        }
        sync.arrive_and_wait();
        if (t == 0) {
          for (auto& s : successes) {
            if (s.exchange(0) != 1) wrong_winners.fetch_add(1);
          }
        }
        // All allocate at once; each stamps its blocks with its id.
        const std::uint64_t id =
            static_cast<std::uint64_t>(round) * kRacers + t + 1;
        for (void* b = p.Allocate(); b != nullptr; b = p.Allocate()) {
          std::memcpy(b, &id, sizeof id);
          mine.push_back(static_cast<std::byte*>(b));
        }
        owned_total.fetch_add(mine.size());
        sync.arrive_and_wait();
        for (std::byte* b : mine) {
          std::uint64_t seen;
          std::memcpy(&seen, b, sizeof seen);
          if (seen != id) owner_clashes.fetch_add(1);
        }
        if (t == 0 && owned_total.exchange(0) != kCount) {
          lost_or_extra.fetch_add(1);
        }
        sync.arrive_and_wait();
        for (std::byte* b : mine) {
          if (!p.Release(b).ok()) owner_clashes.fetch_add(1);
        }
        mine.clear();
        sync.arrive_and_wait();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong_winners.load(), 0);
  EXPECT_EQ(owner_clashes.load(), 0);
  EXPECT_EQ(lost_or_extra.load(), 0);
  const PoolStats s = p.stats();
  EXPECT_EQ(s.double_releases,
            static_cast<std::uint64_t>(rounds) * kCount * (kRacers - 1));
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(p.CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
}

TEST(PoolStressTest, RacingReleasesBitmapPool) {
  auto p = std::make_unique<Pool<64, 16, 16>>();
  RacingReleases(*p, 4000);
}

TEST(PoolStressTest, RacingReleasesListPool) {
  auto p = std::make_unique<Pool<64, 72, 16>>();
  RacingReleases(*p, 1000);
}

}  // namespace
}  // namespace pool
