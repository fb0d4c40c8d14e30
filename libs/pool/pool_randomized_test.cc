// Randomised allocate/release sequences, interleaved with invalid releases,
// checked against a model and by the invariant checker.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

#include "gtest/gtest.h"
#include "pool/pool.h"
#include "pool_test_peer.h"

namespace pool {
namespace {

#if defined(__arm__)
constexpr int kSteps = 3000;  // QEMU: ~50-100x slower than the host
#elif defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kSteps = 15000;  // sanitizers: 5-20x slower
#else
constexpr int kSteps = 60000;
#endif

// xorshift32: deterministic, seedable, no library state.
struct Rng {
  std::uint32_t state;
  std::uint32_t Next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
  std::uint32_t Below(std::uint32_t n) { return Next() % n; }
};

template <typename P>
void RunRandomized(std::uint32_t seed) {
  constexpr std::size_t kCount = P::capacity();
  constexpr std::size_t kBytes = P::block_size();
  auto p = std::make_unique<P>();
  Rng rng{seed};
  std::array<std::byte*, kCount> held{};
  std::array<std::uint32_t, kCount> stamp{};
  std::size_t held_count = 0;
  std::uint32_t expected_failures = 0, expected_foreign = 0,
                expected_double = 0;
  std::size_t high_water = 0;
  std::byte* last_released = nullptr;

  for (int step = 0; step < kSteps; ++step) {
    const std::uint32_t action = rng.Below(100);
    if (action < 50) {
      base::Status error;
      std::byte* b = static_cast<std::byte*>(p->Allocate(error));
      if (held_count == kCount) {
        ASSERT_EQ(b, nullptr);
        ++expected_failures;
        continue;
      }
      ASSERT_NE(b, nullptr)
          << "step " << step << ": " << base::StatusName<Code>(error);
      ASSERT_TRUE(p->Owns(b));
      for (std::size_t i = 0; i < held_count; ++i)
        ASSERT_NE(held[i], b) << "block handed out twice";
      for (std::size_t i = 4; i < kBytes; ++i)
        ASSERT_EQ(b[i], std::byte{0}) << "not wiped";
      const std::uint32_t s = rng.Next();
      for (std::size_t i = 0; i < kBytes; i += 4) std::memcpy(b + i, &s, 4);
      held[held_count] = b;
      stamp[held_count] = s;
      ++held_count;
      if (held_count > high_water) high_water = held_count;
    } else if (action < 90) {
      if (held_count == 0) continue;
      const std::size_t k = rng.Below(static_cast<std::uint32_t>(held_count));
      std::byte* b = held[k];
      for (std::size_t i = 0; i < kBytes; i += 4) {
        std::uint32_t v;
        std::memcpy(&v, b + i, 4);
        ASSERT_EQ(v, stamp[k]) << "block contents disturbed while allocated";
      }
      ASSERT_EQ(p->Release(b), base::OkStatus());
      last_released = b;
      held[k] = held[held_count - 1];
      stamp[k] = stamp[held_count - 1];
      --held_count;
    } else if (action < 95) {
      // Double release of the last released block, unless it was reused.
      bool reused = false;
      for (std::size_t i = 0; i < held_count; ++i)
        reused = reused || held[i] == last_released;
      if (last_released == nullptr || reused) continue;
      ASSERT_EQ(p->Release(last_released), Code::kNotAllocated);
      ++expected_double;
    } else {
      // A foreign pointer: inside the storage but not at a block start, or
      // outside it.
      const auto storage = PoolTestPeer::Storage(*p);
      const std::byte* bad =
          rng.Below(2) == 0 ? storage.data() + rng.Below(kCount) * kBytes + 1 +
                                  rng.Below(kBytes - 1)
                            : storage.data() + storage.size() + rng.Below(4096);
      ASSERT_EQ(p->Release(const_cast<std::byte*>(bad)), Code::kForeignPointer);
      ++expected_foreign;
    }
    if (step % 97 == 0) {
      ASSERT_EQ(p->CheckInvariants(step % 3 == 0 ? Check::kStructure
                                                 : Check::kStructureAndWipe),
                base::OkStatus());
    }
    const PoolStats s = p->stats();
    ASSERT_EQ(s.in_use, held_count);
    ASSERT_EQ(s.high_water, high_water);
  }
  const PoolStats s = p->stats();
  EXPECT_EQ(s.allocation_failures, expected_failures);
  EXPECT_EQ(s.foreign_releases, expected_foreign);
  EXPECT_EQ(s.double_releases, expected_double);
  EXPECT_EQ(s.corruptions, 0u);
  while (held_count > 0)
    ASSERT_EQ(p->Release(held[--held_count]), base::OkStatus());
  EXPECT_EQ(p->CheckInvariants(Check::kStructureAndWipe), base::OkStatus());
  EXPECT_EQ(p->stats().in_use, 0u);
}

TEST(PoolRandomizedTest, KeyClass) {
  RunRandomized<Pool<64, 32, 16>>(0x1234567u);
}
TEST(PoolRandomizedTest, SmallMessageClass) {
  RunRandomized<Pool<256, 16, 16>>(0xBADC0DEu);
}
TEST(PoolRandomizedTest, LargeMessageClass) {
  RunRandomized<Pool<4096, 4, 16>>(0x5EEDu);
}
TEST(PoolRandomizedTest, OddStride) {
  RunRandomized<Pool<40, 13, 8>>(0xC0FFEEu);
}
TEST(PoolRandomizedTest, ManyBlocks) {
  RunRandomized<Pool<16, 200, 16>>(0xFACEu);
}
TEST(PoolRandomizedTest, FullWordBitmap) {
  RunRandomized<Pool<16, 8 * sizeof(void*), 16>>(0xABCDEFu);
}
TEST(PoolRandomizedTest, LocalKeyClass) {
  RunRandomized<LocalPool<64, 32, 16>>(0x2468ACEu);
}
TEST(PoolRandomizedTest, LocalOddStride) {
  RunRandomized<LocalPool<40, 13, 8>>(0x13579BDu);
}
TEST(PoolRandomizedTest, LocalManyBlocks) {
  RunRandomized<LocalPool<16, 200, 16>>(0xF00Du);
}

}  // namespace
}  // namespace pool
