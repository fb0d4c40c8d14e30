#include "tools/provision/bundle.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "apps/secure_node/link_keys.h"

namespace provision {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ValidNodeId(int id) { return id >= 1 && id <= 254; }

}  // namespace

absl::StatusOr<FleetSecret> ParseFleetSecret(absl::string_view hex) {
  hex = absl::StripAsciiWhitespace(hex);
  FleetSecret secret{};
  if (hex.size() != 2 * secret.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("fleet secret: expected 64 hex digits, got ", hex.size(),
                     " characters"));
  }
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("fleet secret: not a hex digit at position ",
                       high < 0 ? 2 * i : 2 * i + 1));
    }
    secret[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return secret;
}

absl::StatusOr<std::vector<std::string>> MakeBundle(
    const FleetSecret& fleet_secret, std::uint8_t node,
    std::span<const int> peers) {
  if (!ValidNodeId(node))
    return absl::InvalidArgumentError("node id must be 1..254");
  if (peers.size() > secure_node::LinkKeys::kMaxLinks) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a node holds at most ", secure_node::LinkKeys::kMaxLinks, " links"));
  }
  std::set<int> seen;
  std::vector<std::string> lines = {absl::StrCat("PROVISION ", node)};
  for (int peer : peers) {
    if (!ValidNodeId(peer) || peer == node || !seen.insert(peer).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad peer id ", peer, " for node ", node));
    }
    std::array<std::uint8_t, secure_node::kLinkKeyBytes> root;
    if (!secure_node::DerivePairRoot(fleet_secret, node,
                                     static_cast<std::uint8_t>(peer), root)) {
      return absl::InternalError("key derivation failed");
    }
    std::string line = absl::StrCat("LINK ", peer, " ");
    for (std::uint8_t b : root) {
      line += "0123456789abcdef"[b >> 4];
      line += "0123456789abcdef"[b & 15];
    }
    root.fill(0);
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace provision
