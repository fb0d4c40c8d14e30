#include "tools/release/library_attribution.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace release {

std::string LibraryOf(absl::string_view origin) {
  if (origin.empty() || origin == "linker stubs") return std::string(kLinker);
  // Drop the archive member: ".../libpool.a(pool.o)" -> ".../libpool.a".
  if (std::size_t paren = origin.find('('); paren != absl::string_view::npos) {
    origin = origin.substr(0, paren);
  }
  if (absl::StartsWith(origin, "bazel-out/")) {
    if (std::size_t bin = origin.find("/bin/");
        bin != absl::string_view::npos) {
      std::vector<absl::string_view> parts =
          absl::StrSplit(origin.substr(bin + 5), '/');
      parts.pop_back();  // the archive or object itself
      if (parts.empty()) return std::string(origin);
      if (parts[0] == kBoardSupport) return std::string(kBoardSupport);
      // libs/<name>, apps/<name>, external/<repository>: two levels name it.
      if (parts.size() > 2) parts.resize(2);
      return absl::StrJoin(parts, "/");
    }
  }
  if (absl::StrContains(origin, "arm-none-eabi"))
    return std::string(kToolchainRuntime);
  return std::string(origin);
}

}  // namespace release
