// Per-node key bundles, made on the host from the fleet secret.
//
// A node is never given the fleet secret: it gets its id and, for each of
// its links, the pair's root key (apps/secure_node/link_keys.h). The bundle
// is the console lines that provision it:
//   PROVISION <id>
//   LINK <peer> <root: 64 hex digits>     (one per peer)
#ifndef TOOLS_PROVISION_BUNDLE_H_
#define TOOLS_PROVISION_BUNDLE_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace provision {

using FleetSecret = std::array<std::uint8_t, 32>;

// Parses 64 hex digits (surrounding white space allowed).
absl::StatusOr<FleetSecret> ParseFleetSecret(absl::string_view hex);

// The console lines that provision `node` with the roots of its links to
// `peers`. Node ids are 1..254; a peer equal to `node` or repeated is an
// error, as is more than 64 peers (what a node holds).
absl::StatusOr<std::vector<std::string>> MakeBundle(
    const FleetSecret& fleet_secret, std::uint8_t node,
    std::span<const int> peers);

}  // namespace provision

#endif  // TOOLS_PROVISION_BUNDLE_H_
