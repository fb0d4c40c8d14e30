#include "tools/release/tar_archive.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace release {
namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kRecord = 20 * kBlock;

// Header field offsets and lengths (POSIX ustar; GNU tar agrees on these).
constexpr std::size_t kNameOffset = 0, kNameLength = 100;
constexpr std::size_t kSizeOffset = 124, kSizeLength = 12;
constexpr std::size_t kChecksumOffset = 148, kChecksumLength = 8;
constexpr std::size_t kTypeOffset = 156;

std::size_t Padded(std::size_t n) { return (n + kBlock - 1) / kBlock * kBlock; }

bool AllZero(absl::string_view block) {
  for (char c : block) {
    if (c != '\0') return false;
  }
  return true;
}

// An octal number field: digits, possibly led by spaces and ended by NUL or
// space.
absl::StatusOr<std::uint64_t> ParseOctal(absl::string_view field) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  bool any = false;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i) {
    value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
    any = true;
  }
  if (!any) return absl::InvalidArgumentError("bad octal field in tar header");
  return value;
}

std::uint32_t Checksum(absl::string_view header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    const bool in_field =
        i >= kChecksumOffset && i < kChecksumOffset + kChecksumLength;
    sum += in_field ? ' ' : static_cast<unsigned char>(header[i]);
  }
  return sum;
}

std::string CString(absl::string_view field) {
  std::size_t end = field.find('\0');
  return std::string(field.substr(0, end));
}

// Rewrites the size and checksum fields of the last header block in
// headers, the way GNU tar writes them: "%011o\0" and "%06o\0 ".
void SetSize(std::string& headers, std::size_t size) {
  char* header = headers.data() + headers.size() - kBlock;
  std::snprintf(header + kSizeOffset, kSizeLength, "%011llo",
                static_cast<unsigned long long>(size));
  std::uint32_t sum = Checksum(absl::string_view(header, kBlock));
  char field[kChecksumLength + 1];
  std::snprintf(field, sizeof field, "%06o", static_cast<unsigned>(sum));
  field[6] = '\0';
  field[7] = ' ';
  for (std::size_t i = 0; i < kChecksumLength; ++i) {
    header[kChecksumOffset + i] = field[i];
  }
}

}  // namespace

absl::StatusOr<std::vector<TarMember>> ReadTar(absl::string_view archive) {
  std::vector<TarMember> members;
  std::string pending_headers;
  std::string long_name;
  std::size_t at = 0;
  while (true) {
    if (at + kBlock > archive.size()) {
      return absl::InvalidArgumentError("tar ends without its end blocks");
    }
    absl::string_view header = archive.substr(at, kBlock);
    if (AllZero(header)) break;
    absl::StatusOr<std::uint64_t> stored =
        ParseOctal(header.substr(kChecksumOffset, kChecksumLength));
    if (!stored.ok() || *stored != Checksum(header)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad tar header checksum at offset ", at));
    }
    absl::StatusOr<std::uint64_t> size =
        ParseOctal(header.substr(kSizeOffset, kSizeLength));
    if (!size.ok()) return size.status();
    const std::size_t data_at = at + kBlock;
    if (data_at + Padded(*size) > archive.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tar member at offset ", at, " is truncated"));
    }
    absl::string_view data = archive.substr(data_at, *size);
    const char type = header[kTypeOffset];
    if (type == 'L') {
      // GNU long name: the next member's name is this entry's data.
      pending_headers +=
          std::string(archive.substr(at, kBlock + Padded(*size)));
      long_name = CString(data);
    } else if (type == '0' || type == '\0' || type == '5') {
      TarMember member;
      member.name = long_name.empty()
                        ? CString(header.substr(kNameOffset, kNameLength))
                        : long_name;
      member.type = type == '\0' ? '0' : type;
      member.contents = std::string(data);
      member.headers = pending_headers + std::string(header);
      members.push_back(std::move(member));
      pending_headers.clear();
      long_name.clear();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("tar member type '", std::string(1, type),
                       "' at offset ", at, " is not supported"));
    }
    at = data_at + Padded(*size);
  }
  return members;
}

std::string WriteTar(const std::vector<TarMember>& members) {
  std::string out;
  for (const TarMember& member : members) {
    std::string headers = member.headers;
    SetSize(headers, member.contents.size());
    out += headers;
    out += member.contents;
    out.append(Padded(member.contents.size()) - member.contents.size(), '\0');
  }
  out.append(2 * kBlock, '\0');
  out.append((kRecord - out.size() % kRecord) % kRecord, '\0');
  return out;
}

}  // namespace release
