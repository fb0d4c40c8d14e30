#include "storage/crc32.h"

#include <cstdint>
#include <string_view>

#include "gtest/gtest.h"

namespace storage {
namespace {

std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xCBF43926u);  // the check value
  EXPECT_EQ(Crc32({}), 0x00000000u);
  EXPECT_EQ(Crc32(AsBytes("a")), 0xE8B7BE43u);
  EXPECT_EQ(Crc32(AsBytes("The quick brown fox jumps over the lazy dog")),
            0x414FA339u);
}

TEST(Crc32Test, IncrementalEqualsOneShot) {
  const auto all = AsBytes("record header then value bytes");
  for (std::size_t split = 0; split <= all.size(); ++split) {
    const std::uint32_t state = Crc32Update(kCrc32Initial, all.first(split));
    EXPECT_EQ(Crc32Final(Crc32Update(state, all.subspan(split))), Crc32(all));
  }
}

}  // namespace
}  // namespace storage
