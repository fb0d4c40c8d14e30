// End-to-end accounting and the verdict.
//
// Inputs are plain records (what the harness asked for, what each node's
// console said, what the router saw and did, which ACK frames opened to
// what), so the whole judgement can be tested with synthetic runs. Rules:
//  * every message a sender accepted (OK SEND) ends in exactly one outcome:
//    the sender's DELIVERED or FAILED line, or the harness's own
//    "sender_restarted" when it restarted the sender while the message was
//    in flight; an accepted message without an outcome is a silent loss;
//  * DELIVERED must be backed by exactly one RX with the right length and
//    fingerprint at the destination and by an authentic ACK naming the
//    message's sequence that reached the sender; the transmissions it
//    reports must be the ones the router carried;
//  * FAILED must have a cause the evidence confirms: "unreachable" needs no
//    intact DATA copy at the destination, or no authentic ACK at the sender
//    in time, or the destination down during the message's life;
//    "rotated", "reset" and "locked_out" need that command sent to the
//    sender while the message was in flight. A FAILED message that was
//    RX'd is allowed only when its acknowledgements were lost;
//  * an RX more than once, of a message never accepted, of one none of
//    whose transmissions arrived intact, or at the wrong node, is a
//    violation (a forgery or replay was accepted); so is an authentic ACK
//    for a message its sender never received;
//  * every copy the router delivered that a correct receiver must refuse is
//    matched to one of that receiver's REJECT lines with an allowed reason,
//    and every REJECT line is explained by such a copy or by one a receiver
//    may refuse (a DATA frame it has, an ACK for no message in flight);
//  * STATS counters agree with the lines the node printed;
//  * no sender uses a (destination, epoch, sequence) for two different
//    frames: that is GCM nonce reuse (a retransmission repeats the frame).
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

// How long a sender may take to read an ACK after the harness wrote it
// into its link: under emulation a node works through the frames ahead of
// it (the socket and its receive ring hold several 4 KiB frames, each
// costing AES-GCM) and its retransmission timer may fire meanwhile. Fleets
// measured up to 3.6 s on a loaded machine (report: ack_lag_ms_max), so a
// run uses twice its own largest lag where that is more. An ACK that was
// in the link for less before a FAILED line refutes the failure only if
// the sender answered a frame behind it first.
inline constexpr absl::Duration kAckProcessingSlack = absl::Seconds(5);

enum class SendState : std::uint8_t {
  kNotIssued = 0,  // not offered yet, or offered and answered BUSY
  kIssued,         // SEND written, no reply yet
  kAccepted,       // OK SEND: the sender owes an outcome
  kRefused,        // ERR SEND
  kSenderDied,     // the sender was killed before it replied
};

struct MessageRecord {
  PlannedMessage plan;
  SendState state = SendState::kNotIssued;
  int sender_life = 0;
  std::uint32_t sequence = 0;
  std::uint32_t epoch = 0;
  std::string refusal;
  int busy = 0;  // BUSY replies; each was followed by another offer
  absl::Time issued_at = absl::InfinitePast();    // the last SEND written
  absl::Time accepted_at = absl::InfinitePast();  // OK SEND read
  // The harness restarted the sender after it accepted the message and
  // before any outcome line: the harness ends it (sender_restarted).
  bool sender_restarted = false;
  absl::Time sender_restarted_at = absl::InfinitePast();
};

// A DELIVERED or FAILED line, as printed.
struct OutcomeRecord {
  std::uint8_t node = 0;  // who printed it
  int life = 0;
  OutcomeLine line;
  absl::Time time;
};

// A command the harness sent that ends a sender's messages in flight
// (ROTATE: rotated, RESET: reset, TAMPER: locked_out).
struct CommandRecord {
  std::uint8_t node = 0;
  int life = 0;
  FailureCause ends_with = FailureCause::kRotated;
  absl::Time issued;
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
  bool killed = false;                        // ended by a kill-and-restart
  absl::Time started = absl::InfinitePast();  // QEMU spawned
  absl::Time ready_at = absl::InfiniteFuture();
  absl::Time killed_at = absl::InfiniteFuture();
  std::optional<StatsLine> stats;  // the last STATS reply of the life
  absl::Time stats_at = absl::InfiniteFuture();
  // What the console had printed when that reply arrived.
  std::array<std::uint64_t, kRejectReasonCount> rejects_at_stats{};
  std::uint64_t rx_at_stats = 0;
  std::uint64_t tx_at_stats = 0;
  std::uint64_t delivered_at_stats = 0;
  std::uint64_t failed_at_stats = 0;
  std::uint64_t busy_at_stats = 0;
};

struct LedgerInput {
  std::vector<MessageRecord> messages;  // messages[i].plan.id == i + 1
  std::vector<RxRecord> rx;
  std::vector<RejectRecord> rejects;
  std::vector<OutcomeRecord> outcomes;
  std::vector<CommandRecord> commands;
  std::vector<LifeRecord> lives;
  std::vector<FrameRecord> frames;  // ACK frames opened (sim/ack_opener.h)
  std::vector<InjectedCopy> injected;
  bool run_completed = true;  // false: aborted (timeout, signal, crash)
};

struct Violation {
  std::string check;
  std::string detail;
};

struct FaultOutcome {
  int frames = 0;  // frames that drew this fault (or copies, for leaks)
  int messages_delivered = 0;  // of those frames' messages (DATA frames)
  int messages_lost = 0;
  // Copies a receiver had to refuse, or (duplicated DATA) could also take
  // silently: observed + unobserved + absorbed == expected.
  int refusals_expected = 0;
  int refusals_observed = 0;    // matched to a REJECT with an allowed reason
  int refusals_unobserved = 0;  // receiver killed before it could say
  int copies_absorbed = 0;      // taken without a line (allowed for them)
};

// How one planned message ended, for the report.
struct MessageOutcome {
  std::uint32_t id = 0;
  std::uint8_t src = 0;
  std::uint8_t dst = 0;
  std::uint32_t size = 0;
  // "delivered", "failed", "refused", "not_sent", "silent_loss"
  std::string outcome;
  std::string cause;              // failed: the cause; refused: the reason
  std::string confirmed;          // how the harness confirmed a failure
  int transmissions = 0;          // as the sender reported them (0: no report)
  int transmissions_on_wire = 0;  // DATA frames the router carried
  int busy = 0;
  int rx = 0;            // RX lines at the destination
  int acks_on_wire = 0;  // authentic ACK frames naming it
  bool ok = true;        // no violation about this message
};

struct Verdict {
  std::vector<Violation> violations;
  std::map<std::string, int> violation_counts;
  int messages = 0;
  int delivered = 0;  // RX'd at the destination
  std::map<std::string, int> lost_by_cause;
  std::map<std::string, FaultOutcome> faults;  // by FaultKindName
  int accepted_forgeries_or_replays = 0;
  int rejects_observed = 0;
  int rejects_explained = 0;

  // Reliable delivery: outcomes as the senders (or the harness) reported.
  int accepted = 0;           // OK SEND
  int outcome_delivered = 0;  // DELIVERED lines, confirmed
  int outcome_failed = 0;     // FAILED lines and sender_restarted
  std::map<std::string, int> failed_by_cause;
  int failed_but_delivered = 0;  // FAILED, RX'd once: acknowledgements lost
  int silent_losses = 0;         // accepted, no outcome
  int busy_retries = 0;          // BUSY replies, each offered again
  int retransmissions = 0;       // sum over messages of transmissions - 1
  std::map<int, int> transmissions_histogram;  // transmissions -> messages
  // Copies of DATA frames their receiver already had (retransmissions, the
  // router's duplicates and replays): it acknowledges them again silently,
  // or refuses them as replays when they are older than its window.
  int duplicate_copies = 0;
  int rx_duplicates_reported = 0;  // the nodes' STATS rx_duplicates, summed
  int ack_frames = 0;
  int data_frames = 0;
  // From an ACK's arrival in its sender's link to the sender's DELIVERED
  // line, over DELIVERED messages: how long a node takes to act on an ACK
  // (compare kAckProcessingSlack).
  double ack_lag_ms_median = 0;
  double ack_lag_ms_max = 0;
  // An ACK in its sender's link this long before a FAILED line refutes it:
  // kAckProcessingSlack, or twice the largest lag, if that is more.
  double ack_slack_ms = 0;
  std::vector<MessageOutcome> per_message;

  bool pass() const { return violations.empty(); }
  void Add(std::string check, std::string detail);
  nlohmann::json ToJson() const;
};

Verdict ComputeVerdict(const LedgerInput& input);

}  // namespace sim

#endif  // SIM_ACCOUNTING_H_
