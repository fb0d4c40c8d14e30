#include "sim/traffic.h"

#include <algorithm>

#include "sim/rng.h"
#include "sim/topology.h"

namespace sim {

std::vector<PlannedMessage> PlanTraffic(const Scenario& s) {
  std::vector<PlannedMessage> plan;
  for (int node = 1; node <= s.nodes; ++node) {
    const std::vector<std::uint8_t> peers =
        Neighbours(s.topology, s.nodes, static_cast<std::uint8_t>(node));
    if (peers.empty()) continue;
    SplitMix64 rng(
        MixSeed({s.seed, 0x7aff1c, static_cast<std::uint64_t>(node)}));
    const double interval_s = 1.0 / s.rate_per_node;
    for (int k = 0; k < s.messages_per_node; ++k) {
      PlannedMessage m;
      m.src = static_cast<std::uint8_t>(node);
      m.dst = peers[rng.Uniform(0, peers.size() - 1)];
      m.size =
          s.sizes.empty()
              ? static_cast<std::uint32_t>(rng.Uniform(s.size_min, s.size_max))
              : static_cast<std::uint32_t>(
                    s.sizes[rng.Uniform(0, s.sizes.size() - 1)]);
      m.seed = static_cast<std::uint32_t>(rng.Next());
      // Evenly paced with up to half an interval of jitter, so nodes do not
      // all send in lock step.
      m.at = absl::Seconds(interval_s * (k + 0.5 * rng.NextDouble()));
      plan.push_back(m);
    }
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const PlannedMessage& a, const PlannedMessage& b) {
                     return a.at < b.at;
                   });
  for (std::size_t i = 0; i < plan.size(); ++i)
    plan[i].id = static_cast<std::uint32_t>(i + 1);
  return plan;
}

}  // namespace sim
