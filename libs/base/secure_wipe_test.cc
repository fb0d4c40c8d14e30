#include "base/secure_wipe.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "gtest/gtest.h"

namespace base {
namespace {

constexpr std::byte kCanary{0xC3};
constexpr std::byte kSecret{0x5A};

// Wipes [offset, offset + size) of a canary-framed buffer and checks that
// exactly that range became zero.
void CheckRange(std::size_t offset, std::size_t size) {
  alignas(64) static std::array<std::byte, 600> buffer;
  buffer.fill(kCanary);
  std::fill_n(buffer.begin() + 16 + offset, size, kSecret);
  SecureWipe(buffer.data() + 16 + offset, size);
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    const bool inside = i >= 16 + offset && i < 16 + offset + size;
    ASSERT_EQ(buffer[i], inside ? std::byte{0} : kCanary)
        << "offset " << offset << " size " << size << " byte " << i;
  }
}

TEST(SecureWipeTest, EveryAlignmentAndLengthExactly) {
  // All heads (0..7), tails and the 64-byte bulk path boundaries.
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t size :
         {0u,  1u,  2u,  3u,   4u,   5u,   7u,   8u,   15u,  16u,  31u,
          63u, 64u, 65u, 127u, 128u, 129u, 200u, 256u, 320u, 511u, 512u}) {
      CheckRange(offset, size);
    }
  }
}

TEST(SecureWipeTest, SpanOverload) {
  std::array<std::byte, 40> buffer;
  buffer.fill(kSecret);
  SecureWipe(std::span<std::byte>(buffer).subspan(4, 30));
  EXPECT_EQ(std::count(buffer.begin(), buffer.end(), std::byte{0}), 30);
  EXPECT_EQ(buffer[3], kSecret);
  EXPECT_EQ(buffer[34], kSecret);
}

template <std::size_t kBytes>
void CheckFixed() {
  alignas(16) static std::array<std::byte, kBytes + 32> buffer;
  buffer.fill(kCanary);
  std::fill_n(buffer.begin() + 16, kBytes, kSecret);
  SecureWipeFixed<kBytes, 16>(buffer.data() + 16);
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    const bool inside = i >= 16 && i < 16 + kBytes;
    ASSERT_EQ(buffer[i], inside ? std::byte{0} : kCanary)
        << kBytes << " byte " << i;
  }
}

TEST(SecureWipeTest, FixedSizesOfEveryPoolClass) {
  CheckFixed<16>();
  CheckFixed<48>();
  CheckFixed<64>();
  CheckFixed<256>();
  CheckFixed<1024>();
  CheckFixed<4096>();
  CheckFixed<40>();  // not a multiple of 16: the generic path
}

}  // namespace
}  // namespace base
