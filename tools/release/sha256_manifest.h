// SHA-256 manifests in the format of coreutils sha256sum ("<hex>  <name>"),
// so a bundle checks itself with `sha256sum -c SHA256SUMS`.
#ifndef TOOLS_RELEASE_SHA256_MANIFEST_H_
#define TOOLS_RELEASE_SHA256_MANIFEST_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace release {

// Lower-case hex SHA-256 of data (OpenSSL).
std::string Sha256Hex(absl::string_view data);

// One line per entry, sorted by name; contents maps names to file paths.
absl::StatusOr<std::string> BuildManifest(
    const std::map<std::string, std::string>& files);

}  // namespace release

#endif  // TOOLS_RELEASE_SHA256_MANIFEST_H_
