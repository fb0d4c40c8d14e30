#include "sim/topology.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace sim {

absl::StatusOr<Topology> ParseTopology(absl::string_view name) {
  if (name == "all_to_all" || name == "all-to-all") return Topology::kAllToAll;
  if (name == "ring") return Topology::kRing;
  if (name == "star") return Topology::kStar;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown topology '", name, "' (all_to_all, ring, star)"));
}

absl::string_view TopologyName(Topology topology) {
  switch (topology) {
    case Topology::kAllToAll:
      return "all_to_all";
    case Topology::kRing:
      return "ring";
    case Topology::kStar:
      return "star";
  }
  return "?";
}

bool Adjacent(Topology topology, int nodes, std::uint8_t a, std::uint8_t b) {
  if (a == b || a < 1 || b < 1 || a > nodes || b > nodes) return false;
  switch (topology) {
    case Topology::kAllToAll:
      return true;
    case Topology::kRing: {
      const int d = (a - b + nodes) % nodes;
      return d == 1 || d == nodes - 1;
    }
    case Topology::kStar:
      return a == 1 || b == 1;
  }
  return false;
}

std::vector<std::uint8_t> Neighbours(Topology topology, int nodes,
                                     std::uint8_t node) {
  std::vector<std::uint8_t> out;
  for (int other = 1; other <= nodes; ++other) {
    if (Adjacent(topology, nodes, node, static_cast<std::uint8_t>(other))) {
      out.push_back(static_cast<std::uint8_t>(other));
    }
  }
  return out;
}

}  // namespace sim
