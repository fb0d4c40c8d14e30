#include "sim/report.h"

#include "gtest/gtest.h"
#include "sim/trace_writer.h"

namespace sim {
namespace {

RunOutcome SyntheticOutcome() {
  RunOutcome o;
  o.origin = absl::FromUnixSeconds(100);
  o.completed = true;
  o.duration = absl::Seconds(10);
  o.traffic_duration = absl::Seconds(4);
  o.verdict.messages = 10;
  o.verdict.delivered = 8;
  o.verdict.lost_by_cause["dropped by router"] = 2;
  o.verdict.faults["drop"].frames = 2;
  NodeMetrics n;
  n.id = 1;
  n.board = "mps3_an536";
  n.lives = 2;
  n.boot_to_ready_ms = {120, 95};
  n.boot_to_first_frame_ms = 300;
  n.rss_kib_max = 40960;
  n.last_stats = StatsLine{};
  n.last_stats->counters = {{"tx", 5}, {"rx_ok", 4}};
  n.busy = 3;
  n.arq_lifetime_ms = 6200;
  o.nodes.push_back(n);
  o.verdict.accepted = 10;
  o.verdict.outcome_delivered = 8;
  o.verdict.outcome_failed = 2;
  o.verdict.failed_by_cause["unreachable"] = 2;
  o.verdict.busy_retries = 3;
  o.verdict.retransmissions = 4;
  o.verdict.transmissions_histogram = {{1, 7}, {2, 1}, {6, 2}};
  o.verdict.rx_duplicates_reported = 1;
  o.verdict.duplicate_copies = 1;
  o.verdict.data_frames = 21;
  o.verdict.ack_frames = 9;
  MessageOutcome retransmitted;
  retransmitted.id = 4;
  retransmitted.src = 1;
  retransmitted.dst = 2;
  retransmitted.outcome = "delivered";
  retransmitted.transmissions = 2;
  MessageOutcome failed;
  failed.id = 9;
  failed.src = 1;
  failed.dst = 2;
  failed.outcome = "failed";
  failed.cause = "unreachable";
  failed.confirmed = "no intact copy reached the destination";
  failed.transmissions = 6;
  MessageOutcome plain;
  plain.id = 1;
  plain.outcome = "delivered";
  plain.transmissions = 1;
  o.verdict.per_message = {plain, retransmitted, failed};
  o.wire_scan = {{"patterns", 11},
                 {"windows", 500},
                 {"bytes_scanned", 12345},
                 {"plaintext_on_wire", false},
                 {"key_on_wire", false},
                 {"frames_scanned", {{"data", 21}, {"ack", 9}, {"other", 2}}}};
  o.router_events = {
      {RouterEvent::Type::kEmitted, o.origin + absl::Milliseconds(10), 1, 2,
       FaultKind::kNone, 1},
      {RouterEvent::Type::kFault, o.origin + absl::Milliseconds(10), 2, 1,
       FaultKind::kDrop, 1},
      {RouterEvent::Type::kEmitted, o.origin + absl::Milliseconds(70), 1, 2,
       FaultKind::kNone, 2},
  };
  o.fleet_events = {{o.origin + absl::Seconds(2), "restart node 1"}};
  return o;
}

TEST(ReportTest, ReportCarriesVerdictNodesAndMeasurements) {
  Scenario s;
  const nlohmann::json r = BuildReport(s, SyntheticOutcome());
  EXPECT_TRUE(r["verdict"]["pass"].get<bool>());
  EXPECT_EQ(r["verdict"]["lost"].get<int>(), 2);
  EXPECT_DOUBLE_EQ(r["run"]["messages_per_second"].get<double>(), 2.0);
  ASSERT_EQ(r["nodes"].size(), 1u);
  EXPECT_EQ(r["nodes"][0]["lives"].get<int>(), 2);
  EXPECT_DOUBLE_EQ(r["nodes"][0]["boot_to_first_frame_ms"].get<double>(), 300);
  EXPECT_EQ(r["nodes"][0]["last_stats"]["tx"].get<int>(), 5);
  EXPECT_EQ(r["processes"]["qemu_left_behind"].get<int>(), 0);
  EXPECT_EQ(r["scenario"]["nodes"].get<int>(), s.nodes);

  const std::string table = SummaryTable(r);
  EXPECT_NE(table.find("VERDICT: PASS"), std::string::npos);
  EXPECT_NE(table.find("dropped by router"), std::string::npos);
  EXPECT_NE(table.find("mps3_an536"), std::string::npos);
}

TEST(ReportTest, ReportShowsOutcomesRetransmissionsAndBusy) {
  const nlohmann::json r = BuildReport(Scenario{}, SyntheticOutcome());
  const nlohmann::json& d = r["verdict"]["delivery"];
  EXPECT_EQ(d["accepted"].get<int>(), 10);
  EXPECT_EQ(d["failed_by_cause"]["unreachable"].get<int>(), 2);
  EXPECT_EQ(d["busy_retries"].get<int>(), 3);
  EXPECT_EQ(d["retransmissions"].get<int>(), 4);
  EXPECT_EQ(d["transmissions_histogram"]["6"].get<int>(), 2);
  ASSERT_EQ(r["verdict"]["per_message"].size(), 3u);
  EXPECT_EQ(r["verdict"]["per_message"][2]["cause"], "unreachable");
  EXPECT_EQ(r["verdict"]["per_message"][2]["transmissions"].get<int>(), 6);
  EXPECT_EQ(r["nodes"][0]["busy"].get<int>(), 3);
  EXPECT_EQ(r["nodes"][0]["arq_lifetime_ms"].get<int>(), 6200);

  const std::string table = SummaryTable(r);
  EXPECT_NE(table.find("accepted 10: DELIVERED 8, FAILED 2, silent losses 0"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("BUSY re-offers 3; retransmissions 4"),
            std::string::npos);
  EXPECT_NE(table.find("1: 7, 2: 1, 6: 2"), std::string::npos);
  EXPECT_NE(table.find("failed unreachable"), std::string::npos);
  // Messages that needed retransmission or failed are listed; a plain
  // delivery is not.
  EXPECT_NE(table.find("#4 "), std::string::npos);
  EXPECT_NE(table.find("#9 "), std::string::npos);
  EXPECT_NE(table.find("(no intact copy reached the destination)"),
            std::string::npos);
  EXPECT_EQ(table.find("#1 "), std::string::npos);
  EXPECT_NE(table.find("9 ACK"), std::string::npos);
}

TEST(ReportTest, FailedVerdictIsSpelledOut) {
  RunOutcome o = SyntheticOutcome();
  o.verdict.Add("plaintext_on_wire",
                "plaintext of message 3 found in node 2 received");
  const std::string table = SummaryTable(BuildReport(Scenario{}, o));
  EXPECT_NE(table.find("VERDICT: FAIL"), std::string::npos);
  EXPECT_NE(table.find("plaintext_on_wire"), std::string::npos);
}

TEST(ReportTest, TraceHasNodeTracksCountersAndFaultMarkers) {
  const nlohmann::json t = BuildTrace(SyntheticOutcome()).ToJson();
  ASSERT_TRUE(t.contains("traceEvents"));
  int counters = 0, faults = 0, names = 0, spans = 0;
  for (const auto& e : t["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "C") {
      ++counters;
      EXPECT_TRUE(e["args"].contains("sent"));
      EXPECT_GE(e["ts"].get<double>(), 0);
    }
    if (ph == "i" && e["name"] == "drop") ++faults;
    if (ph == "M" && e["name"] == "process_name") ++names;
    if (ph == "X") ++spans;
  }
  EXPECT_EQ(faults, 1);
  EXPECT_GE(counters, 2);  // node 1 in two buckets (10 ms and 70 ms)
  EXPECT_EQ(names, 2);     // fleet + node 1
  EXPECT_EQ(spans, 1);     // node 1's boot
}

// A message accepted by node 1, sent twice (the first copy dropped), RX'd
// by node 2, acknowledged and DELIVERED: one flow through five slices, the
// same steps in the report, and the outcome table line.
TEST(ReportTest, MessageFlowJoinsSendTransmissionsReceiveAndOutcome) {
  RunOutcome o = SyntheticOutcome();
  const absl::Time t0 = o.origin;
  MessageRecord m;
  m.plan.id = 4;
  m.plan.src = 1;
  m.plan.dst = 2;
  m.state = SendState::kAccepted;
  m.sequence = 7;
  m.epoch = 1;
  m.accepted_at = t0 + absl::Milliseconds(10);
  o.ledger.messages = {m};
  auto data = [&](std::uint32_t transmission, FaultKind fault, FrameFate fate,
                  int ms) {
    FrameRecord f;
    f.parsed = true;
    f.port = 1;
    f.type = FrameType::kData;
    f.header.source = 1;
    f.header.destination = 2;
    f.header.epoch = 1;
    f.header.sequence = 7;
    f.transmission = transmission;
    f.fault = fault;
    f.fate = fate;
    f.emitted = t0 + absl::Milliseconds(ms);
    return f;
  };
  FrameRecord ack;
  ack.parsed = true;
  ack.port = 2;
  ack.type = FrameType::kAck;
  ack.header.source = 2;
  ack.header.destination = 1;
  ack.header.epoch = 1;
  ack.header.sequence = 3;
  ack.ack.opened = ack.ack.authentic = true;
  ack.ack.acked_sequence = 7;
  ack.fate = FrameFate::kDelivered;
  ack.emitted = t0 + absl::Milliseconds(240);
  o.ledger.frames = {data(0, FaultKind::kDrop, FrameFate::kDropped, 11),
                     data(1, FaultKind::kNone, FrameFate::kDelivered, 220),
                     ack};
  RxRecord rx;
  rx.receiver = 2;
  rx.life = 1;
  rx.line.src = 1;
  rx.line.id = 4;
  rx.time = t0 + absl::Milliseconds(230);
  o.ledger.rx = {rx};
  OutcomeRecord delivered;
  delivered.node = 1;
  delivered.life = 1;
  delivered.line.delivered = true;
  delivered.line.id = 4;
  delivered.line.tx = 2;
  delivered.time = t0 + absl::Milliseconds(250);
  o.ledger.outcomes = {delivered};

  const std::vector<MessageFlow> flows = MessageFlows(o);
  ASSERT_EQ(flows.size(), 1u);
  std::vector<std::string> whats;
  for (const FlowStep& step : flows[0].steps) whats.push_back(step.what);
  EXPECT_EQ(whats, (std::vector<std::string>{"accepted", "tx", "tx", "rx",
                                             "ack", "delivered"}));

  const nlohmann::json t = BuildTrace(o).ToJson();
  std::string phases;
  for (const auto& e : t["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "s" || ph == "t" || ph == "f") {
      EXPECT_EQ(e["id"], 4);
      EXPECT_EQ(e["bp"], "e");
      phases += ph;
    }
  }
  EXPECT_EQ(phases, "sttttf");

  const nlohmann::json report = BuildReport(Scenario{}, o);
  ASSERT_EQ(report["message_flows"].size(), 1u);
  EXPECT_EQ(report["message_flows"][0]["steps"].size(), 6u);
  EXPECT_EQ(report["message_flows"][0]["steps"][1]["fault"], "drop");
  EXPECT_EQ(report["repeatability"]["timer_retransmissions"], 0);
  EXPECT_EQ(report["outcome_table"]["rows"][1], "4 1>2 delivered tx=2");

  // The same message, but the first copy arrived intact and the receiver
  // was slow: the second transmission went out before its ACK, which then
  // arrived intact. The sender's timer, not a fault, made it two.
  o.ledger.frames[0] = data(0, FaultKind::kNone, FrameFate::kDelivered, 11);
  const nlohmann::json timed = BuildReport(Scenario{}, o);
  EXPECT_EQ(timed["repeatability"]["timer_retransmissions"], 1);
  EXPECT_EQ(timed["repeatability"]["messages_decided_by_timers"][0], 4);

  // The ACK went out before the retransmission but the sender had not
  // read it yet: the timer's doing too.
  o.ledger.frames[2].emitted = t0 + absl::Milliseconds(100);
  const nlohmann::json unread = BuildReport(Scenario{}, o);
  EXPECT_EQ(unread["repeatability"]["timer_retransmissions"], 1);
}

}  // namespace
}  // namespace sim
