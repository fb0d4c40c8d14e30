// Which nodes may talk to which. Node ids are 1..N. The router refuses to
// carry a frame between nodes that are not neighbours, and the traffic
// planner only addresses neighbours.
#ifndef SIM_TOPOLOGY_H_
#define SIM_TOPOLOGY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sim {

enum class Topology {
  kAllToAll,  // every pair
  kRing,      // i <-> i+1 (mod N)
  kStar,      // node 1 is the hub; leaves talk only to it
};

absl::StatusOr<Topology> ParseTopology(absl::string_view name);
absl::string_view TopologyName(Topology topology);

bool Adjacent(Topology topology, int nodes, std::uint8_t a, std::uint8_t b);
std::vector<std::uint8_t> Neighbours(Topology topology, int nodes,
                                     std::uint8_t node);

}  // namespace sim

#endif  // SIM_TOPOLOGY_H_
