#include "workspace/nonce.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace workspace {
namespace {

TEST(NonceTest, FieldsAreFixedFieldThenBigEndianCounter) {
  const Nonce n = {0x11, 0x22, 0x33, 0x44, 0x01, 0x02,
                   0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  EXPECT_EQ(FixedFieldOf(n), 0x11223344u);
  EXPECT_EQ(InvocationOf(n), 0x0102030405060708ull);
  EXPECT_EQ(kSpentInvocation, ~std::uint64_t{0});
}

}  // namespace
}  // namespace workspace
