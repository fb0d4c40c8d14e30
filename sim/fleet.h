// The fleet run: boot N nodes, provision them, drive the traffic schedule
// through the router with faults and restarts, drain, collect STATS, shut
// every QEMU down, then scan the wire and judge.
#ifndef SIM_FLEET_H_
#define SIM_FLEET_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "sim/accounting.h"
#include "sim/attach_server.h"
#include "sim/keys.h"
#include "sim/node_client.h"
#include "sim/router.h"
#include "sim/scenario.h"
#include "sim/send_queue.h"
#include "sim/traffic.h"
#include "sim/wire_scanner.h"

namespace sim {

enum class LeakForTest : std::uint8_t { kNone, kPlaintext, kKey };

struct FleetOptions {
  std::string runner;                               // run_firmware.sh
  std::map<std::string, std::string> elf_by_board;  // board -> ELF
  std::string work_dir;                             // sockets; short path
  std::string out_dir;                              // node transcripts
  bool progress = false;                            // progress on stderr
  bool progress_live = false;  // a live line (terminal), else a line every 5 s
  LeakForTest leak = LeakForTest::kNone;
  // Where users attach to node consoles (`fleet --attach=N`); empty: no
  // attaching. Its info file goes into out_dir.
  std::string attach_socket;
};

// Per node measurements (across its lives).
struct NodeMetrics {
  std::uint8_t id = 0;
  std::string board;
  int lives = 0;
  std::vector<double> boot_to_ready_ms;
  std::optional<double> boot_to_first_frame_ms;  // first life
  long rss_kib_max = 0;
  long rss_anon_kib_max = 0;  // without the pages all QEMUs share
  double cpu_s = 0;           // host CPU of its QEMU, over all lives
  std::uint64_t static_ram = 0;
  std::string build;
  std::optional<StatsLine> last_stats;
  int busy = 0;  // BUSY replies to SEND, over all lives
  std::optional<std::uint64_t> arq_lifetime_ms;  // from READY, if it says
};

struct RunOutcome {
  Verdict verdict;
  bool completed = false;
  std::string abort_reason;
  int signal = 0;
  absl::Duration duration;
  absl::Duration traffic_duration;
  std::vector<NodeMetrics> nodes;  // index 0 is node 1
  std::vector<pid_t> processes_left;
  nlohmann::json wire_scan;
  LedgerInput ledger;  // the evidence, for the report
  std::vector<RouterEvent> router_events;
  std::vector<std::pair<absl::Time, std::string>>
      fleet_events;  // restarts, rotations
  absl::Time origin;
  // Repeatable mode: how often the harness moved the nodes' stepped clocks.
  int clock_advances = 0;
  // Repeatable mode: how often it released the frames faults held back.
  int parked_releases = 0;
};

class Fleet {
 public:
  Fleet(Scenario scenario, FleetOptions options);
  ~Fleet();
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  RunOutcome Run();

 private:
  struct NodeState;

  absl::Status Boot();
  absl::Status Provision();
  absl::Status Traffic();
  absl::Status Restart(int node);
  absl::Status Drain(const std::string& why);
  // Repeatable mode (stepped node clocks, PROTOCOL.md "Console" CLOCK).
  // Puts node `node` (0: every node that is up) on a stepped clock.
  absl::Status StepClocks(int node);
  // If every frame the harness wrote has been handled and nothing is on its
  // way, first delivers the frames faults held back (parked in the
  // router), else moves every node's clock to the earliest retransmission
  // deadline among them. *advanced says whether it did either.
  absl::Status AdvanceClocksWhenSettled(bool* advanced);
  // AdvanceClocksWhenSettled, once the network has been quiet for
  // kSettlePause.
  absl::Status MaybeAdvanceClocks(bool* advanced);
  // Sends `command` (a CLOCK command) to `nodes` and waits for every reply.
  absl::Status ClockCommand(const std::vector<int>& nodes,
                            const std::string& command);
  absl::Status CollectStats();
  void Shutdown();
  void ScanWire(RunOutcome* outcome);
  // Reads each live QEMU's RSS and CPU time.
  void SampleProcesses();
  // Whether the next restart may happen now. Scheduled and saturated
  // traffic restart once a share of all messages was offered; repeatable
  // traffic once every node offered its own share, so the same messages
  // fall before the restart whichever node the host ran faster.
  bool RestartDue(double at) const;
  bool NodeMayOffer(int node, double next_restart_at) const;

  absl::Status StartNode(int node);
  void KillNode(int node);
  // Polls once for at most `max_wait`; handles I/O, deliveries and signals.
  absl::Status Pump(absl::Duration max_wait);
  absl::Status WaitFor(const std::function<bool()>& done,
                       absl::Duration timeout, const std::string& what);
  void OnConsoleLine(int node, const std::string& line, absl::Time now);
  // Forwards attached users' commands, or refuses them.
  void ServeAttached(absl::Time now);
  // Ends the attached users' commands the node will never answer.
  void DropUserCommands(int node, const std::string& why);
  void IssueSend(std::size_t message_index, absl::Time now);
  void OnSendReply(int node, const ReplyLine& reply, const std::string& text,
                   std::uint32_t message_id, absl::Time now);
  void OnOutcome(int node, const OutcomeLine& outcome, absl::Time now);
  // Accepted messages of up nodes still waiting for their outcome line.
  std::size_t Outstanding() const;
  // How long a message may stay in flight before its sender must have
  // reported it: the nodes' own figure (READY) or the protocol's default.
  absl::Duration DeliveryLifetime() const;
  bool Drained() const;
  // The node is booted, provisioned and rejoins the network.
  void MarkUp(int node);
  // FrameRecord::arrived from the harness's record of what it wrote into
  // each node's link.
  void SetArrivals(std::vector<FrameRecord>* frames) const;
  void PrintProgress(absl::Time now, bool final_line);
  LifeRecord& CurrentLife(int node);

  Scenario scenario_;
  FleetOptions options_;
  std::vector<PlannedMessage> plan_;
  Key256 fleet_secret_{};
  std::uint32_t fleet_epoch_ = 0;
  std::vector<std::uint32_t> epochs_used_;
  std::unique_ptr<Router> router_;
  std::vector<std::unique_ptr<NodeClient>> clients_;  // index = node id
  std::vector<std::unique_ptr<NodeState>> states_;
  std::unique_ptr<AttachServer> attach_;
  LedgerInput ledger_;
  std::vector<std::pair<absl::Time, std::string>> fleet_events_;
  std::string abort_reason_;
  absl::Time origin_;
  absl::Time last_network_byte_;
  absl::Time last_progress_;
  absl::Time last_rss_sample_;
  std::size_t issued_ = 0;   // messages offered at least once
  int clock_advances_ = 0;   // CLOCK advance rounds (repeatable mode)
  int parked_releases_ = 0;  // releases of held frames (repeatable mode)
  std::size_t accepted_ = 0;
  std::size_t outcomes_ = 0;
  std::size_t busy_ = 0;
};

}  // namespace sim

#endif  // SIM_FLEET_H_
