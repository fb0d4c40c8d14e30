// Fuzzes the scenario parser (sim/scenario.h) with arbitrary text: a
// scenario file is read from wherever the user keeps one, so no input may
// crash it, and whatever it accepts must be a scenario that Validate()
// accepts and that survives a round trip through its JSON form unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "sim/scenario.h"

namespace {

// A fuzz target reports a broken property by crashing: libFuzzer saves the
// input that did it.
void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<sim::Scenario> scenario = sim::ParseScenario(text);
  if (!scenario.ok()) {
    // A refusal says why.
    Require(!scenario.status().message().empty());
    return 0;
  }
  Require(sim::Validate(*scenario).ok());
  const nlohmann::json json = sim::ScenarioToJson(*scenario);
  const absl::StatusOr<sim::Scenario> again = sim::ScenarioFromJson(json);
  Require(again.ok());
  Require(sim::ScenarioToJson(*again) == json);
  return 0;
}
