// Identity of the build an image came from.
#ifndef APPS_BUILD_INFO_BUILD_INFO_H_
#define APPS_BUILD_INFO_BUILD_INFO_H_

#include <string_view>

namespace build_info {

// The source revision (git, "-dirty" when the tree had changes) when built
// with `bazel build --stamp`, otherwise "unstamped". Unstamped builds stay
// cacheable and bit-reproducible.
std::string_view BuildId();

}  // namespace build_info

#endif  // APPS_BUILD_INFO_BUILD_INFO_H_
