// End-to-end: runs //sim:fleet on small fleets of real QEMU nodes (3 nodes,
// both boards) and asserts on its JSON report, its exit status and on /proc.
//
// The test makes itself a child subreaper, so any QEMU that outlived the
// harness would be re-parented to this process, where the check finds it.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sim/fleet_under_test.h"

namespace {

using json = nlohmann::json;

json ReadReport(const std::string& dir) {
  std::ifstream in(dir + "/report.json");
  EXPECT_TRUE(in.good()) << "no report in " << dir;
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Live (non-zombie) processes whose parent is this test, by command name.
std::vector<std::string> LiveChildren() {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::vector<std::string> fields =
        absl::StrSplit(stat.substr(close + 2), ' ');
    pid_t ppid = 0;
    if (fields.size() < 2 || !absl::SimpleAtoi(fields[1], &ppid)) continue;
    if (ppid == getpid() && fields[0] != "Z") {
      found.push_back(
          stat.substr(stat.find('(') + 1, close - stat.find('(') - 1));
    }
  }
  // Reap whatever was re-parented to us and already died.
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  return found;
}

bool NoChildrenWithin(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (LiveChildren().empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return LiveChildren().empty();
}

bool FileContainsWithin(const std::string& path, const std::string& text,
                        absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    if (s.str().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class FleetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }
  void TearDown() override { EXPECT_TRUE(NoChildrenWithin(absl::Seconds(5))); }
};

TEST_F(FleetTest, EveryFaultKindOnBothBoardsIsAccountedFor) {
  const std::string out = sim::TestOutputDir("all_faults");
  ASSERT_EQ(sim::RunFleet({"--scenario=sim/scenarios/all_faults_small.json",
                           "--out=" + out}),
            0);
  const json r = ReadReport(out);
  const json& v = r["verdict"];
  EXPECT_TRUE(v["pass"].get<bool>()) << v.dump(2);
  EXPECT_EQ(v["accepted_forgeries_or_replays"].get<int>(), 0);
  EXPECT_EQ(v["rejects_observed"].get<int>(),
            v["rejects_explained"].get<int>());
  EXPECT_EQ(v["delivered"].get<int>() + v["lost"].get<int>(), 90);
  // Reliable delivery: every accepted message ended in one confirmed
  // outcome, the nodes retransmitted and acknowledged, nothing was lost
  // silently.
  const json& d = v["delivery"];
  EXPECT_EQ(d["silent_losses"].get<int>(), 0);
  EXPECT_EQ(d["delivered"].get<int>() + d["failed"].get<int>(), 90) << d.dump();
  EXPECT_GT(d["retransmissions"].get<int>(), 0);
  EXPECT_GT(d["ack_frames"].get<int>(), 0);
  EXPECT_GT(r["wire_scan"]["frames_scanned"]["ack"].get<int>(), 0);
  ASSERT_EQ(v["per_message"].size(), 90u);
  for (const json& m : v["per_message"]) {
    EXPECT_TRUE(m["ok"].get<bool>()) << m.dump();
    const std::string outcome = m["outcome"];
    EXPECT_TRUE(outcome == "delivered" || outcome == "failed") << m.dump();
    if (outcome == "failed") {
      const std::string cause = m["cause"];
      EXPECT_TRUE(cause == "unreachable" || cause == "sender_restarted")
          << m.dump();
      EXPECT_FALSE(m["confirmed"].get<std::string>().empty()) << m.dump();
    }
  }
  for (const char* kind : {"drop", "bitflip", "truncate", "duplicate", "replay",
                           "reorder", "delay", "forge"}) {
    ASSERT_TRUE(v["faults"].contains(kind)) << kind;
    EXPECT_GT(v["faults"][kind]["frames"].get<int>(), 0) << kind;
  }
  // Faults that must be refused were refused, where the receiver lived;
  // duplicated DATA may instead be acknowledged again without a line.
  for (const char* kind :
       {"bitflip", "truncate", "duplicate", "replay", "forge"}) {
    const json& f = v["faults"][kind];
    EXPECT_GT(f["refusals_observed"].get<int>(), 0) << kind;
    EXPECT_EQ(f["refusals_observed"].get<int>() +
                  f["refusals_unobserved"].get<int>() +
                  f["copies_absorbed"].get<int>(),
              f["refusals_expected"].get<int>())
        << kind;
  }
  // A dropped or corrupted transmission is retransmitted.
  EXPECT_GT(v["faults"]["drop"]["messages_delivered"].get<int>(), 0);
  EXPECT_GT(v["faults"]["bitflip"]["messages_delivered"].get<int>(), 0);
  EXPECT_GT(v["faults"]["reorder"]["messages_delivered"].get<int>(), 0);
  EXPECT_GT(v["faults"]["delay"]["messages_delivered"].get<int>(), 0);
  // A message that never arrived ended with a confirmed failure.
  const std::set<std::string> allowed = {
      "failed: unreachable", "failed: sender_restarted",
      "node restarted (sender, before it replied)"};
  for (const auto& [cause, n] : v["lost_by_cause"].items()) {
    EXPECT_TRUE(allowed.count(cause)) << cause;
  }
  // Kill-and-restart happened: node 3 lived twice.
  EXPECT_EQ(r["nodes"][2]["lives"].get<int>(), 2);
  std::set<std::string> boards;
  for (const json& n : r["nodes"]) boards.insert(n["board"].get<std::string>());
  EXPECT_EQ(boards, (std::set<std::string>{"mps3_an536", "versatilepb_r5f"}));
  EXPECT_FALSE(r["wire_scan"]["plaintext_on_wire"].get<bool>());
  EXPECT_FALSE(r["wire_scan"]["key_on_wire"].get<bool>());
  EXPECT_GT(r["wire_scan"]["bytes_scanned"].get<long>(), 0);
  EXPECT_EQ(r["processes"]["qemu_left_behind"].get<int>(), 0);
  EXPECT_TRUE(std::filesystem::exists(out + "/trace.json"));
}

TEST_F(FleetTest, PlantedPlaintextLeakFailsTheVerdict) {
  const std::string out = sim::TestOutputDir("leak_plaintext");
  EXPECT_EQ(sim::RunFleet({"--nodes=3", "--messages=8", "--faults=none",
                           "--restarts=none", "--sizes=64:512",
                           "--leak_plaintext_for_test", "--out=" + out}),
            1);
  const json r = ReadReport(out);
  EXPECT_FALSE(r["verdict"]["pass"].get<bool>());
  EXPECT_TRUE(r["wire_scan"]["plaintext_on_wire"].get<bool>());
  EXPECT_FALSE(r["wire_scan"]["key_on_wire"].get<bool>());
  // The leak is the only thing wrong: the leaked frames themselves were
  // refused by the receivers as the accounting expected.
  const json& counts = r["verdict"]["violation_counts"];
  EXPECT_TRUE(counts.contains("plaintext_on_wire"));
  EXPECT_EQ(counts.size(), 1u) << counts.dump();
}

TEST_F(FleetTest, PlantedKeyLeakFailsTheVerdict) {
  const std::string out = sim::TestOutputDir("leak_key");
  EXPECT_EQ(
      sim::RunFleet({"--nodes=3", "--messages=8", "--faults=none",
                     "--restarts=none", "--leak_key_for_test", "--out=" + out}),
      1);
  const json r = ReadReport(out);
  EXPECT_FALSE(r["verdict"]["pass"].get<bool>());
  EXPECT_TRUE(r["wire_scan"]["key_on_wire"].get<bool>());
  EXPECT_EQ(r["verdict"]["violation_counts"].size(), 1u);
}

TEST_F(FleetTest, CtrlCShutsEveryQemuDown) {
  const std::string out = sim::TestOutputDir("sigint");
  const pid_t fleet = sim::StartFleet(
      {"--nodes=3", "--messages=1000", "--rate=5", "--out=" + out});
  ASSERT_TRUE(
      FileContainsWithin(out + "/node-3.log", "< READY", absl::Seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(LiveChildren().empty());  // the fleet itself
  kill(fleet, SIGINT);
  EXPECT_EQ(sim::WaitExit(fleet), 128 + SIGINT);
  const json r = ReadReport(out);
  EXPECT_FALSE(r["run"]["completed"].get<bool>());
  EXPECT_EQ(r["run"]["signal"].get<int>(), SIGINT);
  EXPECT_FALSE(r["verdict"]["pass"].get<bool>());
  EXPECT_EQ(r["processes"]["qemu_left_behind"].get<int>(), 0);
}

TEST_F(FleetTest, KilledHarnessTakesItsQemusAlong) {
  const std::string out = sim::TestOutputDir("sigkill");
  const pid_t fleet = sim::StartFleet(
      {"--nodes=3", "--messages=1000", "--rate=5", "--out=" + out});
  ASSERT_TRUE(
      FileContainsWithin(out + "/node-3.log", "< READY", absl::Seconds(60)));
  kill(fleet, SIGKILL);
  EXPECT_EQ(sim::WaitExit(fleet), 128 + SIGKILL);
  // No cleanup code ran: only PR_SET_PDEATHSIG can have ended the QEMUs,
  // which were re-parented to this subreaper.
  EXPECT_TRUE(NoChildrenWithin(absl::Seconds(5)));
}

}  // namespace
