#include "tools/release/sha256_manifest.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace release {

std::string Sha256Hex(absl::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(),
             nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

absl::StatusOr<std::string> BuildManifest(
    const std::map<std::string, std::string>& files) {
  std::string manifest;
  for (const auto& [name, path] : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    std::ostringstream contents;
    contents << in.rdbuf();
    // Two spaces: sha256sum's marker for a file hashed in text mode, which
    // on Linux is the same bytes as binary mode and what it prints itself.
    absl::StrAppend(&manifest, Sha256Hex(contents.str()), "  ", name, "\n");
  }
  return manifest;
}

}  // namespace release
