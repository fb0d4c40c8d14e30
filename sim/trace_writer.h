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
