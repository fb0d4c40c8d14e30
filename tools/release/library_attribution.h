// Which "library" of the budget an input section belongs to, from the
// archive or object the linker map names as its origin.
//
// Project archives are named after their Bazel targets under the output
// tree (bazel-out/<config>/bin/<package>/lib<target>.a(member.o)), so the
// package path is the natural unit: libs/pool, libs/crypto, apps/secure_node.
// Board support is everything under platforms/; newlib, libgcc and
// libstdc++ come from the toolchain's installation directory.
#ifndef TOOLS_RELEASE_LIBRARY_ATTRIBUTION_H_
#define TOOLS_RELEASE_LIBRARY_ATTRIBUTION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace release {

// Library keys that are not packages.
inline constexpr absl::string_view kBoardSupport = "platforms";
inline constexpr absl::string_view kToolchainRuntime = "toolchain";
inline constexpr absl::string_view kLinker =
    "linker";  // padding, stubs, alignment
inline constexpr absl::string_view kStacks =
    "stacks";  // the linker script's stack reservations

// Returns the library key of an input section's origin (see above).
std::string LibraryOf(absl::string_view origin);

}  // namespace release

#endif  // TOOLS_RELEASE_LIBRARY_ATTRIBUTION_H_
