#include "sim/trace_writer.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace sim {

void TraceWriter::NameProcess(int pid, const std::string& name) {
  events_.push_back({{"ph", "M"},
                     {"name", "process_name"},
                     {"pid", pid},
                     {"tid", 0},
                     {"args", {{"name", name}}}});
  events_.push_back({{"ph", "M"},
                     {"name", "process_sort_index"},
                     {"pid", pid},
                     {"tid", 0},
                     {"args", {{"sort_index", pid}}}});
}

void TraceWriter::Counter(int pid, const std::string& name, absl::Time at,
                          const nlohmann::json& values) {
  events_.push_back({{"ph", "C"},
                     {"name", name},
                     {"pid", pid},
                     {"tid", 0},
                     {"ts", Micros(at)},
                     {"args", values}});
}

void TraceWriter::Instant(int pid, const std::string& name, absl::Time at,
                          const nlohmann::json& args) {
  events_.push_back({{"ph", "i"},
                     {"s", "p"},
                     {"name", name},
                     {"cat", "fault"},
                     {"pid", pid},
                     {"tid", 0},
                     {"ts", Micros(at)},
                     {"args", args}});
}

void TraceWriter::Span(int pid, const std::string& name, absl::Time begin,
                       absl::Time end, const nlohmann::json& args) {
  events_.push_back({{"ph", "X"},
                     {"name", name},
                     {"pid", pid},
                     {"tid", 0},
                     {"ts", Micros(begin)},
                     {"dur", absl::ToDoubleMicroseconds(end - begin)},
                     {"args", args}});
}

void TraceWriter::ThreadSpan(int pid, int tid, const std::string& name,
                             absl::Time begin, absl::Time end,
                             const nlohmann::json& args) {
  events_.push_back({{"ph", "X"},
                     {"name", name},
                     {"pid", pid},
                     {"tid", tid},
                     {"ts", Micros(begin)},
                     {"dur", absl::ToDoubleMicroseconds(end - begin)},
                     {"args", args}});
}

void TraceWriter::NameThread(int pid, int tid, const std::string& name) {
  events_.push_back({{"ph", "M"},
                     {"name", "thread_name"},
                     {"pid", pid},
                     {"tid", tid},
                     {"args", {{"name", name}}}});
}

void TraceWriter::FlowStep(const char* phase, std::uint64_t id,
                           const std::string& name, int pid, int tid,
                           absl::Time at) {
  // "bp": "e" binds every step to the enclosing slice; without it the
  // last step would bind to the next slice to start on the thread.
  events_.push_back({{"ph", phase},
                     {"id", id},
                     {"name", name},
                     {"cat", "message"},
                     {"pid", pid},
                     {"tid", tid},
                     {"ts", Micros(at)},
                     {"bp", "e"}});
}

nlohmann::json TraceWriter::ToJson() const {
  return {{"traceEvents", events_}, {"displayTimeUnit", "ms"}};
}

absl::Status TraceWriter::WriteFile(const std::string& path) const {
  std::ofstream out(path);
  out << ToJson().dump() << "\n";
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace sim
