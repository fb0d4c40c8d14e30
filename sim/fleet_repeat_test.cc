// Repeatable mode end to end: the same scenario and seed run twice on real
// QEMU nodes must give the same outcome table (every message's outcome,
// cause and transmission count) and the same verdict, whatever the host
// did to the timing in between.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

using json = nlohmann::json;

std::string OutDir(const std::string& name) {
  const char* base = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (base == nullptr) base = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  std::filesystem::create_directories(dir);
  return dir;
}

int RunFleet(std::vector<std::string> args) {
  args.insert(args.begin(), "sim/fleet");
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> raw;
    for (std::string& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

json RunOnce(const std::string& name) {
  const std::string dir = OutDir(name);
  const int status = RunFleet({"--scenario=sim/scenarios/repeatable_small.json",
                               absl::StrCat("--out=", dir), "--noprogress"});
  EXPECT_EQ(status, 0) << name << ": verdict failed, see " << dir;
  std::ifstream in(dir + "/report.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

int TimerRetransmissions(const json& report) {
  return report["repeatability"]["timer_retransmissions"].get<int>();
}

// Runs until two runs had no retransmission a sender's timer made while
// its ACK was on the way (at most kMaxRuns): those two must agree line by
// line, and every run whose table differs from theirs must have reported
// such retransmissions (the harness names every difference the host made).
TEST(FleetRepeatTest, SameSeedGivesTheSameOutcomeTable) {
  constexpr int kMaxRuns = 4;
  std::vector<json> clean;
  std::vector<json> timed;
  for (int run = 1; run <= kMaxRuns && clean.size() < 2; ++run) {
    json report = RunOnce(absl::StrCat("run", run));
    ASSERT_TRUE(report.contains("outcome_table")) << "run " << run;
    (TimerRetransmissions(report) == 0 ? clean : timed)
        .push_back(std::move(report));
  }
  if (clean.size() < 2) {
    GTEST_SKIP() << "the host starved the nodes past their retransmission "
                    "timers in "
                 << timed.size() << " of " << kMaxRuns
                 << " runs: too loaded to check repeatability";
  }
  const json& first = clean[0];
  const json& second = clean[1];
  const auto& a = first["outcome_table"]["rows"];
  const auto& b = second["outcome_table"]["rows"];
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i], b[i]) << "two runs without timer retransmissions differ";
  }
  EXPECT_EQ(first["outcome_table"]["digest"],
            second["outcome_table"]["digest"]);
  EXPECT_EQ(first["verdict"]["pass"], second["verdict"]["pass"]);
  for (const json& other : timed) {
    EXPECT_GT(TimerRetransmissions(other), 0);  // why it was set aside
    EXPECT_EQ(other["verdict"]["pass"], first["verdict"]["pass"]);
  }

  // The table must be worth comparing: the seed's faults cost some
  // messages extra transmissions, and the restart really happened.
  EXPECT_GT(first["verdict"]["delivery"]["retransmissions"].get<int>(), 0);
  bool restarted = false;
  for (const json& n : first["nodes"]) {
    if (n["lives"].get<int>() > 1) restarted = true;
  }
  EXPECT_TRUE(restarted);
  // A quiescent restart ends no message as sender_restarted.
  EXPECT_FALSE(first["verdict"]["delivery"]["failed_by_cause"].contains(
      "sender_restarted"));
}

}  // namespace
