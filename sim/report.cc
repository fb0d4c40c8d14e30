#include "sim/report.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/accounting.h"
#include "sim/reject_reason.h"

namespace sim {
namespace {

using json = nlohmann::json;

constexpr absl::Duration kBucket = absl::Milliseconds(50);
// Threads of a node's track in the trace.
constexpr int kLifeThread = 1;
constexpr int kSendThread = 2;
constexpr int kReceiveThread = 3;
// Steps are instants; a flow arrow needs a slice to bind to.
constexpr absl::Duration kStepSlice = absl::Microseconds(50);

}  // namespace

std::vector<std::string> OutcomeTable(const Verdict& verdict) {
  std::vector<std::string> table;
  for (const MessageOutcome& m : verdict.per_message) {
    std::string line =
        absl::StrFormat("%u %d>%d %s", m.id, m.src, m.dst, m.outcome);
    if (!m.cause.empty()) absl::StrAppend(&line, " ", m.cause);
    absl::StrAppend(&line, " tx=", m.transmissions);
    table.push_back(std::move(line));
  }
  return table;
}

std::string OutcomeTableDigest(const std::vector<std::string>& table) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const std::string& line : table) {
    for (unsigned char c : line + "\n") {
      hash ^= c;
      hash *= 0x100000001b3ull;
    }
  }
  return absl::StrFormat("%016x", hash);
}

std::vector<MessageFlow> MessageFlows(const RunOutcome& outcome) {
  const LedgerInput& ledger = outcome.ledger;
  std::vector<MessageFlow> flows;
  std::map<std::uint32_t, std::size_t> by_id;
  // (source, destination, epoch, sequence) of each accepted DATA frame.
  std::map<std::tuple<int, int, std::uint32_t, std::uint32_t>, std::size_t>
      by_header;
  for (const MessageRecord& m : ledger.messages) {
    if (m.accepted_at == absl::InfinitePast()) continue;
    MessageFlow flow;
    flow.id = m.plan.id;
    flow.src = m.plan.src;
    flow.dst = m.plan.dst;
    flow.steps.push_back({m.accepted_at,
                          flow.src,
                          "accepted",
                          {{"seq", m.sequence}, {"busy", m.busy}}});
    by_id[flow.id] = flows.size();
    by_header[{flow.src, flow.dst, m.epoch, m.sequence}] = flows.size();
    flows.push_back(std::move(flow));
  }
  for (const FrameRecord& f : ledger.frames) {
    if (!f.parsed) continue;
    if (f.type == FrameType::kData) {
      auto it = by_header.find({f.header.source, f.header.destination,
                                f.header.epoch, f.header.sequence});
      if (it == by_header.end()) continue;
      flows[it->second].steps.push_back({f.emitted,
                                         f.port,
                                         "tx",
                                         {{"transmission", f.transmission + 1},
                                          {"fault", FaultKindName(f.fault)},
                                          {"fate", FrameFateName(f.fate)},
                                          {"frame", f.index}}});
    } else if (f.ack.authentic) {
      // An ACK travels from the message's receiver back to its sender.
      auto it = by_header.find({f.header.destination, f.header.source,
                                f.header.epoch, f.ack.acked_sequence});
      if (it == by_header.end()) continue;
      flows[it->second].steps.push_back({f.emitted,
                                         f.port,
                                         "ack",
                                         {{"fault", FaultKindName(f.fault)},
                                          {"fate", FrameFateName(f.fate)},
                                          {"frame", f.index}}});
    }
  }
  for (const RxRecord& r : ledger.rx) {
    auto it = by_id.find(r.line.id);
    if (it == by_id.end()) continue;
    flows[it->second].steps.push_back(
        {r.time, r.receiver, "rx", {{"len", r.line.len}, {"life", r.life}}});
  }
  for (const OutcomeRecord& o : ledger.outcomes) {
    auto it = by_id.find(o.line.id);
    if (it == by_id.end()) continue;
    json detail = {{"tx", o.line.tx}};
    if (!o.line.delivered) detail["cause"] = o.line.cause;
    flows[it->second].steps.push_back(
        {o.time, o.node, o.line.delivered ? "delivered" : "failed", detail});
  }
  for (const MessageRecord& m : ledger.messages) {
    auto it = by_id.find(m.plan.id);
    if (it == by_id.end() || !m.sender_restarted) continue;
    flows[it->second].steps.push_back({m.sender_restarted_at,
                                       m.plan.src,
                                       "failed",
                                       {{"cause", "sender_restarted"}}});
  }
  for (MessageFlow& flow : flows) {
    std::stable_sort(
        flow.steps.begin(), flow.steps.end(),
        [](const FlowStep& a, const FlowStep& b) { return a.time < b.time; });
  }
  return flows;
}

json BuildReport(const Scenario& scenario, const RunOutcome& outcome) {
  json report;
  report["scenario"] = ScenarioToJson(scenario);
  report["verdict"] = outcome.verdict.ToJson();
  const double traffic_s = absl::ToDoubleSeconds(outcome.traffic_duration);
  report["run"] = {
      {"completed", outcome.completed},
      {"abort_reason", outcome.abort_reason},
      {"signal", outcome.signal},
      {"duration_s", absl::ToDoubleSeconds(outcome.duration)},
      {"traffic_duration_s", traffic_s},
      {"messages_per_second",
       traffic_s > 0 ? outcome.verdict.delivered / traffic_s : 0.0},
      // DELIVERED lines: what the senders know arrived.
      {"acknowledged_per_second",
       traffic_s > 0 ? outcome.verdict.outcome_delivered / traffic_s : 0.0},
      {"frames_on_wire", outcome.ledger.frames.size()},
  };
  json nodes = json::array();
  for (const NodeMetrics& n : outcome.nodes) {
    json stats = json::object();
    if (n.last_stats) stats = n.last_stats->counters;
    json node = {
        {"id", n.id},
        {"board", n.board},
        {"build", n.build},
        {"lives", n.lives},
        {"boot_to_ready_ms", n.boot_to_ready_ms},
        {"boot_to_first_frame_ms",
         n.boot_to_first_frame_ms ? json(*n.boot_to_first_frame_ms) : json()},
        {"rss_kib_max", n.rss_kib_max},
        {"rss_anon_kib_max", n.rss_anon_kib_max},
        {"cpu_s", n.cpu_s},
        {"cpu_share", outcome.duration > absl::ZeroDuration()
                          ? n.cpu_s / absl::ToDoubleSeconds(outcome.duration)
                          : 0.0},
        {"static_ram_bytes", n.static_ram},
        {"last_stats", stats},
        {"busy", n.busy},
        {"arq_lifetime_ms",
         n.arq_lifetime_ms ? json(*n.arq_lifetime_ms) : json()},
    };
    nodes.push_back(node);
  }
  report["nodes"] = nodes;
  report["wire_scan"] = outcome.wire_scan;
  json left = json::array();
  for (pid_t pid : outcome.processes_left) left.push_back(pid);
  report["processes"] = {{"qemu_left_behind", outcome.processes_left.size()},
                         {"pids", left}};
  json events = json::array();
  for (const auto& [time, text] : outcome.fleet_events) {
    events.push_back({{"t_s", absl::ToDoubleSeconds(time - outcome.origin)},
                      {"event", text}});
  }
  report["fleet_events"] = events;
  // What the trace draws, as data: each message's steps, each node's
  // lives and every refusal.
  auto t_ms = [&](absl::Time t) {
    return absl::ToDoubleMilliseconds(t - outcome.origin);
  };
  json flows = json::array();
  for (const MessageFlow& flow : MessageFlows(outcome)) {
    json steps = json::array();
    for (const FlowStep& step : flow.steps) {
      json entry = {
          {"t_ms", t_ms(step.time)}, {"node", step.node}, {"what", step.what}};
      entry.update(step.detail);
      steps.push_back(entry);
    }
    flows.push_back({{"id", flow.id},
                     {"src", flow.src},
                     {"dst", flow.dst},
                     {"steps", steps}});
  }
  report["message_flows"] = flows;
  // Where the nodes' timers, not the faults, decided a transmission count:
  // a retransmission sent after an intact copy had reached the receiver
  // whose next ACK reached the sender intact, whether the retransmission
  // went before that ACK (the receiver was slow) or after it (the sender
  // had not read it yet). The faults alone would have ended the message
  // with that ACK; every such transmission also shifts the link's later
  // frame places and with them the faults of later messages.
  json timed = json::array();
  int timed_retransmissions = 0;
  for (const MessageFlow& flow : MessageFlows(outcome)) {
    bool intact_copy = false;  // since the last lost ACK
    bool intact_ack = false;
    int before_ack = 0;
    int counted = 0;
    for (const FlowStep& step : flow.steps) {
      const bool delivered = step.detail.value("fate", "") == "delivered";
      if (step.what == "tx") {
        if (step.detail.value("transmission", 1) > 1) {
          if (intact_ack) {
            ++counted;
          } else if (intact_copy) {
            ++before_ack;
          }
        }
        if (delivered) intact_copy = true;
      } else if (step.what == "ack") {
        if (delivered) {
          counted += before_ack;
          intact_ack = true;
        } else {
          intact_copy = false;  // a retransmission was needed after all
        }
        before_ack = 0;
      }
    }
    if (counted > 0) {
      timed_retransmissions += counted;
      timed.push_back(flow.id);
    }
  }
  report["repeatability"] = {
      {"fault_key",
       scenario.mode == TrafficMode::kRepeatable ? "link_order" : "header"},
      {"node_clocks",
       scenario.mode == TrafficMode::kRepeatable ? "stepped" : "board"},
      {"clock_advances", outcome.clock_advances},
      {"parked_releases", outcome.parked_releases},
      {"timer_retransmissions", timed_retransmissions},
      {"messages_decided_by_timers", timed}};
  json lives = json::array();
  for (const LifeRecord& life : outcome.ledger.lives) {
    json entry = {{"node", life.node},
                  {"life", life.life},
                  {"started_ms", t_ms(life.started)}};
    if (life.ready_at != absl::InfiniteFuture())
      entry["ready_ms"] = t_ms(life.ready_at);
    if (life.killed) entry["killed_ms"] = t_ms(life.killed_at);
    lives.push_back(entry);
  }
  report["lives"] = lives;
  json refusals = json::array();
  for (const RejectRecord& r : outcome.ledger.rejects) {
    refusals.push_back({{"t_ms", t_ms(r.time)},
                        {"node", r.receiver},
                        {"life", r.life},
                        {"src", r.line.src},
                        {"reason", RejectReasonName(r.line.reason)}});
  }
  report["refusals"] = refusals;
  const std::vector<std::string> table = OutcomeTable(outcome.verdict);
  report["outcome_table"] = {{"digest", OutcomeTableDigest(table)},
                             {"rows", table}};
  return report;
}

TraceWriter BuildTrace(const RunOutcome& outcome) {
  TraceWriter trace(outcome.origin);
  trace.NameProcess(0, "fleet");
  for (const NodeMetrics& n : outcome.nodes) {
    trace.NameProcess(n.id, absl::StrFormat("node %d (%s)", n.id, n.board));
  }
  // Cumulative counters, sampled at the end of every bucket that changed.
  std::map<int, std::pair<long, long>> totals;  // node -> (sent, received)
  std::map<int, absl::Time> bucket_of;
  auto flush = [&](int node) {
    trace.Counter(
        node, "frames", bucket_of[node],
        {{"sent", totals[node].first}, {"received", totals[node].second}});
  };
  for (const RouterEvent& e : outcome.router_events) {
    const int node = e.node;
    const absl::Time bucket =
        outcome.origin + absl::Floor(e.time - outcome.origin, kBucket);
    if (bucket_of.count(node) && bucket_of[node] != bucket) flush(node);
    bucket_of[node] = bucket;
    switch (e.type) {
      case RouterEvent::Type::kEmitted:
        ++totals[node].first;
        break;
      case RouterEvent::Type::kDelivered:
        ++totals[node].second;
        break;
      case RouterEvent::Type::kFault:
        trace.Instant(node, std::string(FaultKindName(e.fault)), e.time,
                      {{"src", e.peer}, {"dst", e.node}, {"seq", e.sequence}});
        break;
    }
  }
  for (const auto& [node, unused] : bucket_of) flush(node);
  for (const auto& [time, text] : outcome.fleet_events)
    trace.Instant(0, text, time, json::object());
  // A span per node life (boot to kill or end of run), and its boot.
  const absl::Time end = outcome.origin + outcome.duration;
  for (const LifeRecord& life : outcome.ledger.lives) {
    const absl::Time until = life.killed ? life.killed_at : end;
    trace.ThreadSpan(life.node, kLifeThread, absl::StrCat("life ", life.life),
                     life.started, std::max(until, life.started),
                     {{"killed", life.killed}});
    // The first boot is on the node's own track (below).
    if (life.life > 1 && life.ready_at != absl::InfiniteFuture()) {
      trace.ThreadSpan(life.node, kLifeThread, "boot", life.started,
                       life.ready_at, json::object());
    }
    // What the node said about its links when asked (STATS): quarantine
    // is the node's own verdict on a link, visible only there.
    if (life.stats) {
      trace.Counter(life.node, "links quarantined", life.stats_at,
                    {{"now", life.stats->Get("links_quarantined")},
                     {"ever", life.stats->Get("quarantines")}});
    }
  }
  for (const NodeMetrics& n : outcome.nodes) {
    if (!n.boot_to_ready_ms.empty()) {
      trace.Span(
          n.id, "boot", outcome.origin,
          outcome.origin + absl::Milliseconds(n.boot_to_ready_ms.front()),
          json::object());
    }
    trace.NameThread(n.id, kLifeThread, "lives");
    trace.NameThread(n.id, kSendThread, "messages sent");
    trace.NameThread(n.id, kReceiveThread, "messages received");
  }
  for (const RejectRecord& r : outcome.ledger.rejects) {
    trace.ThreadSpan(r.receiver, kReceiveThread,
                     absl::StrCat("REJECT ", RejectReasonName(r.line.reason)),
                     r.time, r.time + kStepSlice,
                     {{"src", r.line.src}, {"life", r.life}});
  }
  // Per message: a slice per step, joined by one flow (sender's accept,
  // each transmission, the receiver's RX and ACKs, the outcome line).
  for (const MessageFlow& flow : MessageFlows(outcome)) {
    const std::string name = absl::StrCat("message ", flow.id);
    for (std::size_t k = 0; k < flow.steps.size(); ++k) {
      const FlowStep& step = flow.steps[k];
      const int tid = step.node == flow.src ? kSendThread : kReceiveThread;
      json args = step.detail;
      args["message"] = flow.id;
      args["src"] = flow.src;
      args["dst"] = flow.dst;
      trace.ThreadSpan(step.node, tid, absl::StrCat(step.what, " #", flow.id),
                       step.time, step.time + kStepSlice, args);
      const char* phase = k == 0 ? "s" : k + 1 == flow.steps.size() ? "f" : "t";
      if (flow.steps.size() > 1)
        trace.FlowStep(phase, flow.id, name, step.node, tid, step.time);
    }
  }
  return trace;
}

namespace {

// The delivery block: outcomes, failures by cause, BUSY, retransmissions
// and duplicates, then every message that needed more than one
// transmission or did not end delivered.
void AppendDelivery(const json& v, std::string* out) {
  if (!v.contains("delivery")) return;
  const json& d = v["delivery"];
  absl::StrAppendFormat(
      out, "accepted %d: DELIVERED %d, FAILED %d, silent losses %d\n",
      d["accepted"].get<int>(), d["delivered"].get<int>(),
      d["failed"].get<int>(), d["silent_losses"].get<int>());
  for (const auto& [cause, count] : d["failed_by_cause"].items()) {
    absl::StrAppendFormat(out, "  failed %-53s %d\n", cause, count.get<int>());
  }
  absl::StrAppendFormat(
      out, "  failed, but delivered (acknowledgements lost)          %d\n",
      d["failed_but_delivered"].get<int>());
  std::string histogram;
  for (const auto& [tx, count] : d["transmissions_histogram"].items()) {
    absl::StrAppendFormat(&histogram, "%s%s: %d", histogram.empty() ? "" : ", ",
                          tx, count.get<int>());
  }
  absl::StrAppendFormat(
      out,
      "BUSY re-offers %d; retransmissions %d (messages by transmissions: "
      "%s)\n",
      d["busy_retries"].get<int>(), d["retransmissions"].get<int>(),
      histogram.empty() ? "none" : histogram);
  absl::StrAppendFormat(
      out,
      "duplicates suppressed: %d by the receivers (STATS rx_duplicates); the "
      "router delivered %d copies of DATA frames their receiver had\n",
      d["rx_duplicates_reported"].get<int>(), d["duplicate_copies"].get<int>());
  absl::StrAppendFormat(out, "frames on the wire: %d DATA, %d ACK\n",
                        d["data_frames"].get<int>(),
                        d["ack_frames"].get<int>());
  if (d.contains("ack_lag_ms_max")) {
    absl::StrAppendFormat(
        out,
        "ACK in the sender's link to DELIVERED: median %.0f ms, max %.0f ms "
        "(an ACK there %.1f s before a FAILED refutes it)\n",
        d["ack_lag_ms_median"].get<double>(), d["ack_lag_ms_max"].get<double>(),
        d.value("ack_slack_ms", 0.0) / 1000);
  }
  if (!v.contains("per_message")) return;
  constexpr int kShown = 40;
  int listed = 0, more = 0;
  for (const json& m : v["per_message"]) {
    const std::string outcome = m["outcome"].get<std::string>();
    if (outcome == "delivered" && m["transmissions"].get<int>() <= 1 &&
        m["ok"].get<bool>()) {
      continue;
    }
    if (listed == 0) out->append("messages retransmitted or not delivered:\n");
    if (++listed > kShown) {
      ++more;
      continue;
    }
    std::string line = absl::StrFormat(
        "  #%-5d %3d->%-3d %5dB  %-11s tx=%d", m["id"].get<int>(),
        m["src"].get<int>(), m["dst"].get<int>(), m["size"].get<int>(), outcome,
        m["transmissions"].get<int>());
    if (m.contains("cause"))
      absl::StrAppend(&line, "  ", m["cause"].get<std::string>());
    if (m.contains("confirmed"))
      absl::StrAppend(&line, " (", m["confirmed"].get<std::string>(), ")");
    if (m["rx"].get<int>() > 0 && outcome != "delivered")
      absl::StrAppend(&line, "  rx=", m["rx"].get<int>());
    if (!m["ok"].get<bool>()) absl::StrAppend(&line, "  VIOLATION");
    absl::StrAppend(out, line, "\n");
  }
  if (more > 0) {
    absl::StrAppendFormat(out, "  ... %d more (report.json: per_message)\n",
                          more);
  }
}

}  // namespace

std::string SummaryTable(const json& report) {
  std::string out;
  absl::StrAppendFormat(
      &out, "\n%-4s %-16s %5s %10s %12s %6s %6s %9s %7s %7s %7s %7s %6s %9s\n",
      "node", "board", "lives", "boot(ms)", "1st frame", "tx", "rx_ok",
      "malformed", "replay", "forged", "ack_unk", "other", "busy", "RSS(MiB)");
  for (const json& n : report["nodes"]) {
    const json& s = n["last_stats"];
    auto get = [&](const char* key) -> long long {
      return s.contains(key) ? s[key].get<long long>() : 0;
    };
    const double boot = n["boot_to_ready_ms"].empty()
                            ? 0
                            : n["boot_to_ready_ms"][0].get<double>();
    const std::string first =
        n["boot_to_first_frame_ms"].is_null()
            ? "-"
            : absl::StrFormat("%.0f",
                              n["boot_to_first_frame_ms"].get<double>());
    absl::StrAppendFormat(
        &out,
        "%-4d %-16s %5d %10.0f %12s %6d %6d %9d %7d %7d %7d %7d %6d %9.1f\n",
        n["id"].get<int>(), n["board"].get<std::string>(),
        n["lives"].get<int>(), boot, first, get("tx"), get("rx_ok"),
        get("rej_malformed"), get("rej_replay"), get("rej_forged"),
        get("ack_unknown"),
        get("rej_misrouted") + get("rej_unknown_peer") + get("rej_epoch"),
        n.value("busy", 0), n["rss_kib_max"].get<long>() / 1024.0);
  }
  out +=
      "(counters are the last life's STATS; busy: BUSY replies, all lives)\n";
  const json& v = report["verdict"];
  absl::StrAppendFormat(&out, "\nmessages %d: delivered %d, lost %d\n",
                        v["messages"].get<int>(), v["delivered"].get<int>(),
                        v["lost"].get<int>());
  for (const auto& [cause, count] : v["lost_by_cause"].items()) {
    absl::StrAppendFormat(&out, "  lost %-55s %d\n", cause, count.get<int>());
  }
  AppendDelivery(v, &out);
  absl::StrAppendFormat(&out, "\n%-14s %7s %10s %6s %9s %9s %9s %11s\n",
                        "fault", "frames", "delivered", "lost", "to refuse",
                        "refused", "absorbed", "unobserved");
  for (const auto& [kind, f] : v["faults"].items()) {
    absl::StrAppendFormat(
        &out, "%-14s %7d %10d %6d %9d %9d %9d %11d\n", kind,
        f["frames"].get<int>(), f["messages_delivered"].get<int>(),
        f["messages_lost"].get<int>(), f["refusals_expected"].get<int>(),
        f["refusals_observed"].get<int>(), f.value("copies_absorbed", 0),
        f["refusals_unobserved"].get<int>());
  }
  out +=
      "(absorbed: duplicated DATA a receiver had already, acknowledged again"
      " without a line)\n";
  const json& w = report["wire_scan"];
  absl::StrAppendFormat(
      &out,
      "\nwire scan: %d bytes, %d patterns (%d windows): plaintext on wire: %s, "
      "key on wire: %s\n",
      w["bytes_scanned"].get<long long>(), w["patterns"].get<int>(),
      w["windows"].get<int>(),
      w["plaintext_on_wire"].get<bool>() ? "YES" : "no",
      w["key_on_wire"].get<bool>() ? "YES" : "no");
  if (w.contains("frames_scanned")) {
    const json& f = w["frames_scanned"];
    absl::StrAppendFormat(
        &out, "  frames scanned: %d DATA, %d ACK, %d other (mutated, leaked)\n",
        f["data"].get<long long>(), f["ack"].get<long long>(),
        f["other"].get<long long>());
  }
  absl::StrAppendFormat(
      &out, "accepted forgeries/replays: %d; REJECT lines %d, explained %d\n",
      v["accepted_forgeries_or_replays"].get<int>(),
      v["rejects_observed"].get<int>(), v["rejects_explained"].get<int>());
  absl::StrAppendFormat(&out, "QEMU processes left behind: %d\n",
                        report["processes"]["qemu_left_behind"].get<int>());
  const json& run = report["run"];
  absl::StrAppendFormat(
      &out, "traffic %.1f s, %.1f messages/s delivered (%.1f/s acknowledged)\n",
      run["traffic_duration_s"].get<double>(),
      run["messages_per_second"].get<double>(),
      run.value("acknowledged_per_second", 0.0));
  double cpu = 0;
  long anon = 0;
  for (const json& n : report["nodes"]) {
    cpu += n.value("cpu_share", 0.0);
    anon += n.value("rss_anon_kib_max", 0L);
  }
  if (!report["nodes"].empty()) {
    const double count = static_cast<double>(report["nodes"].size());
    absl::StrAppendFormat(&out,
                          "per node: %.0f %% of a host core, %.1f MiB own "
                          "memory (RSS less shared pages)\n",
                          100 * cpu / count, anon / count / 1024.0);
  }
  if (report.contains("outcome_table")) {
    absl::StrAppendFormat(
        &out,
        "outcome table digest %s (%s traffic); %d retransmissions while an "
        "ACK was on its way (%d messages)\n",
        report["outcome_table"]["digest"].get<std::string>(),
        report["scenario"]["traffic"]["mode"].get<std::string>(),
        report["repeatability"]["timer_retransmissions"].get<int>(),
        static_cast<int>(
            report["repeatability"]["messages_decided_by_timers"].size()));
  }
  if (!v["pass"].get<bool>()) {
    out += "\nVERDICT: FAIL\n";
    for (const auto& [check, count] : v["violation_counts"].items()) {
      absl::StrAppendFormat(&out, "  %-30s %d\n", check, count.get<int>());
    }
    int shown = 0;
    for (const json& violation : v["violations"]) {
      if (++shown > 10) break;
      absl::StrAppendFormat(&out, "  - %s: %s\n",
                            violation["check"].get<std::string>(),
                            violation["detail"].get<std::string>());
    }
  } else {
    out += "\nVERDICT: PASS\n";
  }
  return out;
}

}  // namespace sim
