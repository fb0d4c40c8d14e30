#include "base/fuzz_input.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace base {
namespace {

TEST(FuzzInputTest, BigEndianWordsThenZerosPastTheEnd) {
  const std::uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
                               0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
                               0x0d, 0x0e, 0x0f, 0x10, 0x11};
  FuzzInput in(data, sizeof data);
  EXPECT_EQ(in.Byte(), 0x01);
  EXPECT_EQ(in.Word16(), 0x0203);
  EXPECT_EQ(in.Word(), 0x04050607u);
  EXPECT_EQ(in.Word64(), 0x08090a0b0c0d0e0full);
  EXPECT_FALSE(in.empty());
  EXPECT_EQ(in.Word(), 0x10110000u);  // runs out: zeros
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(in.Byte(), 0);
}

}  // namespace
}  // namespace base
