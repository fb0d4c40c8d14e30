// The interrupt-receive ring (platforms/common/spsc_ring.h): FIFO order
// across wrap-around of the slots and of the 32-bit indices, every slot
// usable, overruns dropped and counted; on the host also one producer and
// one consumer thread racing.
#include "platforms/common/spsc_ring.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

#if !defined(__arm__)
#include <thread>
#endif

namespace {

using board::internal::SpscRing;

TEST(SpscRingTest, EmptyRingHasNothing) {
  SpscRing<8> ring;
  EXPECT_TRUE(ring.Empty());
  EXPECT_FALSE(ring.Pop().has_value());
  EXPECT_EQ(ring.Pushed(), 0u);
  EXPECT_EQ(ring.Dropped(), 0u);
}

TEST(SpscRingTest, KeepsOrderAcrossManyWrapArounds) {
  SpscRing<16> ring;
  std::uint32_t next_in = 0;
  std::uint32_t next_out = 0;
  // Uneven batches so the fill level and the slot positions vary.
  for (int round = 0; round < 1000; ++round) {
    const int in = 1 + round % 13;
    for (int i = 0; i < in && ring.Size() < 16; ++i) {
      ASSERT_TRUE(ring.Push(static_cast<std::uint8_t>(next_in++)));
    }
    const int out = 1 + (round * 7) % 11;
    for (int i = 0; i < out; ++i) {
      const auto byte = ring.Pop();
      if (!byte.has_value()) break;
      ASSERT_EQ(*byte, static_cast<std::uint8_t>(next_out++));
    }
  }
  while (const auto byte = ring.Pop()) {
    ASSERT_EQ(*byte, static_cast<std::uint8_t>(next_out++));
  }
  EXPECT_EQ(next_out, next_in);
  EXPECT_GT(next_in, 16u * 100);  // wrapped around many times
  EXPECT_EQ(ring.Pushed(), next_in);
  EXPECT_EQ(ring.Dropped(), 0u);
}

TEST(SpscRingTest, EverySlotIsUsableThenOverrunsAreCounted) {
  SpscRing<8> ring;
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(ring.Full());
    EXPECT_TRUE(ring.Push(static_cast<std::uint8_t>(i)));
  }
  EXPECT_EQ(ring.Size(), 8u);
  EXPECT_TRUE(ring.Full());
  EXPECT_FALSE(ring.Push(100));
  EXPECT_FALSE(ring.Push(101));
  EXPECT_EQ(ring.Dropped(), 2u);
  EXPECT_EQ(ring.Pushed(), 8u);
  // The dropped bytes are not in the ring; the kept ones are intact.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(ring.Pop(), i);
  EXPECT_FALSE(ring.Full());
  EXPECT_FALSE(ring.Pop().has_value());
  // Room again: taken, and the drop count stays.
  EXPECT_TRUE(ring.Push(7));
  EXPECT_EQ(ring.Pop(), 7);
  EXPECT_EQ(ring.Dropped(), 2u);
}

TEST(SpscRingTest, IndicesWrapPastTwoToThe32) {
  SpscRing<4> ring(0xffff'fffdu);  // three pushes from the 32-bit wrap
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(ring.Push(static_cast<std::uint8_t>(10 * round + i)));
    }
    EXPECT_EQ(ring.Size(), 4u);
    EXPECT_FALSE(ring.Push(0xee));  // full, also across the wrap
    for (int i = 0; i < 4; ++i) {
      ASSERT_EQ(ring.Pop(), 10 * round + i);
    }
    EXPECT_TRUE(ring.Empty());
  }
  EXPECT_EQ(ring.Dropped(), 4u);
}

#if !defined(__arm__)
TEST(SpscRingTest, ProducerAndConsumerThreads) {
  static SpscRing<64> ring;
  constexpr std::uint32_t kBytes = 1'000'000;
  std::thread producer([] {
    for (std::uint32_t i = 0; i < kBytes;) {
      if (ring.Push(static_cast<std::uint8_t>(i * 31 + (i >> 8)))) ++i;
    }
  });
  std::uint32_t received = 0;
  std::uint32_t wrong = 0;
  while (received < kBytes) {
    if (const auto byte = ring.Pop()) {
      if (*byte != static_cast<std::uint8_t>(received * 31 + (received >> 8))) {
        ++wrong;
      }
      ++received;
    }
  }
  producer.join();
  EXPECT_EQ(wrong, 0u);
  EXPECT_TRUE(ring.Empty());
}
#endif

}  // namespace
