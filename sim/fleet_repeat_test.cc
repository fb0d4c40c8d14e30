// Repeatable mode end to end: the same scenario and seed run twice on real
// QEMU nodes, once on an idle host and once with every core busy, must give
// the same outcome table (every message's outcome, cause and transmission
// count) and the same verdict.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sim/fleet_under_test.h"

namespace {

using json = nlohmann::json;

json RunOnce(const std::string& name) {
  const std::string dir = sim::TestOutputDir(name);
  const int status =
      sim::RunFleet({"--scenario=sim/scenarios/repeatable_small.json",
                     absl::StrCat("--out=", dir), "--noprogress"});
  EXPECT_EQ(status, 0) << name << ": verdict failed, see " << dir;
  std::ifstream in(dir + "/report.json");
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Busy loops on every core of the host while it lives: the second run
// must not notice.
class HostLoad {
 public:
  HostLoad() {
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    for (long i = 0; i < std::max(1L, cores); ++i) {
      const pid_t pid = fork();
      if (pid == 0) {
        std::atomic<unsigned long> spins{0};
        for (;;) spins.fetch_add(1, std::memory_order_relaxed);
      }
      if (pid > 0) pids_.push_back(pid);
    }
  }
  ~HostLoad() {
    for (pid_t pid : pids_) kill(pid, SIGKILL);
    for (pid_t pid : pids_) waitpid(pid, nullptr, 0);
  }

 private:
  std::vector<pid_t> pids_;
};

// The nodes run on stepped clocks (PROTOCOL.md, CLOCK) that the harness
// moves only once every frame has been handled, and faults that hold a
// frame back release it at such a point: a run on an idle host and a run
// on a host with every core busy must agree line by line.
TEST(FleetRepeatTest, SameSeedGivesTheSameOutcomeTableWhateverTheLoad) {
  const json first = RunOnce("idle");
  json second;
  {
    HostLoad load;
    second = RunOnce("loaded");
  }
  ASSERT_TRUE(first.contains("outcome_table"));
  ASSERT_TRUE(second.contains("outcome_table"));
  const auto& a = first["outcome_table"]["rows"];
  const auto& b = second["outcome_table"]["rows"];
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
  EXPECT_EQ(first["outcome_table"]["digest"],
            second["outcome_table"]["digest"]);
  EXPECT_EQ(first["verdict"]["pass"], second["verdict"]["pass"]);
  for (const json& report : {first, second}) {
    const json& r = report["repeatability"];
    EXPECT_EQ(r["node_clocks"], "stepped");
    // No timer fired while an ACK was on its way: the clocks did not move.
    EXPECT_EQ(r["timer_retransmissions"].get<int>(), 0);
    // Timers did fire (after losses) and held frames were released.
    EXPECT_GT(r["clock_advances"].get<int>(), 0);
    EXPECT_GT(r["parked_releases"].get<int>(), 0);
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
