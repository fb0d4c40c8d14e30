// End-to-end accounting and the verdict.
//
// Inputs are plain records (what the harness asked for, what each node's
// console said, what the router saw and did), so the whole judgement can be
// tested with synthetic runs. Rules:
//  * every planned message is delivered exactly once, to the right node,
//    with the right length and fingerprint, or is lost with a cause that
//    the evidence supports (router drop/corruption, node restart, sender
//    refusal); a loss without such a cause is a violation;
//  * a delivery of a frame the router dropped, corrupted or replayed, a
//    second delivery, or a delivery of an unknown message is a violation
//    (a forgery or replay was accepted);
//  * every copy the router delivered that a correct receiver must refuse is
//    matched to one of that receiver's REJECT lines with an allowed reason,
//    and every REJECT line is explained by such a copy;
//  * STATS counters agree with the lines the node printed;
//  * no sender reuses a (destination, epoch, sequence): that is GCM nonce
//    reuse.
// Leak-scan and process-hygiene results are added by the fleet.
#ifndef SIM_ACCOUNTING_H_
#define SIM_ACCOUNTING_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "sim/console_protocol.h"
#include "sim/router.h"
#include "sim/traffic.h"

namespace sim {

enum class SendState : std::uint8_t {
  kNotIssued = 0,
  kIssued,      // SEND written, no reply yet
  kAcked,       // OK SEND
  kRefused,     // ERR SEND
  kSenderDied,  // the sender was killed before it replied
};

struct MessageRecord {
  PlannedMessage plan;
  SendState state = SendState::kNotIssued;
  int sender_life = 0;
  std::uint32_t sequence = 0;
  std::uint32_t epoch = 0;
  std::string refusal;
  absl::Time issued_at = absl::InfinitePast();
  absl::Time acked_at = absl::InfinitePast();
};

struct RxRecord {
  std::uint8_t receiver = 0;
  int life = 0;
  RxLine line;
  absl::Time time;
};

struct RejectRecord {
  std::uint8_t receiver = 0;
  int life = 0;
  RejectLine line;
  absl::Time time;
};

// One boot of one node, from READY to its kill or the end of the run.
struct LifeRecord {
  std::uint8_t node = 0;
  int life = 0;
  bool killed = false;             // ended by a kill-and-restart
  std::optional<StatsLine> stats;  // the last STATS reply of the life
  // What the console had printed when that reply arrived.
  std::array<std::uint64_t, kRejectReasonCount> rejects_at_stats{};
  std::uint64_t rx_at_stats = 0;
  std::uint64_t tx_at_stats = 0;
};

struct LedgerInput {
  std::vector<MessageRecord> messages;  // messages[i].plan.id == i + 1
  std::vector<RxRecord> rx;
  std::vector<RejectRecord> rejects;
  std::vector<LifeRecord> lives;
  std::vector<FrameRecord> frames;
  std::vector<InjectedCopy> injected;
  bool run_completed = true;  // false: aborted (timeout, signal, crash)
};

struct Violation {
  std::string check;
  std::string detail;
};

struct FaultOutcome {
  int frames = 0;  // frames that drew this fault (or copies, for leaks)
  int messages_delivered = 0;  // of those frames' messages
  int messages_lost = 0;
  int refusals_expected = 0;    // copies a receiver had to refuse
  int refusals_observed = 0;    // matched to a REJECT with an allowed reason
  int refusals_unobserved = 0;  // receiver killed before it could say
};

struct Verdict {
  std::vector<Violation> violations;
  std::map<std::string, int> violation_counts;
  int messages = 0;
  int delivered = 0;
  std::map<std::string, int> lost_by_cause;
  std::map<std::string, FaultOutcome> faults;  // by FaultKindName
  int accepted_forgeries_or_replays = 0;
  int rejects_observed = 0;
  int rejects_explained = 0;

  bool pass() const { return violations.empty(); }
  void Add(std::string check, std::string detail);
  nlohmann::json ToJson() const;
};

Verdict ComputeVerdict(const LedgerInput& input);

}  // namespace sim

#endif  // SIM_ACCOUNTING_H_
