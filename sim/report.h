// What a run leaves behind: the JSON report (the machine-readable verdict
// the tests assert on), the trace-event JSON for ui.perfetto.dev, and the
// human summary table printed at the end.
#ifndef SIM_REPORT_H_
#define SIM_REPORT_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "sim/fleet.h"
#include "sim/scenario.h"
#include "sim/trace_writer.h"

namespace sim {

// One line per planned message: id, sender and receiver, how it ended, the
// cause of a failure and the sender's transmission count. Nothing in it
// measures time, so in repeatable mode two runs of a scenario and seed must
// give the same lines (fleet_repeat_test compares them).
std::vector<std::string> OutcomeTable(const Verdict& verdict);
// FNV-1a 64 of the table's lines, as 16 hex digits: one word to compare
// between runs and machines.
std::string OutcomeTableDigest(const std::vector<std::string>& table);

// One message's way through the fleet, in time order: offered and
// accepted by its sender, each transmission the router saw (with its
// fault and fate), the RX at the receiver, each ACK the receiver emitted
// for it, and the outcome line.
struct FlowStep {
  absl::Time time;
  int node = 0;      // where it happened
  std::string what;  // "accepted", "tx", "rx", "ack", "delivered", "failed"
  nlohmann::json detail;
};
struct MessageFlow {
  std::uint32_t id = 0;
  int src = 0;
  int dst = 0;
  std::vector<FlowStep> steps;
};
std::vector<MessageFlow> MessageFlows(const RunOutcome& outcome);

nlohmann::json BuildReport(const Scenario& scenario, const RunOutcome& outcome);

// Frames sent/received per node over time (50 ms buckets), faults and
// restarts as instant markers, boots as spans.
TraceWriter BuildTrace(const RunOutcome& outcome);

std::string SummaryTable(const nlohmann::json& report);

}  // namespace sim

#endif  // SIM_REPORT_H_
