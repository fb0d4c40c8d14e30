#include "sim/scenario.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <type_traits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace sim {
namespace {

using json = nlohmann::json;

const std::set<std::string>& KnownBoards() {
  static const std::set<std::string> boards = {"mps3_an536", "versatilepb_r5f"};
  return boards;
}

// Unknown keys are errors: a typo in a scenario must not silently run a
// different experiment.
absl::Status CheckKeys(const json& object, absl::string_view where,
                       const std::set<std::string>& allowed) {
  if (!object.is_object())
    return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
  for (const auto& item : object.items()) {
    if (!allowed.count(item.key())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": unknown key '", item.key(),
                       "' (known: ", absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

// Reads scenario fields strictly: a number must be exactly representable
// in its field (4294967299 is not an int, 2.5 is not a count), or the field
// is named in the error. The first error is kept.
class FieldReader {
 public:
  template <typename T>
  void Read(const json& object, absl::string_view where, const char* key,
            T* out) {
    if (!status_.ok() || !object.contains(key)) return;
    Convert(object.at(key), absl::StrCat(where, where.empty() ? "" : ".", key),
            out);
  }
  const absl::Status& status() const { return status_; }

 private:
  void Fail(const std::string& field, const json& value,
            absl::string_view want) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(field, ": ", value.dump(), " is not ", want));
    }
  }
  template <typename T>
  void Convert(const json& value, const std::string& field, T* out) {
    if constexpr (std::is_same_v<T, bool>) {
      if (!value.is_boolean()) return Fail(field, value, "true or false");
      *out = value.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      const auto range =
          absl::StrCat("a whole number in ", std::numeric_limits<T>::min(),
                       "..", std::numeric_limits<T>::max());
      if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
          return Fail(field, value, range);
        }
        *out = static_cast<T>(v);
      } else if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            (v > 0 &&
             static_cast<std::uint64_t>(v) >
                 static_cast<std::uint64_t>(std::numeric_limits<T>::max()))) {
          return Fail(field, value, range);
        }
        *out = static_cast<T>(v);
      } else {
        return Fail(field, value, range);
      }
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        return Fail(field, value, "a finite number");
      }
      *out = value.get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!value.is_string()) return Fail(field, value, "a string");
      *out = value.get<std::string>();
    } else {  // std::vector<E>
      if (!value.is_array()) return Fail(field, value, "a list");
      out->clear();
      for (std::size_t i = 0; i < value.size() && status_.ok(); ++i) {
        typename T::value_type element{};
        Convert(value[i], absl::StrCat(field, "[", i, "]"), &element);
        out->push_back(element);
      }
    }
  }

  absl::Status status_;
};

struct FaultField {
  const char* name;
  double FaultMix::*probability;
};
constexpr FaultField kFaultFields[] = {
    {"drop", &FaultMix::drop},         {"bitflip", &FaultMix::bitflip},
    {"truncate", &FaultMix::truncate}, {"duplicate", &FaultMix::duplicate},
    {"replay", &FaultMix::replay},     {"reorder", &FaultMix::reorder},
    {"delay", &FaultMix::delay},       {"forge", &FaultMix::forge},
};
struct TimingField {
  const char* name;
  int FaultMix::*ms;
};
constexpr TimingField kTimingFields[] = {
    {"delay_min_ms", &FaultMix::delay_min_ms},
    {"delay_max_ms", &FaultMix::delay_max_ms},
    {"replay_after_ms", &FaultMix::replay_after_ms},
    {"reorder_hold_ms", &FaultMix::reorder_hold_ms},
};

absl::StatusOr<std::vector<int>> ParseSizes(absl::string_view spec, int* min,
                                            int* max) {
  std::vector<int> sizes;
  if (std::vector<absl::string_view> range = absl::StrSplit(spec, ':');
      range.size() == 2) {
    if (!absl::SimpleAtoi(range[0], min) || !absl::SimpleAtoi(range[1], max)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sizes: bad range '", spec, "' (want MIN:MAX)"));
    }
    return sizes;
  }
  for (absl::string_view word : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    int size = 0;
    if (!absl::SimpleAtoi(word, &size)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sizes: '", word, "' is not a whole number"));
    }
    sizes.push_back(size);
  }
  return sizes;
}

}  // namespace

absl::string_view TrafficModeName(TrafficMode mode) {
  switch (mode) {
    case TrafficMode::kScheduled:
      return "scheduled";
    case TrafficMode::kRepeatable:
      return "repeatable";
    case TrafficMode::kSaturate:
      return "saturate";
  }
  return "?";
}

absl::StatusOr<TrafficMode> ParseTrafficMode(absl::string_view name) {
  for (TrafficMode mode : {TrafficMode::kScheduled, TrafficMode::kRepeatable,
                           TrafficMode::kSaturate}) {
    if (name == TrafficModeName(mode)) return mode;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "traffic.mode: '", name, "' is not scheduled, repeatable or saturate"));
}

FaultMix ModerateFaults() {
  FaultMix mix;
  mix.drop = 0.03;
  mix.bitflip = 0.03;
  mix.truncate = 0.02;
  mix.duplicate = 0.03;
  mix.replay = 0.02;
  mix.reorder = 0.03;
  mix.delay = 0.03;
  mix.forge = 0.02;
  return mix;
}

absl::StatusOr<Scenario> ScenarioFromJson(const json& root) {
  Scenario s;
  try {
    if (absl::Status st =
            CheckKeys(root, "scenario",
                      {"name", "description", "nodes", "boards", "topology",
                       "seed", "traffic", "faults", "restarts", "timeouts"});
        !st.ok()) {
      return st;
    }
    FieldReader reader;
    reader.Read(root, "", "name", &s.name);
    reader.Read(root, "", "nodes", &s.nodes);
    reader.Read(root, "", "boards", &s.boards);
    reader.Read(root, "", "seed", &s.seed);
    if (root.contains("topology")) {
      absl::StatusOr<Topology> t =
          ParseTopology(root.at("topology").get<std::string>());
      if (!t.ok()) return t.status();
      s.topology = *t;
    }
    if (root.contains("traffic")) {
      const json& t = root.at("traffic");
      if (absl::Status st =
              CheckKeys(t, "traffic",
                        {"messages_per_node", "rate_per_node", "size_min",
                         "size_max", "sizes", "mode"});
          !st.ok()) {
        return st;
      }
      reader.Read(t, "traffic", "messages_per_node", &s.messages_per_node);
      reader.Read(t, "traffic", "rate_per_node", &s.rate_per_node);
      reader.Read(t, "traffic", "size_min", &s.size_min);
      reader.Read(t, "traffic", "size_max", &s.size_max);
      reader.Read(t, "traffic", "sizes", &s.sizes);
      if (t.contains("mode")) {
        std::string mode;
        reader.Read(t, "traffic", "mode", &mode);
        if (reader.status().ok()) {
          absl::StatusOr<TrafficMode> m = ParseTrafficMode(mode);
          if (!m.ok()) return m.status();
          s.mode = *m;
        }
      }
    }
    if (root.contains("faults")) {
      const json& f = root.at("faults");
      std::set<std::string> allowed = {"preset"};
      for (const FaultField& field : kFaultFields) allowed.insert(field.name);
      for (const TimingField& field : kTimingFields) allowed.insert(field.name);
      if (absl::Status st = CheckKeys(f, "faults", allowed); !st.ok())
        return st;
      if (f.contains("preset")) {
        absl::StatusOr<FaultMix> preset =
            ParseFaultSpec(f.at("preset").get<std::string>());
        if (!preset.ok()) return preset.status();
        s.faults = *preset;
      }
      for (const FaultField& field : kFaultFields) {
        reader.Read(f, "faults", field.name, &(s.faults.*field.probability));
      }
      for (const TimingField& field : kTimingFields) {
        reader.Read(f, "faults", field.name, &(s.faults.*field.ms));
      }
    }
    if (root.contains("restarts")) {
      for (const json& r : root.at("restarts")) {
        if (absl::Status st = CheckKeys(r, "restarts[]", {"node", "at"});
            !st.ok())
          return st;
        RestartEvent event;
        reader.Read(r, "restarts[]", "node", &event.node);
        reader.Read(r, "restarts[]", "at", &event.at);
        s.restarts.push_back(event);
      }
    }
    if (root.contains("timeouts")) {
      const json& t = root.at("timeouts");
      if (absl::Status st =
              CheckKeys(t, "timeouts", {"boot_s", "run_s", "drain_ms"});
          !st.ok()) {
        return st;
      }
      reader.Read(t, "timeouts", "boot_s", &s.boot_timeout_s);
      reader.Read(t, "timeouts", "run_s", &s.run_timeout_s);
      reader.Read(t, "timeouts", "drain_ms", &s.drain_timeout_ms);
    }
    if (!reader.status().ok())
      return absl::Status(
          reader.status().code(),
          absl::StrCat("scenario: ", reader.status().message()));
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("scenario: ", e.what()));
  }
  if (absl::Status st = Validate(s); !st.ok()) return st;
  return s;
}

absl::StatusOr<Scenario> ParseScenario(absl::string_view text) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false,
                          /*ignore_comments=*/true);
  if (root.is_discarded())
    return absl::InvalidArgumentError("scenario: not valid JSON");
  return ScenarioFromJson(root);
}

absl::StatusOr<Scenario> LoadScenarioFile(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(
        absl::StrCat("cannot read scenario file ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Scenario> s = ParseScenario(text.str());
  if (!s.ok()) {
    return absl::Status(s.status().code(),
                        absl::StrCat(path, ": ", s.status().message()));
  }
  return s;
}

json ScenarioToJson(const Scenario& s) {
  json faults = json::object();
  for (const FaultField& field : kFaultFields)
    faults[field.name] = s.faults.*field.probability;
  for (const TimingField& field : kTimingFields)
    faults[field.name] = s.faults.*field.ms;
  json restarts = json::array();
  for (const RestartEvent& r : s.restarts)
    restarts.push_back({{"node", r.node}, {"at", r.at}});
  return {
      {"name", s.name},
      {"nodes", s.nodes},
      {"boards", s.boards},
      {"topology", TopologyName(s.topology)},
      {"seed", s.seed},
      {"traffic",
       {{"messages_per_node", s.messages_per_node},
        {"rate_per_node", s.rate_per_node},
        {"size_min", s.size_min},
        {"size_max", s.size_max},
        {"sizes", s.sizes},
        {"mode", TrafficModeName(s.mode)}}},
      {"faults", faults},
      {"restarts", restarts},
      {"timeouts",
       {{"boot_s", s.boot_timeout_s},
        {"run_s", s.run_timeout_s},
        {"drain_ms", s.drain_timeout_ms}}},
  };
}

absl::StatusOr<FaultMix> ParseFaultSpec(absl::string_view spec) {
  if (spec == "none") return FaultMix{};
  if (spec == "moderate") return ModerateFaults();
  FaultMix mix;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (kv.size() != 2)
      return absl::InvalidArgumentError(
          absl::StrCat("bad fault item '", item, "'"));
    if (kv[0] == "preset") {
      absl::StatusOr<FaultMix> preset = ParseFaultSpec(kv[1]);
      if (!preset.ok()) return preset.status();
      mix = *preset;
      continue;
    }
    bool known = false;
    for (const FaultField& field : kFaultFields) {
      if (kv[0] != field.name) continue;
      known = absl::SimpleAtod(kv[1], &(mix.*field.probability)) &&
              mix.*field.probability >= 0 && mix.*field.probability <= 1;
      if (!known) {
        return absl::InvalidArgumentError(
            absl::StrCat("faults: ", field.name, ": '", kv[1],
                         "' is not a probability in 0..1"));
      }
    }
    for (const TimingField& field : kTimingFields) {
      if (kv[0] != field.name) continue;
      known = absl::SimpleAtoi(kv[1], &(mix.*field.ms)) && mix.*field.ms >= 0;
      if (!known) {
        return absl::InvalidArgumentError(
            absl::StrCat("faults: ", field.name, ": '", kv[1],
                         "' is not a whole number of ms >= 0"));
      }
    }
    if (!known)
      return absl::InvalidArgumentError(
          absl::StrCat("unknown fault '", kv[0], "'"));
  }
  return mix;
}

absl::StatusOr<std::vector<RestartEvent>> ParseRestartSpec(
    absl::string_view spec) {
  std::vector<RestartEvent> events;
  if (spec == "none" || spec.empty()) return events;
  for (absl::string_view item : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, '@');
    RestartEvent event;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &event.node) ||
        !absl::SimpleAtod(parts[1], &event.at) ||
        !(event.at >= 0 && event.at <= 1)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad restart '", item, "' (want NODE@FRACTION)"));
    }
    events.push_back(event);
  }
  return events;
}

absl::Status ApplyOverrides(const ScenarioOverrides& o, Scenario* s) {
  if (o.nodes) s->nodes = *o.nodes;
  if (o.boards) s->boards = absl::StrSplit(*o.boards, ',', absl::SkipEmpty());
  if (o.topology) {
    absl::StatusOr<Topology> t = ParseTopology(*o.topology);
    if (!t.ok()) return t.status();
    s->topology = *t;
  }
  if (o.seed) s->seed = *o.seed;
  if (o.messages_per_node) s->messages_per_node = *o.messages_per_node;
  if (o.rate_per_node) s->rate_per_node = *o.rate_per_node;
  if (o.sizes) {
    absl::StatusOr<std::vector<int>> sizes =
        ParseSizes(*o.sizes, &s->size_min, &s->size_max);
    if (!sizes.ok()) return sizes.status();
    s->sizes = *sizes;
  }
  if (o.faults) {
    absl::StatusOr<FaultMix> mix = ParseFaultSpec(*o.faults);
    if (!mix.ok()) return mix.status();
    s->faults = *mix;
  }
  if (o.restarts) {
    absl::StatusOr<std::vector<RestartEvent>> r = ParseRestartSpec(*o.restarts);
    if (!r.ok()) return r.status();
    s->restarts = *r;
  }
  if (o.mode) {
    absl::StatusOr<TrafficMode> m = ParseTrafficMode(*o.mode);
    if (!m.ok()) return m.status();
    s->mode = *m;
  }
  return Validate(*s);
}

absl::Status Validate(const Scenario& s) {
  auto bad = [](auto&&... parts) {
    return absl::InvalidArgumentError(absl::StrCat(parts...));
  };
  if (s.nodes < 2 || s.nodes > 254)
    return bad("nodes must be 2..254, not ", s.nodes);
  if (s.boards.empty()) return bad("no boards");
  for (const std::string& b : s.boards) {
    if (!KnownBoards().count(b)) return bad("unknown board '", b, "'");
  }
  if (s.messages_per_node < 0) return bad("messages_per_node < 0");
  if (!(s.rate_per_node > 0) || !std::isfinite(s.rate_per_node)) {
    return bad("rate_per_node must be a finite number > 0, not ",
               s.rate_per_node);
  }
  auto size_ok = [](int n) { return n >= 0 && n <= 4096; };
  if (!size_ok(s.size_min) || !size_ok(s.size_max) || s.size_min > s.size_max) {
    return bad("sizes must satisfy 0 <= size_min <= size_max <= 4096");
  }
  for (int n : s.sizes) {
    if (!size_ok(n)) return bad("size ", n, " outside 0..4096");
  }
  const FaultMix& f = s.faults;
  for (const FaultField& field : kFaultFields) {
    const double p = f.*field.probability;
    if (!(p >= 0 && p <= 1))
      return bad("fault probability ", field.name, "=", p, " outside 0..1");
  }
  if (f.Total() > 1.0 + 1e-9)
    return bad("fault probabilities sum to ", f.Total(), " > 1");
  if (f.delay_min_ms < 0 || f.delay_min_ms > f.delay_max_ms)
    return bad("bad delay range");
  if (f.replay_after_ms < 0 || f.reorder_hold_ms < 0)
    return bad("negative fault timing");
  for (const RestartEvent& r : s.restarts) {
    if (r.node < 1 || r.node > s.nodes)
      return bad("restart of node ", r.node, " not in fleet");
    if (!(r.at >= 0 && r.at <= 1))
      return bad("restart point ", r.at, " outside 0..1");
  }
  if (s.boot_timeout_s <= 0 || s.run_timeout_s <= 0 ||
      s.drain_timeout_ms <= 0) {
    return bad("timeouts must be positive");
  }
  if (s.topology == Topology::kRing && s.nodes < 3)
    return bad("a ring needs 3 nodes");
  return absl::OkStatus();
}

}  // namespace sim
