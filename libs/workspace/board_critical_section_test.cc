#include "workspace/board_critical_section.h"

#include <cstdint>

#include "gtest/gtest.h"
#include "workspace/spinlock.h"

#if !defined(__arm__)
#include <thread>
#include <vector>
#endif

namespace workspace {
namespace {

#if defined(__arm__)
std::uint32_t ReadCpsr() {
  std::uint32_t cpsr;
  asm volatile("mrs %0, cpsr" : "=r"(cpsr));
  return cpsr;
}
#endif

TEST(SpinlockTest, AcquireRefuseRelease) {
  Spinlock lock;
  EXPECT_FALSE(lock.IsLockedForTesting());
  EXPECT_TRUE(lock.TryLock());
  EXPECT_TRUE(lock.IsLockedForTesting());
  EXPECT_FALSE(lock.TryLock());  // held: refused, not reentrant
  lock.Unlock();
  EXPECT_FALSE(lock.IsLockedForTesting());
  lock.Lock();
  EXPECT_TRUE(lock.IsLockedForTesting());
  EXPECT_FALSE(lock.TryLock());
  lock.Unlock();
  EXPECT_TRUE(lock.TryLock());
  lock.Unlock();
}

TEST(BoardCriticalSectionTest, NestsAndUnwinds) {
  EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 0u);
  {
    base::CriticalSectionGuard outer(SystemCriticalSection());
    EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 1u);
    EXPECT_TRUE(BoardCriticalSection::InterruptsMaskedForTesting());
    {
      base::CriticalSectionGuard inner(
          SystemCriticalSection());  // must not deadlock on the spinlock /
                                     // mutex
      EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 2u);
      EXPECT_TRUE(BoardCriticalSection::InterruptsMaskedForTesting());
    }
    EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 1u);
    EXPECT_TRUE(BoardCriticalSection::InterruptsMaskedForTesting());
  }
  EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 0u);
}

#if defined(__arm__)
// Control bits of CPSR: A, I, F, T and the mode. The condition flags above
// them change with every compare and are not the section's business.
constexpr std::uint32_t kControlBits = 0x1ffu;

// Leaving restores CPSR's control bits exactly as found, so a section entered
// with interrupts masked (as the boards' start-up leaves them) keeps them
// masked, and one entered with them enabled re-enables them.
TEST(BoardCriticalSectionTest, RestoresCpsrExactly) {
  const std::uint32_t before = ReadCpsr();
  {
    base::CriticalSectionGuard cs(SystemCriticalSection());
    EXPECT_EQ(ReadCpsr() & 0xc0u, 0xc0u);           // I and F set inside
    EXPECT_EQ(ReadCpsr() & 0x1fu, before & 0x1fu);  // same mode
  }
  EXPECT_EQ(ReadCpsr() & kControlBits, before & kControlBits);
}

// With FIQ unmasked on entry (no FIQ source is configured on either board,
// so unmasking is harmless), the section masks it and the exit unmasks it
// again: the restore really writes the saved bits back.
TEST(BoardCriticalSectionTest, RestoresAnUnmaskedFiq) {
  const std::uint32_t original = ReadCpsr();
  asm volatile("cpsie f" ::: "memory");
  const std::uint32_t unmasked = ReadCpsr();
  ASSERT_EQ(unmasked & 0x40u, 0u);
  {
    base::CriticalSectionGuard cs(SystemCriticalSection());
    EXPECT_EQ(ReadCpsr() & 0x40u, 0x40u);
  }
  EXPECT_EQ(ReadCpsr() & 0x40u, 0u);
  if (original & 0x40u) asm volatile("cpsid f" ::: "memory");
  EXPECT_EQ(ReadCpsr() & kControlBits, original & kControlBits);
}
#else
// Threads incrementing a plain counter under the lock lose no update.
template <typename Locked>
std::uint64_t CountWithThreads(Locked locked) {
  std::uint64_t counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50'000; ++i) locked([&] { ++counter; });
    });
  }
  for (auto& thread : threads) thread.join();
  return counter;
}

TEST(BoardCriticalSectionTest, ExcludesThreads) {
  EXPECT_EQ(CountWithThreads([](auto fn) {
              base::CriticalSectionGuard cs(SystemCriticalSection());
              fn();
            }),
            200'000u);
}

TEST(SpinlockTest, ExcludesThreads) {
  Spinlock lock;
  EXPECT_EQ(CountWithThreads([&](auto fn) {
              lock.Lock();
              fn();
              lock.Unlock();
            }),
            200'000u);
}

TEST(BoardCriticalSectionTest, DepthIsPerThread) {
  base::CriticalSectionGuard cs(SystemCriticalSection());
  unsigned other_depth = 99;
  // Another thread would block on the mutex; it only reads its own depth.
  std::thread([&] {
    other_depth = BoardCriticalSection::DepthForTesting();
  }).join();
  EXPECT_EQ(other_depth, 0u);
  EXPECT_EQ(BoardCriticalSection::DepthForTesting(), 1u);
}
#endif

}  // namespace
}  // namespace workspace
