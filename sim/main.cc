// bazel run //sim:fleet -- [--scenario=FILE] [--nodes=N] [--boards=a,b] ...
// bazel run //sim:fleet -- --attach=N [--out=DIR]
//
// Boots a fleet of secure_node QEMU instances, routes their frames through
// a fault-injecting router, and judges the run. Exit status: 0 clean
// verdict, 1 verdict failed, 2 bad arguments or set-up, 128+signal when
// interrupted. With --attach: a console on node N of the fleet running with
// that --out (sim/attach_client.h has its exit statuses).
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "sim/attach_client.h"
#include "sim/attach_server.h"
#include "sim/command_line.h"
#include "sim/fleet.h"
#include "sim/process.h"
#include "sim/report.h"
#include "sim/scenario.h"

ABSL_FLAG(std::string, scenario, "",
          "Scenario JSON file (sim/README.md, \"Scenario fields\"); a relative "
          "path is taken "
          "from where you ran bazel run; flags override it.");
// Numbers are taken as text and checked by sim/command_line.h, so that a
// wrapped, NaN or out-of-range value is refused with the flag's name.
ABSL_FLAG(std::string, nodes, "",
          "Number of nodes, 2..254 (default 4, or the scenario's).");
ABSL_FLAG(std::string, boards, "",
          "Comma-separated boards, assigned round robin.");
ABSL_FLAG(std::string, topology, "", "all_to_all, ring or star.");
ABSL_FLAG(
    std::string, seed, "",
    "Seed for traffic, payloads, faults and the fleet secret (0..2^63-1).");
ABSL_FLAG(std::string, messages, "", "Messages each node sends (0..1000000).");
ABSL_FLAG(std::string, rate, "",
          "SEND commands per second per node (> 0, at most 100000).");
ABSL_FLAG(std::string, sizes, "",
          "Payload sizes: MIN:MAX, or a list like 0,16,4096.");
ABSL_FLAG(std::string, faults, "",
          "none, moderate, or kind=probability,... (drop bitflip truncate "
          "duplicate replay "
          "reorder delay forge) and "
          "delay_min_ms/delay_max_ms/replay_after_ms/reorder_hold_ms.");
ABSL_FLAG(std::string, restarts, "",
          "Kill-and-restart events: NODE@FRACTION,... or none.");
ABSL_FLAG(std::string, mode, "",
          "Traffic mode: repeatable (the default unless the scenario says: "
          "one message in flight per node, nodes on stepped clocks, the same "
          "outcome table for the same seed on any host), scheduled (at "
          "--rate, several in flight, timing from the host) or saturate "
          "(offer as fast as the nodes take them).");
ABSL_FLAG(std::string, out, "",
          "Report directory; a relative path is taken from where you ran bazel "
          "run (default: "
          "$BUILD_WORKSPACE_DIRECTORY/sim-out under bazel run, "
          "$TEST_UNDECLARED_OUTPUTS_DIR in "
          "tests, else ./sim-out).");
ABSL_FLAG(std::string, runner, "platforms/qemu/run_firmware.sh",
          "The QEMU runner script.");
ABSL_FLAG(std::string, firmware_mps3_an536,
          "apps/secure_node/secure_node_mps3_an536.elf",
          "Node image for mps3_an536.");
ABSL_FLAG(std::string, firmware_versatilepb_r5f,
          "apps/secure_node/secure_node_versatilepb_r5f.elf",
          "Node image for versatilepb_r5f.");
ABSL_FLAG(bool, progress, true,
          "Progress on stderr: a live line on a terminal, else a line every 5 "
          "seconds.");
ABSL_FLAG(std::string, attach, "",
          "Attach to node N of the fleet already running with the same --out "
          "(another terminal): an interactive console that forwards the "
          "read-only commands STATS and HELP and shows the node's own lines; "
          "the running fleet's accounting is not disturbed.");
ABSL_FLAG(bool, attach_events, true,
          "With --attach: show the node's unsolicited lines (RX, DELIVERED, "
          "...), marked with *.");
ABSL_FLAG(bool, leak_plaintext_for_test, false,
          "TEST ONLY: the router copies a plaintext onto the wire; the verdict "
          "must fail.");
ABSL_FLAG(bool, leak_key_for_test, false,
          "TEST ONLY: the router copies the fleet secret onto the wire; the "
          "verdict must fail.");

namespace {

constexpr char kWorkspace[] = "cortex_r_secure";

// Finds a data file given by its workspace-relative path: in the current
// directory (bazel run and bazel test start in the runfiles tree), under
// $RUNFILES_DIR / $TEST_SRCDIR, or next to the binary.
std::string Resolve(const std::string& path, const char* argv0) {
  namespace fs = std::filesystem;
  if (fs::path(path).is_absolute()) return path;
  std::vector<fs::path> candidates = {fs::current_path() / path};
  for (const char* var : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* dir = getenv(var))
      candidates.push_back(fs::path(dir) / kWorkspace / path);
  }
  candidates.push_back(fs::path(absl::StrCat(argv0, ".runfiles")) / kWorkspace /
                       path);
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::exists(p, ec)) return fs::absolute(p).string();
  }
  return path;
}

std::string DefaultOutDir() {
  if (const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY"))
    return absl::StrCat(ws, "/sim-out");
  if (const char* out = getenv("TEST_UNDECLARED_OUTPUTS_DIR")) return out;
  return "sim-out";
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Multi-node QEMU fleet of secure_node firmware under injected faults.\n"
      "  bazel run //sim:fleet -- --nodes=4 "
      "--boards=mps3_an536,versatilepb_r5f");
  if (absl::Status st =
          sim::CheckArguments(std::vector<std::string>(argv + 1, argv + argc));
      !st.ok()) {
    std::cerr << "fleet: " << st.message() << "\n";
    return 2;
  }
  absl::ParseCommandLine(argc, argv);
  if (const std::string n = absl::GetFlag(FLAGS_attach); !n.empty()) {
    // A console on a running fleet: nothing of a run's own is wanted.
    for (int i = 1; i < argc; ++i) {
      std::string name(argv[i]);
      name = name.substr(0, name.find('='));
      const std::string bare = name.substr(name.find_first_not_of('-'));
      if (bare != "attach" && bare != "out" && bare != "attach_events" &&
          bare != "noattach_events") {
        std::cerr << "fleet: " << name
                  << " does not go with --attach, which takes only --out and "
                     "--[no]attach_events\n";
        return 2;
      }
    }
    absl::StatusOr<std::int64_t> node =
        sim::ParseWholeNumber("--attach", n, 1, 254);
    if (!node.ok()) {
      std::cerr << "fleet: " << node.status().message() << "\n";
      return 2;
    }
    sim::AttachClientOptions attach;
    attach.node = static_cast<int>(*node);
    attach.out_dir = sim::UserPath(absl::GetFlag(FLAGS_out));
    if (attach.out_dir.empty()) attach.out_dir = DefaultOutDir();
    attach.events = absl::GetFlag(FLAGS_attach_events);
    return sim::RunAttach(attach);
  }
  sim::InstallShutdownSignals();

  sim::Scenario scenario;
  scenario.faults = sim::ModerateFaults();
  scenario.restarts = {{2, 0.5}};
  scenario.name = "default";
  if (const std::string file = absl::GetFlag(FLAGS_scenario); !file.empty()) {
    // The user's path first; a workspace-relative one (as tests pass them)
    // is also found in the runfiles.
    std::string path = sim::UserPath(file);
    if (!std::filesystem::exists(path)) path = Resolve(file, argv[0]);
    absl::StatusOr<sim::Scenario> loaded = sim::LoadScenarioFile(path);
    if (!loaded.ok()) {
      std::cerr << "fleet: " << loaded.status().message() << "\n";
      return 2;
    }
    scenario = *loaded;
  }
  sim::ScenarioOverrides o;
  absl::Status numbers = absl::OkStatus();
  if (std::string n = absl::GetFlag(FLAGS_nodes); !n.empty()) {
    auto value = sim::ParseWholeNumber("--nodes", n, 2, 254);
    if (value.ok()) o.nodes = static_cast<int>(*value);
    numbers.Update(value.status());
  }
  if (std::string s = absl::GetFlag(FLAGS_seed); !s.empty()) {
    auto value = sim::ParseWholeNumber("--seed", s, 0, INT64_MAX);
    if (value.ok()) o.seed = static_cast<uint64_t>(*value);
    numbers.Update(value.status());
  }
  if (std::string m = absl::GetFlag(FLAGS_messages); !m.empty()) {
    auto value = sim::ParseWholeNumber("--messages", m, 0, 1'000'000);
    if (value.ok()) o.messages_per_node = static_cast<int>(*value);
    numbers.Update(value.status());
  }
  if (std::string r = absl::GetFlag(FLAGS_rate); !r.empty()) {
    auto value = sim::ParseFiniteNumber("--rate", r, 1e-3, 100'000);
    if (value.ok()) o.rate_per_node = *value;
    numbers.Update(value.status());
  }
  if (!numbers.ok()) {
    std::cerr << "fleet: " << numbers.message() << "\n";
    return 2;
  }
  if (std::string b = absl::GetFlag(FLAGS_boards); !b.empty()) o.boards = b;
  if (std::string t = absl::GetFlag(FLAGS_topology); !t.empty()) o.topology = t;
  if (std::string s = absl::GetFlag(FLAGS_sizes); !s.empty()) o.sizes = s;
  if (std::string f = absl::GetFlag(FLAGS_faults); !f.empty()) o.faults = f;
  if (std::string r = absl::GetFlag(FLAGS_restarts); !r.empty()) o.restarts = r;
  if (std::string m = absl::GetFlag(FLAGS_mode); !m.empty()) o.mode = m;
  if (absl::Status st = sim::ApplyOverrides(o, &scenario); !st.ok()) {
    std::cerr << "fleet: " << st.message() << "\n";
    return 2;
  }

  sim::FleetOptions options;
  options.runner = Resolve(absl::GetFlag(FLAGS_runner), argv[0]);
  options.elf_by_board["mps3_an536"] =
      Resolve(absl::GetFlag(FLAGS_firmware_mps3_an536), argv[0]);
  options.elf_by_board["versatilepb_r5f"] =
      Resolve(absl::GetFlag(FLAGS_firmware_versatilepb_r5f), argv[0]);
  for (const auto& [board, elf] : options.elf_by_board) {
    if (!std::filesystem::exists(elf)) {
      std::cerr << "fleet: no firmware image for " << board << " at " << elf
                << "\n";
      return 2;
    }
  }
  std::string out = sim::UserPath(absl::GetFlag(FLAGS_out));
  if (out.empty()) out = DefaultOutDir();
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  options.out_dir = std::filesystem::absolute(out).string();
  for (const auto& entry :
       std::filesystem::directory_iterator(options.out_dir, ec)) {
    // Transcripts are appended to: start each run with fresh ones.
    if (entry.path().filename().string().rfind("node-", 0) == 0)
      std::filesystem::remove(entry, ec);
  }
  // Sockets live in a short private directory (sun_path is 108 bytes); its
  // name also marks every QEMU of this run for the leftover-process check.
  char work[] = "/tmp/simfleet.XXXXXX";
  if (mkdtemp(work) == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  options.work_dir = work;
  options.attach_socket = options.work_dir + "/attach.sock";
  options.progress = absl::GetFlag(FLAGS_progress);
  options.progress_live = isatty(STDERR_FILENO);
  if (absl::GetFlag(FLAGS_leak_plaintext_for_test))
    options.leak = sim::LeakForTest::kPlaintext;
  if (absl::GetFlag(FLAGS_leak_key_for_test))
    options.leak = sim::LeakForTest::kKey;

  std::cerr << "fleet: " << scenario.nodes << " nodes ("
            << sim::ScenarioToJson(scenario)["boards"].dump() << "), "
            << sim::TopologyName(scenario.topology) << ", seed "
            << scenario.seed << ", " << scenario.messages_per_node
            << " messages per node\n";
  sim::RunOutcome outcome;
  {
    sim::Fleet fleet(scenario, options);
    outcome = fleet.Run();
  }
  std::filesystem::remove_all(options.work_dir, ec);

  const nlohmann::json report = sim::BuildReport(scenario, outcome);
  const std::string report_path = options.out_dir + "/report.json";
  const std::string trace_path = options.out_dir + "/trace.json";
  {
    std::ofstream file(report_path);
    file << report.dump(2) << "\n";
  }
  if (absl::Status st = sim::BuildTrace(outcome).WriteFile(trace_path);
      !st.ok()) {
    std::cerr << "fleet: " << st.message() << "\n";
  }
  std::cout << sim::SummaryTable(report);
  std::cout << "\nreport: " << report_path << "\ntrace:  " << trace_path
            << " (open in https://ui.perfetto.dev)\nnode transcripts: "
            << options.out_dir << "/node-<id>.log\n";
  if (!outcome.completed)
    std::cout << "run aborted: " << outcome.abort_reason << "\n";
  if (outcome.signal != 0) return 128 + outcome.signal;
  return outcome.verdict.pass() ? 0 : 1;
}
