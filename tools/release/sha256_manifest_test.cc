#include "tools/release/sha256_manifest.h"

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace release {
namespace {

TEST(Sha256ManifestTest, KnownDigests) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256ManifestTest, SortedSha256sumLines) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  std::ofstream(dir + "/b") << "abc";
  std::ofstream(dir + "/a") << "";
  absl::StatusOr<std::string> manifest =
      BuildManifest({{"z/b.txt", dir + "/b"}, {"a.bin", dir + "/a"}});
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(*manifest,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  "
            "a.bin\n"
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  "
            "z/b.txt\n");
}

TEST(Sha256ManifestTest, MissingFileIsAnError) {
  EXPECT_FALSE(BuildManifest({{"x", "/nonexistent/file"}}).ok());
}

}  // namespace
}  // namespace release
