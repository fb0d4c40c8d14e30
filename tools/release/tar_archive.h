// Reading and rewriting the release tars (GNU tar format, as written by the
// release_bundle rule): enough to replace one member's contents and keep
// every other byte of the archive as it was.
#ifndef TOOLS_RELEASE_TAR_ARCHIVE_H_
#define TOOLS_RELEASE_TAR_ARCHIVE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace release {

struct TarMember {
  // The member's path in the archive, e.g. "mps3_an536/SHA256SUMS".
  std::string name;
  // '0' (or NUL) for a regular file, '5' for a directory, ...
  char type = '0';
  std::string contents;
  // The member's header blocks as read (a GNU long-name entry included),
  // reused on writing so that metadata stays byte for byte.
  std::string headers;
};

// Parses a whole archive. Fails on a bad header checksum, a truncated
// member, or a member type other than regular file, directory and GNU long
// name.
absl::StatusOr<std::vector<TarMember>> ReadTar(absl::string_view archive);

// Writes members back: each one's headers with the size and checksum of its
// current contents, the contents padded to 512 bytes, two zero blocks, and
// zeros up to a multiple of 10240 bytes (GNU tar's default record).
std::string WriteTar(const std::vector<TarMember>& members);

}  // namespace release

#endif  // TOOLS_RELEASE_TAR_ARCHIVE_H_
