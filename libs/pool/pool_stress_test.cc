// Multi-threaded stress on the host: 8 threads hammer shared pools with
// allocate/release (>= 10^7 operations in total) and check that no block is
// ever lost or handed to two owners at once, and that every block comes out
// wiped. Also run under --config=tsan and --config=asan.
#include <algorithm>
#include <array>
#include <atomic>
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

}  // namespace
}  // namespace pool
