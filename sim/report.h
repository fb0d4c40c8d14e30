// What a run leaves behind: the JSON report (the machine-readable verdict
// the tests assert on), the trace-event JSON for ui.perfetto.dev, and the
// human summary table printed at the end.
#ifndef SIM_REPORT_H_
#define SIM_REPORT_H_

#include <string>

#include "nlohmann/json.hpp"
#include "sim/fleet.h"
#include "sim/scenario.h"
#include "sim/trace_writer.h"

namespace sim {

nlohmann::json BuildReport(const Scenario& scenario, const RunOutcome& outcome);

// Frames sent/received per node over time (50 ms buckets), faults and
// restarts as instant markers, boots as spans.
TraceWriter BuildTrace(const RunOutcome& outcome);

std::string SummaryTable(const nlohmann::json& report);

}  // namespace sim

#endif  // SIM_REPORT_H_
