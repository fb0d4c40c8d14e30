#include "sim/fleet.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <set>
#include <span>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "sim/ack_opener.h"
#include "sim/attach_routing.h"
#include "sim/payload.h"
#include "sim/process.h"

namespace sim {
namespace {

// Commands a node may have outstanding: enough to keep it busy, few enough
// that a slow node backs up in the harness (where it is visible) rather
// than in its UART.
constexpr std::size_t kMaxOutstandingCommands = 4;
// The network must have been silent this long before the fleet counts as
// drained: frames already written by a node may still be in its socket.
constexpr absl::Duration kQuietPeriod = absl::Milliseconds(150);
// Repeatable mode: how long the network is quiet before the harness asks
// the nodes whether every frame has been handled (only a cost, not a rule).
constexpr absl::Duration kSettlePause = absl::Milliseconds(5);
constexpr absl::Duration kCommandTimeout = absl::Seconds(30);
// A node that does not say how long a message may stay unacknowledged
// (READY arq_lifetime_ms=) uses waits of 200, 400, 800, 1600, 1600 and
// 1600 ms after its six transmissions: 6.2 s, rounded up.
constexpr absl::Duration kDefaultDeliveryLifetime = absl::Seconds(7);
// Beyond the lifetime, before a missing outcome counts as lost: the sender
// prints FAILED only when its timer runs, and under emulation on a loaded
// machine that can be late.
constexpr absl::Duration kOutcomeMargin = absl::Seconds(5);

}  // namespace

struct Fleet::NodeState {
  int life = 0;
  std::size_t life_index = 0;  // into ledger_.lives
  bool ready = false;
  bool up = false;  // booted, provisioned and in the current epoch
  // RX, REJECT and DELIVERED lines this life: each answers one frame the
  // router wrote into the node (DELIVERED answers an ACK).
  std::uint64_t lines_in_life = 0;
  std::uint64_t delivered_in_life = 0;  // DELIVERED lines
  std::uint64_t failed_in_life = 0;     // FAILED lines
  std::uint64_t busy_in_life = 0;       // BUSY replies
  SendQueue outbox;  // messages not yet offered, or offered and BUSY
  // After a BUSY, offers that would meet the same refusal wait: all of the
  // node's after no_buffer, those to the peer after window_full (or
  // too_many_peers). One re-offer per back-off, not one per message.
  absl::Time hold_all_until = absl::InfinitePast();
  std::map<std::uint8_t, absl::Time> hold_peer_until;
  // Accepted this life, no outcome yet: the harness ends them
  // (sender_restarted) if it kills the node.
  std::set<std::size_t> in_flight;
  // When the harness had written how much of what the router carried to
  // this node into its link: (life, end offset in carried_bytes(), time).
  // A frame cannot have reached the node before.
  std::uint64_t stream_base = 0;  // carried bytes before this life's first
  std::uint64_t written_seen = 0;
  std::vector<std::tuple<int, std::uint64_t, absl::Time>> written;
  NodeMetrics metrics;
  absl::Time first_frame = absl::InfinitePast();
  // The node's last reply: its queued commands are answered in order, so a
  // command's wait starts with the answer to the one before it.
  absl::Time last_answer = absl::InfinitePast();
  double cpu_life_s = 0;    // CPU time of this life's QEMU, last sampled
  std::size_t planned = 0;  // messages in the plan from this node
  std::size_t issued = 0;   // of those, offered at least once
  // The node's last `OK CLOCK` reply (repeatable mode).
  std::optional<ReplyLine> clock;
};

Fleet::Fleet(Scenario scenario, FleetOptions options)
    : scenario_(std::move(scenario)), options_(std::move(options)) {}

Fleet::~Fleet() { Shutdown(); }

LifeRecord& Fleet::CurrentLife(int node) {
  return ledger_.lives[states_[node]->life_index];
}

RunOutcome Fleet::Run() {
  origin_ = absl::Now();
  last_network_byte_ = origin_;
  last_progress_ = origin_;
  last_rss_sample_ = origin_;
  plan_ = PlanTraffic(scenario_);
  fleet_secret_ = FleetSecretFromSeed(scenario_.seed);
  for (const PlannedMessage& m : plan_) {
    MessageRecord record;
    record.plan = m;
    ledger_.messages.push_back(record);
  }

  router_ = std::make_unique<Router>(
      scenario_.nodes, scenario_.topology,
      FaultInjector(scenario_.faults, scenario_.seed,
                    scenario_.mode == TrafficMode::kRepeatable
                        ? FaultKey::kLinkOrder
                        : FaultKey::kHeader),
      [this](std::uint8_t node, std::span<const std::uint8_t> bytes) {
        clients_[node]->QueueNetwork(bytes);
      });
  if (scenario_.mode == TrafficMode::kRepeatable)
    router_->ParkHeldFramesUntilSettled();
  if (options_.leak != LeakForTest::kNone) {
    std::vector<std::uint8_t> leak;
    if (options_.leak == LeakForTest::kPlaintext) {
      // The largest planned payload: a real plaintext the scan must find.
      auto it =
          std::max_element(plan_.begin(), plan_.end(),
                           [](auto& a, auto& b) { return a.size < b.size; });
      if (it != plan_.end()) leak = GeneratePayload(it->seed, it->size);
    } else {
      leak.assign(fleet_secret_.begin(), fleet_secret_.end());
    }
    router_->SetLeakForTest(std::move(leak), 7);
  }

  clients_.resize(scenario_.nodes + 1);
  states_.resize(scenario_.nodes + 1);
  for (int i = 1; i <= scenario_.nodes; ++i) {
    NodeConfig config;
    config.id = static_cast<std::uint8_t>(i);
    config.board = scenario_.BoardOf(i);
    config.elf = options_.elf_by_board.at(config.board);
    config.runner = options_.runner;
    config.socket_path = absl::StrCat(options_.work_dir, "/n", i, ".sock");
    config.log_path = absl::StrCat(options_.out_dir, "/node-", i, ".log");
    // Fresh per run (work_dir is new), kept across the node's restarts.
    config.storage_path = absl::StrCat(options_.work_dir, "/n", i, ".flash");
    clients_[i] = std::make_unique<NodeClient>(config);
    states_[i] = std::make_unique<NodeState>();
    states_[i]->metrics.id = config.id;
    states_[i]->metrics.board = config.board;
  }
  if (!options_.attach_socket.empty()) {
    absl::StatusOr<std::unique_ptr<AttachServer>> server = AttachServer::Listen(
        options_.attach_socket, options_.out_dir, scenario_.nodes);
    if (server.ok()) {
      attach_ = std::move(*server);
    } else {
      // Attaching is for people watching; the run goes on without it.
      std::fprintf(stderr, "fleet: no --attach for this run: %s\n",
                   std::string(server.status().message()).c_str());
    }
  }
  for (std::size_t k = 0; k < plan_.size(); ++k) {
    states_[plan_[k].src]->outbox.Plan(k, plan_[k].at);
    ++states_[plan_[k].src]->planned;
  }

  RunOutcome outcome;
  outcome.origin = origin_;
  absl::Status status = Boot();
  if (status.ok()) status = Provision();
  if (status.ok() && scenario_.mode == TrafficMode::kRepeatable)
    status = StepClocks(0);
  absl::Time traffic_start = absl::Now();
  if (status.ok()) status = Traffic();
  if (status.ok()) status = Drain("end of traffic");
  outcome.traffic_duration = absl::Now() - traffic_start;
  if (status.ok()) status = CollectStats();
  outcome.completed = status.ok();
  if (!status.ok()) outcome.abort_reason = std::string(status.message());
  outcome.signal = ShutdownSignal();
  if (options_.progress) PrintProgress(absl::Now(), /*final_line=*/true);
  SampleProcesses();
  Shutdown();
  for (int i = 1; i <= scenario_.nodes; ++i)
    states_[i]->metrics.cpu_s += states_[i]->cpu_life_s;

  // Nothing may outlive the run: look for any process still carrying this
  // run's private directory in its command line.
  outcome.processes_left = FindProcessesWithMarker(options_.work_dir);
  ledger_.frames = router_->frames();
  // What each ACK acknowledged: the harness holds every pair key.
  OpenAckFrames(fleet_secret_, &ledger_.frames);
  SetArrivals(&ledger_.frames);
  ledger_.injected = router_->injected();
  ledger_.run_completed = outcome.completed;
  outcome.verdict = ComputeVerdict(ledger_);
  if (!outcome.completed)
    outcome.verdict.Add("run_aborted", outcome.abort_reason);
  if (!outcome.processes_left.empty()) {
    outcome.verdict.Add("processes_left_behind",
                        absl::StrCat(outcome.processes_left.size(),
                                     " QEMU processes survived"));
  }
  ScanWire(&outcome);
  outcome.duration = absl::Now() - origin_;
  for (int i = 1; i <= scenario_.nodes; ++i)
    outcome.nodes.push_back(states_[i]->metrics);
  outcome.ledger = ledger_;
  outcome.router_events = router_->events();
  outcome.fleet_events = fleet_events_;
  outcome.clock_advances = clock_advances_;
  outcome.parked_releases = parked_releases_;
  return outcome;
}

absl::Status Fleet::StartNode(int node) {
  NodeState& s = *states_[node];
  s.life += 1;
  s.ready = false;
  s.up = false;
  s.lines_in_life = 0;
  s.delivered_in_life = 0;
  s.failed_in_life = 0;
  s.busy_in_life = 0;
  s.metrics.cpu_s += s.cpu_life_s;
  s.cpu_life_s = 0;
  LifeRecord life;
  life.node = static_cast<std::uint8_t>(node);
  life.life = s.life;
  life.started = absl::Now();
  ledger_.lives.push_back(life);
  s.life_index = ledger_.lives.size() - 1;
  s.metrics.lives = s.life;
  return clients_[node]->Start(absl::Now());
}

void Fleet::KillNode(int node) {
  NodeState& s = *states_[node];
  clients_[node]->Log("killed by the harness (kill-and-restart)");
  if (attach_) {
    attach_->NoteNode(node, absl::StrCat("node ", node,
                                         " is being killed and restarted by "
                                         "the harness (kill-and-restart)"));
  }
  // What it printed before it died belongs to this life: an RX line it
  // wrote just before the kill, whose ACK the router already carried, is
  // as much a delivery as any other. So read the console pipe to its end
  // before this life's messages and commands are settled below.
  if (clients_[node]->Alive()) {
    s.cpu_life_s = std::max(s.cpu_life_s, CpuSeconds(clients_[node]->pid()));
  }
  const absl::Time killed = absl::Now();
  for (const std::string& line : clients_[node]->KillAndDrainConsole()) {
    OnConsoleLine(node, line, killed);
  }
  // Commands it never answered: a SEND without reply may or may not have
  // reached the wire; the accounting decides from the evidence.
  for (const PendingCommand& c : clients_[node]->pending()) {
    if (c.type == PendingCommand::Type::kSend) {
      ledger_.messages[c.message_id - 1].state = SendState::kSenderDied;
    }
  }
  // A restarted node forgets its messages in flight and will never report
  // them: the harness, which restarted it, ends them.
  const absl::Time now = absl::Now();
  for (std::size_t k : s.in_flight) {
    ledger_.messages[k].sender_restarted = true;
    ledger_.messages[k].sender_restarted_at = now;
  }
  s.in_flight.clear();
  DropUserCommands(node, "the node was killed before it answered");
  clients_[node]->Stop();
  router_->SetNodeDown(static_cast<std::uint8_t>(node));
  CurrentLife(node).killed = true;
  CurrentLife(node).killed_at = now;
  s.ready = false;
  s.up = false;
}

absl::Status Fleet::Boot() {
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (absl::Status st = StartNode(i); !st.ok()) return st;
  }
  return WaitFor(
      [this] {
        for (int i = 1; i <= scenario_.nodes; ++i) {
          if (!states_[i]->ready || !clients_[i]->network_connected())
            return false;
        }
        return true;
      },
      absl::Seconds(scenario_.boot_timeout_s), "every node to print READY");
}

absl::Status Fleet::Provision() {
  // Each node gets its own bundle, the roots of its links to every other
  // node (PROTOCOL.md, "Keys"); the fleet secret stays in the harness.
  for (int i = 1; i <= scenario_.nodes; ++i) {
    clients_[i]->Command(absl::StrCat("PROVISION ", i),
                         {PendingCommand::Type::kProvision, 0, absl::Now()});
    for (int peer = 1; peer <= scenario_.nodes; ++peer) {
      if (peer == i) continue;
      absl::StatusOr<Key256> root =
          DerivePairRoot(fleet_secret_, static_cast<std::uint8_t>(i),
                         static_cast<std::uint8_t>(peer));
      if (!root.ok()) return root.status();
      clients_[i]->Command(absl::StrCat("LINK ", peer, " ", ToHex(*root)),
                           {PendingCommand::Type::kProvision, 0, absl::Now()});
    }
    clients_[i]->Command("STATS",
                         {PendingCommand::Type::kStats, 0, absl::Now()});
  }
  auto idle = [this] {
    for (int i = 1; i <= scenario_.nodes; ++i) {
      if (!clients_[i]->pending().empty()) return false;
    }
    return true;
  };
  // A node that stops answering is caught by Pump 30 s after its last
  // answer; the whole provisioning may take as long as its commands need
  // (1 + nodes per node, all nodes at once on a small machine).
  const absl::Duration provisioning =
      kCommandTimeout * std::max(1, scenario_.nodes / 4);
  if (absl::Status st = WaitFor(idle, provisioning, "PROVISION replies");
      !st.ok())
    return st;
  // Start from one epoch everywhere (whatever a fresh node begins with).
  std::uint32_t epoch = 0;
  bool same = true;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (!CurrentLife(i).stats)
      return absl::InternalError(absl::StrCat("node ", i, ": no STATS"));
    const std::uint32_t e =
        static_cast<std::uint32_t>(CurrentLife(i).stats->Get("epoch"));
    if (i > 1 && e != epoch) same = false;
    epoch = std::max(epoch, e);
  }
  fleet_epoch_ = epoch;
  if (!same) {
    fleet_epoch_ = epoch + 1;
    for (int i = 1; i <= scenario_.nodes; ++i) {
      clients_[i]->Command(absl::StrCat("ROTATE ", fleet_epoch_),
                           {PendingCommand::Type::kRotate, 0, absl::Now()});
      // A rotation ends the node's messages in flight (there are none yet);
      // recorded so a FAILED cause=rotated can be confirmed.
      ledger_.commands.push_back({static_cast<std::uint8_t>(i),
                                  states_[i]->life, FailureCause::kRotated,
                                  absl::Now()});
    }
    if (absl::Status st = WaitFor(idle, kCommandTimeout, "ROTATE replies");
        !st.ok())
      return st;
  }
  epochs_used_.push_back(fleet_epoch_);
  for (int i = 1; i <= scenario_.nodes; ++i) MarkUp(i);
  return absl::OkStatus();
}

void Fleet::IssueSend(std::size_t k, absl::Time now) {
  MessageRecord& m = ledger_.messages[k];
  const int src = m.plan.src;
  // Restarts are scheduled by the share of messages offered, not by offers:
  // a re-offer after BUSY is the same message.
  if (m.issued_at == absl::InfinitePast()) {
    ++issued_;
    ++states_[src]->issued;
  }
  m.state = SendState::kIssued;
  m.issued_at = now;
  m.sender_life = states_[src]->life;
  clients_[src]->Command(absl::StrCat("SEND ", m.plan.dst, " ", m.plan.id, " ",
                                      m.plan.size, " ", m.plan.seed),
                         {PendingCommand::Type::kSend, m.plan.id, now});
}

std::size_t Fleet::Outstanding() const {
  std::size_t n = 0;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (states_[i]->ready) n += states_[i]->in_flight.size();
  }
  return n;
}

absl::Duration Fleet::DeliveryLifetime() const {
  std::optional<std::uint64_t> longest;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    const auto& said = states_[i]->metrics.arq_lifetime_ms;
    if (said && (!longest || *said > *longest)) longest = said;
  }
  return longest ? absl::Milliseconds(*longest) : kDefaultDeliveryLifetime;
}

absl::Status Fleet::Traffic() {
  std::vector<RestartEvent> restarts = scenario_.restarts;
  std::sort(
      restarts.begin(), restarts.end(),
      [](const RestartEvent& a, const RestartEvent& b) { return a.at < b.at; });
  std::size_t next_restart = 0;
  absl::Time start = absl::Now();
  absl::Duration paused;  // schedule shift caused by restarts
  const absl::Time deadline = start + absl::Seconds(scenario_.run_timeout_s);
  for (;;) {
    const absl::Time now = absl::Now();
    if (now > deadline)
      return absl::DeadlineExceededError("traffic phase timed out");
    if (next_restart < restarts.size() &&
        RestartDue(restarts[next_restart].at)) {
      const absl::Time before = absl::Now();
      // Repeatable traffic restarts a node only when nothing is in flight
      // anywhere: no message ends sender_restarted, no frame is lost to the
      // dead node, so no outcome depends on when the kill happened.
      if (scenario_.mode == TrafficMode::kRepeatable) {
        if (absl::Status st = Drain("before a restart"); !st.ok()) return st;
      }
      if (absl::Status st = Restart(restarts[next_restart].node); !st.ok())
        return st;
      paused += absl::Now() - before;
      ++next_restart;
      continue;
    }
    bool remaining = false;
    absl::Duration wait = absl::Milliseconds(50);
    const double restart_at = next_restart < restarts.size()
                                  ? restarts[next_restart].at
                                  : 2.0;  // none left
    // Saturated traffic ignores the schedule: every message is due. So
    // does repeatable traffic: a message offered when the wall clock says
    // would fall before or after a point where the fleet settled (and its
    // clocks moved) depending on the host's speed.
    const absl::Time schedule = scenario_.mode == TrafficMode::kScheduled
                                    ? start + paused
                                    : absl::InfinitePast();
    for (int i = 1; i <= scenario_.nodes; ++i) {
      NodeState& s = *states_[i];
      while (!s.outbox.empty() && s.up && NodeMayOffer(i, restart_at)) {
        const std::optional<std::size_t> next = s.outbox.Take(now, schedule);
        if (!next) {
          if (std::optional<absl::Time> due = s.outbox.NextDue(schedule))
            wait = std::min(wait, std::max(absl::ZeroDuration(), *due - now));
          break;
        }
        absl::Time hold = s.hold_all_until;
        if (auto it = s.hold_peer_until.find(plan_[*next].dst);
            it != s.hold_peer_until.end()) {
          hold = std::max(hold, it->second);
        }
        if (hold > now) {
          s.outbox.Defer(*next, hold);
          continue;
        }
        IssueSend(*next, now);
        // A restart may be due after this message.
        if (next_restart < restarts.size() && RestartDue(restart_at)) break;
      }
      if (!s.outbox.empty() || !clients_[i]->pending().empty())
        remaining = true;
    }
    if (!remaining && next_restart >= restarts.size()) return absl::OkStatus();
    if (scenario_.mode == TrafficMode::kRepeatable) {
      bool advanced = false;
      if (absl::Status st = MaybeAdvanceClocks(&advanced); !st.ok()) return st;
      if (advanced) continue;
    }
    if (absl::Status st = Pump(wait); !st.ok()) return st;
  }
}

bool Fleet::RestartDue(double at) const {
  if (scenario_.mode != TrafficMode::kRepeatable)
    return static_cast<double>(issued_) >=
           at * static_cast<double>(plan_.size());
  for (int i = 1; i <= scenario_.nodes; ++i) {
    const NodeState& s = *states_[i];
    if (static_cast<double>(s.issued) <
        std::ceil(at * static_cast<double>(s.planned)))
      return false;
  }
  return true;
}

bool Fleet::NodeMayOffer(int node, double next_restart_at) const {
  const NodeState& s = *states_[node];
  const std::size_t pending = clients_[node]->pending().size();
  if (scenario_.mode != TrafficMode::kRepeatable)
    return pending < kMaxOutstandingCommands;
  // One message at a time: a node's sequence numbers then go to its
  // messages in plan order, and each message meets the faults of its place
  // in its link's order (FaultKey::kLinkOrder). Nothing beyond its share
  // before the next restart.
  if (pending != 0 || !s.in_flight.empty()) return false;
  return static_cast<double>(s.issued) <
         std::ceil(next_restart_at * static_cast<double>(s.planned));
}

absl::Status Fleet::Restart(int node) {
  const absl::Time t0 = absl::Now();
  fleet_events_.push_back({t0, absl::StrCat("restart node ", node)});
  // Snapshot its counters so even the killed life is checked against its
  // console lines; then kill it while the others keep running.
  clients_[node]->Command("STATS", {PendingCommand::Type::kStats, 0, t0});
  if (absl::Status st =
          WaitFor([&] { return clients_[node]->pending().empty(); },
                  kCommandTimeout, "STATS before restart");
      !st.ok()) {
    return st;
  }
  KillNode(node);
  // Boot it again at once, without waiting for the others to settle: their
  // messages to it stay in flight and are retransmitted into its next life,
  // which must deliver each exactly once (it restores its replay windows).
  // Traffic() issues nothing new while we are here.
  if (absl::Status st = StartNode(node); !st.ok()) return st;
  if (absl::Status st = WaitFor(
          [&] {
            return states_[node]->ready && clients_[node]->network_connected();
          },
          absl::Seconds(scenario_.boot_timeout_s), "restarted node READY");
      !st.ok()) {
    return st;
  }
  // The node rejoins by itself: it restores its identity, link roots, epoch
  // and freshness from its storage (PROTOCOL.md, "Freshness"), resumes its
  // sequences above every one it may have used and refuses every frame from
  // before. No provisioning, no fleet-wide rotation.
  MarkUp(node);
  fleet_events_.push_back(
      {absl::Now(), absl::StrCat("node ", node, " rejoined")});
  if (attach_) {
    attach_->NoteNode(
        node, absl::StrCat("node ", node, " is back (life ",
                           states_[node]->life, ") and takes commands again"));
  }
  if (scenario_.mode == TrafficMode::kRepeatable) return StepClocks(node);
  return absl::OkStatus();
}

absl::Status Fleet::StepClocks(int node) {
  std::vector<int> nodes;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if ((node != 0 && i != node) || !states_[i]->up) continue;
    nodes.push_back(i);
  }
  return ClockCommand(nodes, "CLOCK step");
}

absl::Status Fleet::ClockCommand(const std::vector<int>& nodes,
                                 const std::string& command) {
  for (int i : nodes) {
    states_[i]->clock.reset();
    clients_[i]->Command(command,
                         {PendingCommand::Type::kClock, 0, absl::Now()});
  }
  return WaitFor(
      [&] {
        for (int i : nodes) {
          if (states_[i]->up && !states_[i]->clock) return false;
        }
        return true;
      },
      kCommandTimeout, command);
}

absl::Status Fleet::AdvanceClocksWhenSettled(bool* advanced) {
  *advanced = false;
  // Cheap checks first: something the harness still holds or waits for
  // (frames a fault parked wait for this point on purpose).
  if (router_->InFlight() != router_->Parked()) return absl::OkStatus();
  std::vector<int> up;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (!states_[i]->up) continue;
    if (!clients_[i]->pending().empty() || clients_[i]->network_backlog() != 0)
      return absl::OkStatus();
    up.push_back(i);
  }
  if (up.empty()) return absl::OkStatus();
  // Ask every node where it stands. A node answers a console line after
  // the frames it sent while handling earlier input (its network writes
  // return once the bytes are out), so once all have answered, whatever
  // they sent is already waiting in the harness's sockets: one more pump
  // reads it.
  const std::size_t frames_before = router_->frames().size();
  // An outcome read meanwhile lets its sender be offered its next message:
  // the harness has work to do first.
  const std::size_t outcomes_before = ledger_.outcomes.size();
  std::map<int, std::uint64_t> written;
  for (int i : up) written[i] = clients_[i]->network_bytes_written();
  if (absl::Status st = ClockCommand(up, "CLOCK"); !st.ok()) return st;
  if (absl::Status st = Pump(absl::ZeroDuration()); !st.ok()) return st;
  if (router_->frames().size() != frames_before ||
      ledger_.outcomes.size() != outcomes_before ||
      router_->InFlight() != router_->Parked())
    return absl::OkStatus();  // a node was still talking
  std::optional<std::uint64_t> earliest;
  for (int i : up) {
    const NodeState& s = *states_[i];
    if (!s.up || !s.clock) return absl::OkStatus();
    std::uint64_t handled = 0;
    const auto net_in = s.clock->fields.find("net_in");
    if (net_in == s.clock->fields.end() ||
        !absl::SimpleAtoi(net_in->second, &handled)) {
      abort_reason_ = absl::StrCat("node ", i, ": CLOCK reply without net_in");
      return absl::InternalError(abort_reason_);
    }
    // Bytes written but not yet handled: a frame is still being read.
    if (handled != written[i] ||
        clients_[i]->network_bytes_written() != written[i]) {
      return absl::OkStatus();
    }
    std::uint64_t due = 0;
    const auto due_in = s.clock->fields.find("due_in");
    if (due_in != s.clock->fields.end() &&
        absl::SimpleAtoi(due_in->second, &due)) {
      earliest = std::min(earliest.value_or(due), due);
    }
  }
  // Settled. Frames a fault held back land now, before any timer: a delay
  // or a reorder is shorter than a retransmission timeout.
  if (router_->ReleaseParked(absl::Now()) != 0) {
    // Delivered by the next Pump(), which also notes when each was written.
    ++parked_releases_;
    *advanced = true;
    return absl::OkStatus();
  }
  if (!earliest) return absl::OkStatus();  // settled, and no timer runs
  // Every node moves by the same step: one timeline for the fleet, in which
  // the earliest timer fires now and every later one keeps its distance.
  ++clock_advances_;
  *advanced = true;
  return ClockCommand(up, absl::StrCat("CLOCK advance ", *earliest));
}

void Fleet::MarkUp(int node) {
  NodeState& s = *states_[node];
  s.up = true;
  s.stream_base = router_->carried_bytes()[node].size();
  s.written_seen = 0;
  router_->SetNodeUp(static_cast<std::uint8_t>(node), s.life);
}

void Fleet::SetArrivals(std::vector<FrameRecord>* frames) const {
  for (FrameRecord& f : *frames) {
    if (f.stream_end == 0) continue;  // never written to a receiver
    const auto& written = states_[f.header.destination]->written;
    f.arrived = absl::InfiniteFuture();
    // Marks grow with time; the first of the receiving life that covers
    // the frame's last byte.
    auto it = std::lower_bound(
        written.begin(), written.end(),
        std::make_tuple(f.receiver_life, f.stream_end, absl::InfinitePast()));
    if (it != written.end() && std::get<0>(*it) == f.receiver_life)
      f.arrived = std::get<2>(*it);
  }
}

bool Fleet::Drained() const {
  if (router_->InFlight() != 0) return false;
  if (absl::Now() - last_network_byte_ < kQuietPeriod) return false;
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (!states_[i]->ready) continue;  // down: nothing to wait for
    if (!clients_[i]->pending().empty()) return false;
    if (clients_[i]->network_backlog() != 0) return false;
    // Every accepted message has its outcome.
    if (!states_[i]->in_flight.empty()) return false;
    // Every frame written into its UART this life has been answered by one
    // RX, REJECT or DELIVERED line, except DATA frames it had already,
    // which it may acknowledge again without a line.
    const auto id = static_cast<std::uint8_t>(i);
    if (states_[i]->lines_in_life + router_->MaySilentInLife(id) <
        router_->DeliveredInLife(id)) {
      return false;
    }
  }
  return true;
}

absl::Status Fleet::Drain(const std::string& why) {
  // Nodes under emulation are slow (a 4 KiB frame costs a node tens of
  // milliseconds of AES-GCM), so a backlog may take a while to clear. The
  // drain timeout is therefore a stall timeout: it restarts whenever a node
  // reports another frame or the network moves.
  //
  // Outcomes come at the latest a delivery lifetime after a message's last
  // retransmission, so the stall timeout is at least that plus a margin:
  // a sender that never reports a message is found out, not waited for.
  const absl::Duration stall =
      std::max(absl::Milliseconds(scenario_.drain_timeout_ms),
               DeliveryLifetime() + kOutcomeMargin);
  std::uint64_t last_progress_marker = 0;
  absl::Time stall_deadline = absl::Now() + stall;
  const absl::Time hard_deadline =
      absl::Now() + absl::Seconds(scenario_.run_timeout_s);
  while (!Drained()) {
    std::uint64_t marker = ledger_.rx.size() + ledger_.rejects.size() +
                           ledger_.outcomes.size() + router_->frames().size();
    if (marker != last_progress_marker) {
      last_progress_marker = marker;
      stall_deadline = absl::Now() + stall;
    }
    const absl::Time now = absl::Now();
    if (now >= stall_deadline || now >= hard_deadline) {
      // Not fatal: whatever did not settle shows up in the accounting.
      fleet_events_.push_back(
          {now, absl::StrCat("drain timeout: ", why, " (", Outstanding(),
                             " accepted messages without an outcome)")});
      return absl::OkStatus();
    }
    if (scenario_.mode == TrafficMode::kRepeatable) {
      bool advanced = false;
      if (absl::Status st = MaybeAdvanceClocks(&advanced); !st.ok()) return st;
      if (advanced) continue;
    }
    if (absl::Status st = Pump(absl::Milliseconds(50)); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status Fleet::MaybeAdvanceClocks(bool* advanced) {
  *advanced = false;
  // Asking costs every node a console round trip: only once the network
  // has been quiet for a moment. Whether the fleet has settled is decided
  // by what the nodes answer, not by this pause.
  if (absl::Now() - last_network_byte_ < kSettlePause) return absl::OkStatus();
  return AdvanceClocksWhenSettled(advanced);
}

absl::Status Fleet::CollectStats() {
  for (int i = 1; i <= scenario_.nodes; ++i) {
    clients_[i]->Command("STATS",
                         {PendingCommand::Type::kStats, 0, absl::Now()});
  }
  return WaitFor(
      [this] {
        for (int i = 1; i <= scenario_.nodes; ++i) {
          if (!clients_[i]->pending().empty()) return false;
        }
        return true;
      },
      kCommandTimeout, "final STATS");
}

void Fleet::Shutdown() {
  if (attach_) {
    attach_->CloseAll("the fleet run is over: its nodes are shut down");
    attach_.reset();
  }
  for (std::size_t i = 1; i < clients_.size(); ++i) {
    if (clients_[i]) clients_[i]->Stop();
  }
}

absl::Status Fleet::WaitFor(const std::function<bool()>& done,
                            absl::Duration timeout, const std::string& what) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("timed out waiting for ", what));
    }
    if (absl::Status st =
            Pump(std::min(deadline - now, absl::Milliseconds(50)));
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status Fleet::Pump(absl::Duration max_wait) {
  if (!abort_reason_.empty()) return absl::InternalError(abort_reason_);
  if (ShutdownSignal() != 0) {
    return absl::CancelledError(
        absl::StrCat("interrupted by signal ", ShutdownSignal()));
  }
  struct Slot {
    int node;
    enum { kConsoleRead, kConsoleWrite, kNetwork } what;
  };
  std::vector<pollfd> fds;
  std::vector<Slot> slots;
  fds.push_back({ShutdownSignalFd(), POLLIN, 0});
  slots.push_back({0, Slot::kConsoleRead});
  for (int i = 1; i <= scenario_.nodes; ++i) {
    NodeClient& c = *clients_[i];
    if (c.console_fd() < 0) continue;
    fds.push_back({c.console_fd(), POLLIN, 0});
    slots.push_back({i, Slot::kConsoleRead});
    if (c.wants_console_write()) {
      fds.push_back({c.console_write_fd(), POLLOUT, 0});
      slots.push_back({i, Slot::kConsoleWrite});
    }
    if (c.network_fd() >= 0) {
      fds.push_back(
          {c.network_fd(),
           static_cast<short>(POLLIN | (c.wants_network_write() ? POLLOUT : 0)),
           0});
      slots.push_back({i, Slot::kNetwork});
    }
  }
  const std::size_t attach_first = fds.size();
  if (attach_) attach_->AppendPollFds(&fds);
  absl::Duration wait = max_wait;
  if (std::optional<absl::Time> due = router_->NextDue()) {
    wait = std::min(wait, std::max(absl::ZeroDuration(), *due - absl::Now()));
  }
  const int timeout_ms = static_cast<int>(
      absl::ToInt64Milliseconds(wait + absl::Microseconds(999)));
  const int ready = poll(fds.data(), fds.size(), std::max(0, timeout_ms));
  if (ready < 0 && errno != EINTR) return absl::InternalError("poll failed");
  const absl::Time now = absl::Now();

  if (attach_) {
    attach_->HandlePoll(std::span<const pollfd>(fds).subspan(attach_first));
    ServeAttached(now);
  }
  for (std::size_t k = 1; k < attach_first; ++k) {
    if (fds[k].revents == 0) continue;
    const int i = slots[k].node;
    NodeClient& c = *clients_[i];
    switch (slots[k].what) {
      case Slot::kConsoleRead: {
        std::vector<std::string> lines;
        const bool open = c.ReadConsole(&lines);
        for (const std::string& line : lines) OnConsoleLine(i, line, now);
        if (!open && states_[i]->up) {
          return absl::InternalError(
              absl::StrCat("node ", i, " console closed (QEMU exited)"));
        }
        break;
      }
      case Slot::kConsoleWrite:
        c.FlushConsole();
        break;
      case Slot::kNetwork: {
        if (fds[k].revents & POLLOUT) c.FlushNetwork();
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
          std::string bytes;
          const bool open = c.ReadNetwork(&bytes);
          if (!bytes.empty()) {
            last_network_byte_ = now;
            NodeState& s = *states_[i];
            if (s.first_frame == absl::InfinitePast()) {
              s.first_frame = now;
              if (s.life == 1) {
                s.metrics.boot_to_first_frame_ms =
                    absl::ToDoubleMilliseconds(now - c.started());
              }
            }
            router_->OnBytes(
                static_cast<std::uint8_t>(i),
                std::span<const std::uint8_t>(
                    reinterpret_cast<const std::uint8_t*>(bytes.data()),
                    bytes.size()),
                now);
          }
          if (!open && states_[i]->up) {
            return absl::InternalError(
                absl::StrCat("node ", i, " network link closed"));
          }
        }
        break;
      }
    }
  }
  router_->Tick(absl::Now());
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (states_[i]->up) clients_[i]->ProbeIfWaiting(absl::Now());
  }
  const absl::Time flushed = absl::Now();
  for (int i = 1; i <= scenario_.nodes; ++i) {
    NodeState& s = *states_[i];
    const std::uint64_t w = clients_[i]->network_bytes_written();
    if (s.up && w != s.written_seen) {
      s.written_seen = w;
      s.written.emplace_back(s.life, s.stream_base + w, flushed);
    }
  }

  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (states_[i]->up && !clients_[i]->Alive()) {
      return absl::InternalError(
          absl::StrCat("node ", i, " (QEMU) exited unexpectedly"));
    }
    // Provisioning queues 1 + (nodes - 1) commands per node at once; a big
    // fleet on a small machine answers them slowly, but one by one.
    const auto& pending = clients_[i]->pending();
    if (!pending.empty() &&
        now - std::max(pending.front().issued, states_[i]->last_answer) >
            kCommandTimeout) {
      return absl::DeadlineExceededError(
          absl::StrCat("node ", i, " did not answer a command"));
    }
  }
  if (now - last_rss_sample_ > absl::Milliseconds(500)) {
    last_rss_sample_ = now;
    SampleProcesses();
  }
  // On a terminal the line is redrawn 4 times a second; in a log (CI) a
  // whole line every 5 seconds keeps it readable.
  const absl::Duration interval =
      options_.progress_live ? absl::Milliseconds(250) : absl::Seconds(5);
  if (options_.progress && now - last_progress_ >= interval) {
    last_progress_ = now;
    PrintProgress(now, false);
  }
  return absl::OkStatus();
}

void Fleet::SampleProcesses() {
  for (int i = 1; i <= scenario_.nodes; ++i) {
    if (!clients_[i] || !clients_[i]->Alive()) continue;
    NodeState& s = *states_[i];
    const pid_t pid = clients_[i]->pid();
    s.metrics.rss_kib_max = std::max(s.metrics.rss_kib_max, ResidentKiB(pid));
    s.metrics.rss_anon_kib_max =
        std::max(s.metrics.rss_anon_kib_max, AnonymousResidentKiB(pid));
    s.cpu_life_s = std::max(s.cpu_life_s, CpuSeconds(pid));
  }
}

void Fleet::OnConsoleLine(int node, const std::string& text, absl::Time now) {
  NodeState& s = *states_[node];
  NodeClient& c = *clients_[node];
  LifeRecord& life = CurrentLife(node);
  const ConsoleLine line = ParseConsoleLine(text);
  // An attached user's reply is theirs alone: it is neither counted nor
  // recorded, and it ends no command of the harness's.
  switch (RouteConsoleLine(line, c.pending())) {
    case LineRoute::kUserPart:
      if (attach_) attach_->Reply(c.pending().front().user, text);
      return;
    case LineRoute::kUserEnd:
      s.last_answer = now;
      if (attach_) {
        attach_->Reply(c.pending().front().user, text);
        attach_->Done(c.pending().front().user);
      }
      c.pending().pop_front();
      return;
    case LineRoute::kUnsolicited:
      if (attach_) attach_->Mirror(node, text);
      break;
    case LineRoute::kHarness:
      if (c.pending().empty() || !c.pending().front().for_user()) break;
      // A reply while a user's command is first in line: not the user's,
      // and no command of the harness's is being answered.
      c.Log(absl::StrCat("reply to no command of the harness: ", text));
      return;
  }
  if (const auto* boot = std::get_if<BootLine>(&line)) {
    s.metrics.static_ram = boot->static_ram;
    s.metrics.build = boot->build;
    return;
  }
  if (const auto* ready = std::get_if<ReadyLine>(&line)) {
    if (!s.ready) {
      s.metrics.boot_to_ready_ms.push_back(
          absl::ToDoubleMilliseconds(now - c.started()));
      life.ready_at = now;
    }
    if (ready->arq_lifetime_ms)
      s.metrics.arq_lifetime_ms = ready->arq_lifetime_ms;
    s.ready = true;
    return;
  }
  if (const auto* outcome = std::get_if<OutcomeLine>(&line)) {
    OnOutcome(node, *outcome, now);
    return;
  }
  if (const auto* rx = std::get_if<RxLine>(&line)) {
    ledger_.rx.push_back({static_cast<std::uint8_t>(node), s.life, *rx, now});
    ++s.lines_in_life;
    return;
  }
  if (const auto* reject = std::get_if<RejectLine>(&line)) {
    ledger_.rejects.push_back(
        {static_cast<std::uint8_t>(node), s.life, *reject, now});
    ++s.lines_in_life;
    return;
  }
  if (const auto* stats = std::get_if<StatsLine>(&line)) {
    s.last_answer = now;
    if (c.pending().empty() ||
        c.pending().front().type != PendingCommand::Type::kStats) {
      c.Log("unexpected STATS line");
      return;
    }
    c.pending().pop_front();
    life.stats = *stats;
    life.stats_at = now;
    s.metrics.last_stats = *stats;
    life.rejects_at_stats = {};
    life.rx_at_stats = 0;
    life.tx_at_stats = 0;
    life.delivered_at_stats = s.delivered_in_life;
    life.failed_at_stats = s.failed_in_life;
    life.busy_at_stats = s.busy_in_life;
    for (const RejectRecord& r : ledger_.rejects) {
      if (r.receiver == node && r.life == s.life)
        ++life.rejects_at_stats[static_cast<int>(r.line.reason)];
    }
    for (const RxRecord& r : ledger_.rx) {
      if (r.receiver == node && r.life == s.life) ++life.rx_at_stats;
    }
    for (const MessageRecord& m : ledger_.messages) {
      if (m.plan.src == node && m.sender_life == s.life &&
          m.state == SendState::kAccepted) {
        ++life.tx_at_stats;
      }
    }
    return;
  }
  if (const auto* reply = std::get_if<ReplyLine>(&line)) {
    s.last_answer = now;
    if (c.pending().empty()) {
      c.Log(absl::StrCat("reply without a command: ", text));
      return;
    }
    const PendingCommand command = c.pending().front();
    c.pending().pop_front();
    if (command.type == PendingCommand::Type::kSend) {
      OnSendReply(node, *reply, text, command.message_id, now);
      return;
    }
    if (command.type == PendingCommand::Type::kClock && reply->ok() &&
        reply->command == "CLOCK") {
      s.clock = *reply;
      return;
    }
    if (!reply->ok()) {
      // PROVISION / ROTATE / RESET must succeed; the run cannot go on
      // meaningfully otherwise, so the next WaitFor notices via abort.
      abort_reason_ = absl::StrCat("node ", node, ": ", text);
      c.Log(abort_reason_);
    }
    return;
  }
  // Anything else is kept in the node's transcript only.
}

void Fleet::ServeAttached(absl::Time now) {
  for (const AttachServer::Request& r : attach_->TakeRequests()) {
    absl::StatusOr<std::string> command = AttachableCommand(r.line);
    if (!command.ok()) {
      attach_->Note(r.client, command.status().message());
      attach_->Done(r.client);
      continue;
    }
    if (!states_[r.node]->ready || !clients_[r.node]->Alive()) {
      attach_->Note(r.client,
                    absl::StrCat("node ", r.node,
                                 " is not ready (booting or restarting): "
                                 "try again in a moment"));
      attach_->Done(r.client);
      continue;
    }
    PendingCommand pending{UserCommandType(*command), 0, now};
    pending.user = r.client;
    clients_[r.node]->Command(*command, pending);
  }
}

void Fleet::DropUserCommands(int node, const std::string& why) {
  for (const PendingCommand& c : clients_[node]->pending()) {
    if (c.for_user() && attach_) {
      attach_->Note(c.user, why);
      attach_->Done(c.user);
    }
  }
}

void Fleet::OnSendReply(int node, const ReplyLine& reply,
                        const std::string& text, std::uint32_t message_id,
                        absl::Time now) {
  NodeState& s = *states_[node];
  MessageRecord& m = ledger_.messages[message_id - 1];
  auto field = [&](const char* key) -> std::uint32_t {
    auto it = reply.fields.find(key);
    std::uint32_t v = 0;
    if (it != reply.fields.end()) absl::SimpleAtoi(it->second, &v);
    return v;
  };
  const bool about_it = reply.command == "SEND" && field("id") == m.plan.id;
  if (about_it && reply.status == ReplyLine::Status::kOk) {
    m.state = SendState::kAccepted;
    m.sequence = field("seq");
    m.epoch = field("epoch");
    m.accepted_at = now;
    s.in_flight.insert(message_id - 1);
    ++accepted_;
  } else if (about_it && reply.status == ReplyLine::Status::kBusy) {
    // Not taken: offer the same message again after a back-off.
    m.state = SendState::kNotIssued;
    ++m.busy;
    ++s.busy_in_life;
    ++s.metrics.busy;
    ++busy_;
    s.outbox.Busy(message_id - 1, now);
    auto reason = reply.fields.find("reason");
    const absl::Time until = now + SendQueue::kBusyBackoff;
    if (reason != reply.fields.end() && reason->second == "no_buffer") {
      s.hold_all_until = std::max(s.hold_all_until, until);
    } else {
      absl::Time& peer = s.hold_peer_until[m.plan.dst];
      peer = std::max(peer, until);
    }
  } else {
    m.state = SendState::kRefused;
    auto it = reply.fields.find("reason");
    m.refusal = it != reply.fields.end() ? it->second : text;
  }
}

void Fleet::OnOutcome(int node, const OutcomeLine& outcome, absl::Time now) {
  NodeState& s = *states_[node];
  ledger_.outcomes.push_back(
      {static_cast<std::uint8_t>(node), s.life, outcome, now});
  ++outcomes_;
  if (outcome.delivered) {
    ++s.delivered_in_life;
    ++s.lines_in_life;  // the answer to an ACK frame
  } else {
    ++s.failed_in_life;
  }
  // The accounting judges the line; here it only ends the wait for it.
  if (outcome.id >= 1 && outcome.id <= ledger_.messages.size())
    s.in_flight.erase(outcome.id - 1);
}

void Fleet::PrintProgress(absl::Time now, bool final_line) {
  std::size_t delivered = ledger_.rx.size();
  std::fprintf(
      stderr,
      "%s[%6.1fs] nodes %d  epoch %u  sent %zu/%zu  accepted %zu  busy %zu  "
      "delivered %zu  outcomes %zu (awaited %zu)  refused %zu  in-flight %zu   "
      "%s",
      options_.progress_live ? "\r" : "", absl::ToDoubleSeconds(now - origin_),
      scenario_.nodes, fleet_epoch_, issued_, plan_.size(), accepted_, busy_,
      delivered, outcomes_, Outstanding(), ledger_.rejects.size(),
      router_ ? router_->InFlight() : 0,
      final_line || !options_.progress_live ? "\n" : "");
  std::fflush(stderr);
}

void Fleet::ScanWire(RunOutcome* outcome) {
  WireScanner scanner;
  for (const PlannedMessage& m : plan_) {
    scanner.AddPattern(absl::StrCat("plaintext of message ", m.id),
                       GeneratePayload(m.seed, m.size));
  }
  scanner.AddPattern("key: fleet secret", fleet_secret_);
  for (int a = 1; a <= scenario_.nodes; ++a) {
    for (int b = a + 1; b <= scenario_.nodes; ++b) {
      absl::StatusOr<Key256> root =
          DerivePairRoot(fleet_secret_, static_cast<std::uint8_t>(a),
                         static_cast<std::uint8_t>(b));
      if (root.ok())
        scanner.AddPattern(absl::StrCat("key: pair root ", a, "-", b), *root);
    }
  }
  for (std::uint32_t epoch : epochs_used_) {
    for (int a = 1; a <= scenario_.nodes; ++a) {
      for (int b = a + 1; b <= scenario_.nodes; ++b) {
        absl::StatusOr<Key256> key =
            DerivePairKey(fleet_secret_, static_cast<std::uint8_t>(a),
                          static_cast<std::uint8_t>(b), epoch);
        if (key.ok())
          scanner.AddPattern(
              absl::StrCat("key: pair ", a, "-", b, " epoch ", epoch), *key);
      }
    }
  }
  for (int i = 1; i <= scenario_.nodes; ++i) {
    scanner.ScanStream(absl::StrCat("node ", i, " emitted"),
                       router_->emitted_bytes()[i]);
    scanner.ScanStream(absl::StrCat("node ", i, " received"),
                       router_->carried_bytes()[i]);
  }
  bool plaintext = false, key = false;
  nlohmann::json findings = nlohmann::json::array();
  for (const LeakFinding& f : scanner.findings()) {
    if (f.pattern.rfind("plaintext", 0) == 0) plaintext = true;
    if (f.pattern.rfind("key", 0) == 0) key = true;
    findings.push_back(
        {{"stream", f.stream}, {"offset", f.offset}, {"pattern", f.pattern}});
    outcome->verdict.Add(
        f.pattern.rfind("key", 0) == 0 ? "key_on_wire" : "plaintext_on_wire",
        absl::StrCat(f.pattern, " found in ", f.stream, " at ", f.offset));
  }
  outcome->wire_scan = {
      {"patterns", scanner.patterns()},
      {"windows", scanner.windows()},
      {"unscannable_short_patterns", scanner.unscannable_patterns()},
      {"bytes_scanned", scanner.bytes_scanned()},
      {"findings_total", scanner.total_findings()},
      {"frames_scanned",
       {{"data", scanner.frames_scanned(FrameType::kData)},
        {"ack", scanner.frames_scanned(FrameType::kAck)},
        {"other", scanner.other_frames_scanned()}}},
      {"findings", findings},
      {"plaintext_on_wire", plaintext},
      {"key_on_wire", key},
  };
}

}  // namespace sim
