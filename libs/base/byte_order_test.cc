#include "base/byte_order.h"

#include <array>
#include <cstdint>

#include "gtest/gtest.h"

namespace base {
namespace {

constexpr std::uint8_t kBytes[9] = {0x01, 0x02, 0x03, 0x04, 0x05,
                                    0x06, 0x07, 0x08, 0x09};

static_assert(LoadBe32(kBytes) == 0x01020304u);
static_assert(LoadLe32(kBytes) == 0x04030201u);
static_assert(Be32Bytes(0x0a0b0c0du) ==
              std::array<std::uint8_t, 4>{0x0a, 0x0b, 0x0c, 0x0d});

TEST(ByteOrderTest, Loads) {
  EXPECT_EQ(LoadBe16(kBytes), 0x0102u);
  EXPECT_EQ(LoadLe16(kBytes), 0x0201u);
  EXPECT_EQ(LoadBe64(kBytes), 0x0102030405060708ull);
  EXPECT_EQ(LoadLe64(kBytes), 0x0807060504030201ull);
  // Any alignment.
  EXPECT_EQ(LoadBe32(kBytes + 1), 0x02030405u);
  EXPECT_EQ(LoadLe32(kBytes + 3), 0x07060504u);
}

TEST(ByteOrderTest, StoresRoundTrip) {
  std::array<std::uint8_t, 9> b{};
  StoreBe16(b.data() + 1, 0xa1b2);
  EXPECT_EQ(b[1], 0xa1);
  EXPECT_EQ(LoadBe16(b.data() + 1), 0xa1b2u);
  StoreLe16(b.data() + 1, 0xa1b2);
  EXPECT_EQ(b[1], 0xb2);
  EXPECT_EQ(LoadLe16(b.data() + 1), 0xa1b2u);
  StoreBe32(b.data() + 1, 0xdeadbeefu);
  EXPECT_EQ(b[1], 0xde);
  EXPECT_EQ(LoadBe32(b.data() + 1), 0xdeadbeefu);
  StoreLe32(b.data() + 1, 0xdeadbeefu);
  EXPECT_EQ(b[1], 0xef);
  EXPECT_EQ(LoadLe32(b.data() + 1), 0xdeadbeefu);
  StoreBe64(b.data() + 1, 0x0123456789abcdefull);
  EXPECT_EQ(b[1], 0x01);
  EXPECT_EQ(b[8], 0xef);
  EXPECT_EQ(LoadBe64(b.data() + 1), 0x0123456789abcdefull);
  StoreLe64(b.data() + 1, 0x0123456789abcdefull);
  EXPECT_EQ(b[1], 0xef);
  EXPECT_EQ(b[8], 0x01);
  EXPECT_EQ(LoadLe64(b.data() + 1), 0x0123456789abcdefull);
  EXPECT_EQ(Le32Bytes(0x01020304u),
            (std::array<std::uint8_t, 4>{0x04, 0x03, 0x02, 0x01}));
}

}  // namespace
}  // namespace base
