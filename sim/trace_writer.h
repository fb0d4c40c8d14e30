// Chrome trace-event JSON (the "JSON Array/Object" format ui.perfetto.dev
// and chrome://tracing open): one process track per node, counters of
// frames sent and received over time, instant markers for faults and
// restarts, and spans for boots.
#ifndef SIM_TRACE_WRITER_H_
#define SIM_TRACE_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace sim {

class TraceWriter {
 public:
  explicit TraceWriter(absl::Time origin) : origin_(origin) {}

  void NameProcess(int pid, const std::string& name);
  void Counter(int pid, const std::string& name, absl::Time at,
               const nlohmann::json& values);
  void Instant(int pid, const std::string& name, absl::Time at,
               const nlohmann::json& args);
  void Span(int pid, const std::string& name, absl::Time begin, absl::Time end,
            const nlohmann::json& args);
  // A span on thread `tid` of the track (0 is the node's own; others get
  // `thread_name` the first time).
  void ThreadSpan(int pid, int tid, const std::string& name, absl::Time begin,
                  absl::Time end, const nlohmann::json& args);
  void NameThread(int pid, int tid, const std::string& name);
  // One step of flow `id` (the arrows ui.perfetto.dev draws between
  // slices): `phase` is "s" (first), "t" (a step) or "f" (last). It binds
  // to the slice on (pid, tid) that encloses `at`, so put one there.
  void FlowStep(const char* phase, std::uint64_t id, const std::string& name,
                int pid, int tid, absl::Time at);

  const nlohmann::json& events() const { return events_; }
  nlohmann::json ToJson() const;
  absl::Status WriteFile(const std::string& path) const;

 private:
  double Micros(absl::Time t) const {
    return absl::ToDoubleMicroseconds(t - origin_);
  }

  absl::Time origin_;
  nlohmann::json events_ = nlohmann::json::array();
};

}  // namespace sim

#endif  // SIM_TRACE_WRITER_H_
