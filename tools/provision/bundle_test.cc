#include "tools/provision/bundle.h"

#include <vector>

#include "apps/secure_node/link_keys.h"
#include "gtest/gtest.h"

namespace provision {
namespace {

const FleetSecret kSecret = [] {
  FleetSecret s;
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return s;
}();

TEST(BundleTest, OneLinkLinePerPeerWithThePairRoot) {
  const std::vector<int> peers = {2, 9};
  const auto lines = MakeBundle(kSecret, 4, peers);
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0], "PROVISION 4");
  std::array<std::uint8_t, 32> root;
  ASSERT_TRUE(secure_node::DerivePairRoot(kSecret, 9, 4, root));  // order-free
  std::string hex;
  for (std::uint8_t b : root) {
    hex += "0123456789abcdef"[b >> 4];
    hex += "0123456789abcdef"[b & 15];
  }
  EXPECT_EQ((*lines)[2], "LINK 9 " + hex);
  EXPECT_EQ((*lines)[1].rfind("LINK 2 ", 0), 0u);
  EXPECT_NE((*lines)[1], "LINK 2 " + hex);
}

TEST(BundleTest, BadInputsAreRefusedWithTheirReason) {
  const std::vector<int> self = {4};
  const std::vector<int> repeat = {2, 2};
  const std::vector<int> out_of_range = {255};
  EXPECT_FALSE(MakeBundle(kSecret, 4, self).ok());
  EXPECT_FALSE(MakeBundle(kSecret, 4, repeat).ok());
  EXPECT_FALSE(MakeBundle(kSecret, 4, out_of_range).ok());
  EXPECT_FALSE(MakeBundle(kSecret, 0, {}).ok());
  std::vector<int> too_many;
  for (int i = 1; i <= 66; ++i) {
    if (i != 4) too_many.push_back(i);
  }
  EXPECT_FALSE(MakeBundle(kSecret, 4, too_many).ok());

  EXPECT_TRUE(ParseFleetSecret(std::string(64, 'a') + "\n").ok());
  EXPECT_FALSE(ParseFleetSecret(std::string(63, 'a')).ok());
  EXPECT_FALSE(ParseFleetSecret(std::string(63, 'a') + "g").ok());
}

}  // namespace
}  // namespace provision
