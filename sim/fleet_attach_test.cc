// End to end: a user attaches to node 2 of a running fleet of real QEMU
// nodes, asks for STATS (and tries a SEND, which must be refused), and the
// fleet's verdict and accounting are as if nobody had been there.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "sim/fleet_under_test.h"

namespace {

using json = nlohmann::json;

struct Attached {
  int status = -1;
  std::string out;  // stdout and stderr, interleaved
};

// `fleet --attach=<node>` with `input` piped into it, read until it exits
// (at most `timeout`).
Attached Attach(const std::string& out_dir, int node, const std::string& input,
                absl::Duration timeout = absl::Seconds(60)) {
  int in[2], out[2];
  EXPECT_EQ(pipe(in), 0);
  EXPECT_EQ(pipe(out), 0);
  const pid_t pid = sim::StartFleet({absl::StrCat("--attach=", node),
                                     "--out=" + out_dir, "--noattach_events"},
                                    in[0], out[1], out[1]);
  close(in[0]);
  close(out[1]);
  EXPECT_EQ(write(in[1], input.data(), input.size()),
            static_cast<ssize_t>(input.size()));
  close(in[1]);
  Attached a;
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    const int ms =
        static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (ms <= 0 || poll(&p, 1, ms) <= 0) {
      ADD_FAILURE() << "--attach did not finish; it printed:\n" << a.out;
      kill(pid, SIGKILL);
      break;
    }
    char buffer[4096];
    const ssize_t n = read(out[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    a.out.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  a.status = sim::WaitExit(pid);
  return a;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool FileContainsWithin(const std::string& path, const std::string& text,
                        absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (absl::StrContains(ReadFile(path), text)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(FleetAttachTest, AttachedStatsLeavesTheAccountingAlone) {
  const std::string out = sim::TestOutputDir("attached");
  // Long enough to attach while node 2 is sending: about 15 s of traffic
  // at the scheduled rate (repeatable traffic would not wait for it).
  const pid_t fleet = sim::StartFleet(
      {"--nodes=3", "--messages=45", "--rate=3", "--mode=scheduled",
       "--restarts=none", "--sizes=0:1024", "--noprogress", "--out=" + out});
  ASSERT_TRUE(
      FileContainsWithin(out + "/node-2.log", "< OK SEND", absl::Seconds(120)))
      << "node 2 never sent";

  // A node that is not in the fleet: refused, exit status 2.
  const Attached nine = Attach(out, 9, "STATS\n");
  EXPECT_EQ(nine.status, 2) << nine.out;
  EXPECT_TRUE(absl::StrContains(nine.out, "no node 9")) << nine.out;

  const Attached a = Attach(out, 2, "SEND 1 999 16 1\nSTATS\n");
  EXPECT_EQ(a.status, 0) << a.out;
  EXPECT_TRUE(absl::StrContains(a.out, "attached to node 2 of 3")) << a.out;
  EXPECT_TRUE(absl::StrContains(a.out, "not forwarded: SEND")) << a.out;
  std::string stats;
  for (absl::string_view line : absl::StrSplit(a.out, '\n')) {
    if (absl::StartsWith(line, "STATS ")) stats = std::string(line);
  }
  EXPECT_TRUE(absl::StartsWith(stats, "STATS node=2 epoch=")) << a.out;
  // Only the user's own reply: none of the harness's (OK SEND ...).
  EXPECT_FALSE(absl::StrContains(a.out, "OK SEND")) << a.out;

  EXPECT_EQ(sim::WaitExit(fleet), 0) << "verdict failed, see " << out;
  const json r = json::parse(ReadFile(out + "/report.json"), nullptr,
                             /*allow_exceptions=*/false);
  ASSERT_TRUE(r.is_object()) << "no report in " << out;
  const json& v = r["verdict"];
  EXPECT_TRUE(v["pass"].get<bool>()) << v.dump(2);
  EXPECT_TRUE(v["violation_counts"].empty()) << v["violation_counts"].dump();
  // Every planned message accounted for, nothing else: the refused SEND
  // never reached the node, the user's STATS was no harness snapshot.
  EXPECT_EQ(v["delivered"].get<int>() + v["lost"].get<int>(), 3 * 45);
  EXPECT_EQ(v["per_message"].size(), 3u * 45u);
  EXPECT_EQ(v["rejects_observed"].get<int>(),
            v["rejects_explained"].get<int>());
  const std::string transcript = ReadFile(out + "/node-2.log");
  EXPECT_TRUE(absl::StrContains(transcript, "> STATS   # from an attached"))
      << "the user's STATS did not go to node 2";
  EXPECT_FALSE(absl::StrContains(transcript, "SEND 1 999"));
  for (const char* complaint :
       {"unexpected STATS line", "reply without a command",
        "reply to no command"}) {
    EXPECT_FALSE(absl::StrContains(transcript, complaint)) << complaint;
  }
  // The last STATS the harness kept for node 2 is its own, taken after the
  // traffic, so it counts at least what the user saw.
  std::uint64_t user_tx = 0;
  for (absl::string_view field : absl::StrSplit(stats, ' ')) {
    if (absl::ConsumePrefix(&field, "tx=")) {
      ASSERT_TRUE(absl::SimpleAtoi(field, &user_tx)) << stats;
    }
  }
  EXPECT_GE(r["nodes"][1]["last_stats"]["tx"].get<std::uint64_t>(), user_tx);
  EXPECT_GE(r["nodes"][1]["last_stats"]["tx"].get<std::uint64_t>(), 45u);

  // The run is over: nothing to attach to.
  EXPECT_FALSE(std::filesystem::exists(out + "/fleet.attach"));
  const Attached late = Attach(out, 2, "STATS\n");
  EXPECT_EQ(late.status, 2) << late.out;
  EXPECT_TRUE(absl::StrContains(late.out, "no fleet is running")) << late.out;
}

}  // namespace
