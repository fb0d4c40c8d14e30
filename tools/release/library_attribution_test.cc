#include "tools/release/library_attribution.h"

#include "gtest/gtest.h"

namespace release {
namespace {

// Origins as they appear in the secure_node images' linker maps.
TEST(LibraryAttributionTest, ProjectArchivesByPackage) {
  EXPECT_EQ(LibraryOf("bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/libs/crypto/"
                      "libgcm.a(aes_gcm.o)"),
            "libs/crypto");
  EXPECT_EQ(LibraryOf("bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/libs/pool/"
                      "libsecure_wipe.a(secure_wipe.o)"),
            "libs/pool");
  EXPECT_EQ(LibraryOf("bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/apps/"
                      "secure_node/libnode.a(node.o)"),
            "apps/secure_node");
}

TEST(LibraryAttributionTest, BoardSupportIsOneLibrary) {
  EXPECT_EQ(
      LibraryOf(
          "bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/platforms/mps3_an536/"
          "libmps3_an536.lo(board.o)"),
      kBoardSupport);
  EXPECT_EQ(
      LibraryOf("bazel-out/k8-fastbuild-ST-33d9f36cd38f/bin/platforms/common/"
                "libbare_metal_runtime.lo(crt0.o)"),
      kBoardSupport);
}

TEST(LibraryAttributionTest, ToolchainRuntimeAndLinker) {
  EXPECT_EQ(LibraryOf("/usr/lib/gcc/arm-none-eabi/12.2.1/../../../"
                      "arm-none-eabi/lib/thumb/v7+fp/"
                      "hard/libc.a(lib_a-memcpy.o)"),
            kToolchainRuntime);
  EXPECT_EQ(LibraryOf("/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7+fp/hard/"
                      "libgcc.a(_udivmoddi4.o)"),
            kToolchainRuntime);
  EXPECT_EQ(LibraryOf("linker stubs"), kLinker);
  EXPECT_EQ(LibraryOf(""), kLinker);
}

TEST(LibraryAttributionTest, ExternalRepositories) {
  EXPECT_EQ(LibraryOf("bazel-out/k8-fastbuild-ST-1/bin/external/"
                      "com_google_googletest/libgtest.a(gtest-all.o)"),
            "external/com_google_googletest");
}

}  // namespace
}  // namespace release
