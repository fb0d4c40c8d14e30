// The traffic schedule: which node sends which message to whom, how big,
// from which payload seed, and when. Derived from the scenario alone, so the
// same scenario always asks for the same messages.
#ifndef SIM_TRAFFIC_H_
#define SIM_TRAFFIC_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "sim/scenario.h"

namespace sim {

struct PlannedMessage {
  std::uint32_t id = 0;  // unique in the run, from 1, in schedule order
  std::uint8_t src = 0;
  std::uint8_t dst = 0;
  std::uint32_t size = 0;
  std::uint32_t seed = 0;
  absl::Duration at;  // offset from the start of the traffic phase
};

// Sorted by `at`; message ids follow that order.
std::vector<PlannedMessage> PlanTraffic(const Scenario& scenario);

}  // namespace sim

#endif  // SIM_TRAFFIC_H_
