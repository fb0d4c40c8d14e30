// A scenario: the fleet, its traffic schedule and its fault mix. Loaded from
// a JSON file (sim/scenarios/*.json, parsed with nlohmann/json) and/or built
// from command-line flags, which override the file field by field.
#ifndef SIM_SCENARIO_H_
#define SIM_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "sim/topology.h"

namespace sim {

// Per-frame fault probabilities (each frame gets at most one fault) and the
// parameters of the timing faults.
struct FaultMix {
  double drop = 0;
  double bitflip = 0;
  double truncate = 0;
  double duplicate = 0;  // an immediate second copy
  double replay = 0;     // a copy re-injected replay_after_ms later
  double reorder = 0;    // held back until the link's next frame passes it
  double delay = 0;      // held back delay_min_ms..delay_max_ms
  double forge = 0;      // an extra fabricated frame with a bogus tag
  int delay_min_ms = 5;
  int delay_max_ms = 60;
  int replay_after_ms = 150;
  int reorder_hold_ms = 40;

  double Total() const {
    return drop + bitflip + truncate + duplicate + replay + reorder + delay +
           forge;
  }
};

// Kill node `node` (SIGKILL to its QEMU) once `at` (0..1) of the scenario's
// messages have been issued, then boot it again.
struct RestartEvent {
  int node = 0;
  double at = 0.5;
};

// How the harness offers each node's messages.
enum class TrafficMode : std::uint8_t {
  // At rate_per_node, several in flight per node (BUSY ones re-offered).
  kScheduled,
  // One message in flight per node, nodes on stepped clocks moved only when
  // the fleet has settled, held frames released there, restarts at
  // quiescent points: the outcome table is a function of (scenario, seed)
  // (README.md, "Repeatable mode"). The default.
  kRepeatable,
  // As fast as the nodes take them: the next offer as soon as the node
  // answered the last one, BUSY ones re-offered after the back-off.
  kSaturate,
};
absl::string_view TrafficModeName(TrafficMode mode);
absl::StatusOr<TrafficMode> ParseTrafficMode(absl::string_view name);

struct Scenario {
  std::string name = "flags";
  int nodes = 4;
  std::vector<std::string> boards = {"mps3_an536",
                                     "versatilepb_r5f"};  // round robin
  Topology topology = Topology::kAllToAll;
  std::uint64_t seed = 1;
  int messages_per_node = 40;
  double rate_per_node = 20;  // SEND commands per second per node
  int size_min = 0;
  int size_max = 4096;
  std::vector<int> sizes;  // when set, sizes are drawn from this list instead
  TrafficMode mode = TrafficMode::kRepeatable;
  FaultMix faults;
  std::vector<RestartEvent> restarts;
  int boot_timeout_s = 90;
  int run_timeout_s = 600;
  int drain_timeout_ms = 10000;

  // The board of node `id` (1-based).
  const std::string& BoardOf(int id) const {
    return boards[(id - 1) % boards.size()];
  }
};

// Overrides from flags; unset fields keep the scenario's value.
struct ScenarioOverrides {
  std::optional<int> nodes;
  std::optional<std::string> boards;  // "a,b"
  std::optional<std::string> topology;
  std::optional<std::uint64_t> seed;
  std::optional<int> messages_per_node;
  std::optional<double> rate_per_node;
  std::optional<std::string> sizes;  // "min:max" or "0,16,4096"
  std::optional<std::string>
      faults;  // "none", "moderate" or "drop=0.1,bitflip=0.05,..."
  std::optional<std::string> restarts;  // "2@0.5,3@0.8" or "none"
  std::optional<std::string> mode;      // "scheduled", "repeatable", ...
};

absl::StatusOr<Scenario> ScenarioFromJson(const nlohmann::json& json);
absl::StatusOr<Scenario> ParseScenario(absl::string_view text);
absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path);
nlohmann::json ScenarioToJson(const Scenario& scenario);

absl::Status ApplyOverrides(const ScenarioOverrides& overrides,
                            Scenario* scenario);
// "none", "moderate", or comma-separated kind=probability / parameter=ms.
absl::StatusOr<FaultMix> ParseFaultSpec(absl::string_view spec);
absl::StatusOr<std::vector<RestartEvent>> ParseRestartSpec(
    absl::string_view spec);
// The default fault mix of the main command: a few percent of each kind.
FaultMix ModerateFaults();

absl::Status Validate(const Scenario& scenario);

}  // namespace sim

#endif  // SIM_SCENARIO_H_
