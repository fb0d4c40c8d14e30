#include "apps/secure_node/payload.h"

#include <array>
#include <string_view>

#include "gtest/gtest.h"

namespace secure_node {
namespace {

// Marsaglia's xorshift32 (13, 17, 5) from state 1 yields 270369 (0x42021),
// then 67634689 (0x4080601); the payload is the low byte of each state.
TEST(PayloadTest, XorshiftStreamMatchesTheReferenceGenerator) {
  std::array<std::uint8_t, 2> bytes{};
  GeneratePayload(1, bytes);
  EXPECT_EQ(bytes[0], 0x21);
  EXPECT_EQ(bytes[1], 0x01);
}

TEST(PayloadTest, SeedZeroUsesTheDocumentedDefault) {
  std::array<std::uint8_t, 32> zero{}, fixed{};
  GeneratePayload(0, zero);
  GeneratePayload(0x9e3779b9u, fixed);
  EXPECT_EQ(zero, fixed);
  std::array<std::uint8_t, 32> other{};
  GeneratePayload(2, other);
  EXPECT_NE(other, fixed);
}

std::uint32_t FnvOf(std::string_view text) {
  return Fnv1a32(std::span(reinterpret_cast<const std::uint8_t*>(text.data()),
                           text.size()));
}

// Published FNV-1a 32-bit test values.
TEST(PayloadTest, Fnv1aKnownValues) {
  EXPECT_EQ(FnvOf(""), 0x811c9dc5u);
  EXPECT_EQ(FnvOf("a"), 0xe40c292cu);
  EXPECT_EQ(FnvOf("foobar"), 0xbf9cf968u);
}

}  // namespace
}  // namespace secure_node
