#include "sim/accounting.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sim/payload.h"

namespace sim {
namespace {

constexpr std::size_t kMaxViolationDetails = 200;

using FrameKey =
    std::tuple<std::uint8_t, std::uint8_t, std::uint32_t, std::uint32_t>;
using LifeKey = std::pair<std::uint8_t, int>;

// Matches observed REJECT lines against copies a receiver must or may
// refuse, with Kuhn's augmenting paths. Copies that must be refused are
// matched first, from their side, so an optional copy never takes the
// REJECT a mandatory one needed; then the remaining lines are matched
// against anything. Augmenting never unmatches a vertex, so the result
// covers as many mandatory copies as any matching does and is maximum.
// Sizes per receiver life are small (hundreds), so this is plenty fast.
class Matcher {
 public:
  Matcher(const std::vector<RejectReason>& observed,
          const std::vector<ReasonSet>& expected,
          const std::vector<bool>& optional)
      : observed_(observed),
        expected_(expected),
        optional_(optional),
        match_of_expected_(expected.size(), -1),
        match_of_observed_(observed.size(), -1) {}

  int Run() {
    for (std::size_t e = 0; e < expected_.size(); ++e) {
      if (optional_[e]) continue;
      std::vector<bool> seen(observed_.size(), false);
      AugmentFromExpected(static_cast<int>(e), seen);
    }
    for (std::size_t o = 0; o < observed_.size(); ++o) {
      if (match_of_observed_[o] >= 0) continue;
      std::vector<bool> seen(expected_.size(), false);
      AugmentFromObserved(static_cast<int>(o), seen);
    }
    int matched = 0;
    for (int m : match_of_observed_) matched += m >= 0 ? 1 : 0;
    return matched;
  }
  const std::vector<int>& match_of_expected() const {
    return match_of_expected_;
  }

 private:
  bool Fits(int o, int e) const { return expected_[e].Contains(observed_[o]); }

  bool AugmentFromObserved(int o, std::vector<bool>& seen) {
    for (std::size_t e = 0; e < expected_.size(); ++e) {
      if (seen[e] || !Fits(o, static_cast<int>(e))) continue;
      seen[e] = true;
      if (match_of_expected_[e] < 0 ||
          AugmentFromObserved(match_of_expected_[e], seen)) {
        match_of_expected_[e] = o;
        match_of_observed_[o] = static_cast<int>(e);
        return true;
      }
    }
    return false;
  }

  bool AugmentFromExpected(int e, std::vector<bool>& seen) {
    for (std::size_t o = 0; o < observed_.size(); ++o) {
      if (seen[o] || !Fits(static_cast<int>(o), e)) continue;
      seen[o] = true;
      if (match_of_observed_[o] < 0 ||
          AugmentFromExpected(match_of_observed_[o], seen)) {
        match_of_observed_[o] = e;
        match_of_expected_[e] = static_cast<int>(o);
        return true;
      }
    }
    return false;
  }

  const std::vector<RejectReason>& observed_;
  const std::vector<ReasonSet>& expected_;
  const std::vector<bool>& optional_;
  std::vector<int> match_of_expected_;
  std::vector<int> match_of_observed_;
};

// When a frame the router delivered was all in its receiver's link.
absl::Time ArrivalOf(const FrameRecord& f) {
  return f.arrived == absl::InfinitePast() ? f.settled : f.arrived;
}

std::string What(const MessageRecord& m) {
  return absl::StrCat("message ", m.plan.id, " (", m.plan.src, "->", m.plan.dst,
                      ")");
}

}  // namespace

void Verdict::Add(std::string check, std::string detail) {
  ++violation_counts[check];
  if (violations.size() < kMaxViolationDetails) {
    violations.push_back({std::move(check), std::move(detail)});
  }
}

nlohmann::json Verdict::ToJson() const {
  nlohmann::json j;
  j["pass"] = pass();
  j["messages"] = messages;
  j["delivered"] = delivered;
  j["lost"] = messages - delivered;
  j["lost_by_cause"] = lost_by_cause;
  j["accepted_forgeries_or_replays"] = accepted_forgeries_or_replays;
  j["rejects_observed"] = rejects_observed;
  j["rejects_explained"] = rejects_explained;
  j["violation_counts"] = violation_counts;
  nlohmann::json list = nlohmann::json::array();
  for (const Violation& v : violations)
    list.push_back({{"check", v.check}, {"detail", v.detail}});
  j["violations"] = list;
  nlohmann::json faults_json = nlohmann::json::object();
  for (const auto& [kind, f] : faults) {
    faults_json[kind] = {
        {"frames", f.frames},
        {"messages_delivered", f.messages_delivered},
        {"messages_lost", f.messages_lost},
        {"refusals_expected", f.refusals_expected},
        {"refusals_observed", f.refusals_observed},
        {"refusals_unobserved", f.refusals_unobserved},
        {"copies_absorbed", f.copies_absorbed},
    };
  }
  j["faults"] = faults_json;
  nlohmann::json histogram = nlohmann::json::object();
  for (const auto& [tx, n] : transmissions_histogram)
    histogram[std::to_string(tx)] = n;
  j["delivery"] = {
      {"accepted", accepted},
      {"delivered", outcome_delivered},
      {"failed", outcome_failed},
      {"failed_by_cause", failed_by_cause},
      {"failed_but_delivered", failed_but_delivered},
      {"silent_losses", silent_losses},
      {"busy_retries", busy_retries},
      {"retransmissions", retransmissions},
      {"transmissions_histogram", histogram},
      {"duplicate_copies", duplicate_copies},
      {"rx_duplicates_reported", rx_duplicates_reported},
      {"data_frames", data_frames},
      {"ack_frames", ack_frames},
      {"ack_lag_ms_median", ack_lag_ms_median},
      {"ack_lag_ms_max", ack_lag_ms_max},
      {"ack_slack_ms", ack_slack_ms},
  };
  nlohmann::json messages_json = nlohmann::json::array();
  for (const MessageOutcome& m : per_message) {
    nlohmann::json e = {
        {"id", m.id},
        {"src", m.src},
        {"dst", m.dst},
        {"size", m.size},
        {"outcome", m.outcome},
        {"transmissions", m.transmissions},
        {"transmissions_on_wire", m.transmissions_on_wire},
        {"busy", m.busy},
        {"rx", m.rx},
        {"acks_on_wire", m.acks_on_wire},
        {"ok", m.ok},
    };
    if (!m.cause.empty()) e["cause"] = m.cause;
    if (!m.confirmed.empty()) e["confirmed"] = m.confirmed;
    messages_json.push_back(e);
  }
  j["per_message"] = messages_json;
  return j;
}

Verdict ComputeVerdict(const LedgerInput& in) {
  Verdict v;
  v.messages = static_cast<int>(in.messages.size());

  std::map<LifeKey, const LifeRecord*> lives;
  for (const LifeRecord& life : in.lives) lives[{life.node, life.life}] = &life;
  auto life_killed = [&](std::uint8_t node, int life) {
    auto it = lives.find({node, life});
    return it != lives.end() && it->second->killed;
  };
  // Whether the node's last STATS of that life admits bytes of its link
  // lost (a full receive ring, a UART overrun, an oversized frame).
  auto lost_link_bytes = [&](std::uint8_t node, int life) {
    auto it = lives.find({node, life});
    if (it == lives.end() || !it->second->stats) return false;
    const StatsLine& s = *it->second->stats;
    return s.Get("net_rx_dropped") + s.Get("net_rx_overruns") +
               s.Get("framing_overflow") >
           0;
  };
  // Whether `node` was down (killed, or booting again) at any time in
  // [from, to].
  auto down_during = [&](std::uint8_t node, absl::Time from, absl::Time to) {
    for (const LifeRecord& life : in.lives) {
      if (life.node != node || !life.killed) continue;
      absl::Time back = absl::InfiniteFuture();
      auto next = lives.find({node, life.life + 1});
      if (next != lives.end()) back = next->second->ready_at;
      if (life.killed_at <= to && back >= from) return true;
    }
    return false;
  };

  // Frames by their clear header. A repeat must be a retransmission.
  std::map<FrameKey, std::vector<const FrameRecord*>> data_frames;
  // Authentic ACKs by (acker, acknowledged-to, epoch, acknowledged sequence).
  std::map<FrameKey, std::vector<const FrameRecord*>> acks;
  std::set<FrameKey> seen_headers;
  for (const FrameRecord& f : in.frames) {
    if (f.fate == FrameFate::kUnparseable) {
      v.Add("node_emitted_invalid_frame",
            absl::StrCat("node ", f.port, " emitted frame #", f.index,
                         " that is not a well-formed frame from itself"));
      continue;
    }
    ++v.faults[std::string(FaultKindName(f.fault))].frames;
    const FrameKey key{f.header.source, f.header.destination, f.header.epoch,
                       f.header.sequence};
    // A retransmission repeats its frame byte for byte (the router checked);
    // anything else under a used header is a second plaintext under one
    // nonce.
    const bool first = seen_headers.insert(key).second;
    if (f.nonce_reused || (!first && f.transmission == 0)) {
      v.Add("sequence_reused",
            absl::StrFormat("node %d reused sequence %d to %d in epoch %d",
                            f.header.source, f.header.sequence,
                            f.header.destination, f.header.epoch));
    }
    if (f.type == FrameType::kData) {
      ++v.data_frames;
      data_frames[key].push_back(&f);
      continue;
    }
    ++v.ack_frames;
    if (!f.ack.opened) continue;
    if (!f.ack.authentic) {
      v.Add("ack_not_authentic",
            absl::StrFormat("node %d emitted ACK frame #%d (seq %d to %d, "
                            "epoch %d) that does not open under the pair key",
                            f.port, f.index, f.header.sequence,
                            f.header.destination, f.header.epoch));
      continue;
    }
    acks[{f.header.source, f.header.destination, f.header.epoch,
          f.ack.acked_sequence}]
        .push_back(&f);
  }
  // The DATA transmissions of an accepted message, in emission order.
  static const std::vector<const FrameRecord*> kNone;
  auto transmissions_of =
      [&](const MessageRecord& m) -> const std::vector<const FrameRecord*>& {
    if (m.state != SendState::kAccepted) return kNone;
    auto it =
        data_frames.find(FrameKey{m.plan.src, m.plan.dst, m.epoch, m.sequence});
    return it == data_frames.end() ? kNone : it->second;
  };
  auto acks_of =
      [&](const MessageRecord& m) -> const std::vector<const FrameRecord*>& {
    if (m.state != SendState::kAccepted) return kNone;
    auto it = acks.find(FrameKey{m.plan.dst, m.plan.src, m.epoch, m.sequence});
    return it == acks.end() ? kNone : it->second;
  };
  auto reached_intact = [](const std::vector<const FrameRecord*>& frames) {
    return std::any_of(frames.begin(), frames.end(), [](const FrameRecord* f) {
      return f->fate == FrameFate::kDelivered;
    });
  };

  v.per_message.resize(in.messages.size());
  for (std::size_t i = 0; i < in.messages.size(); ++i) {
    const MessageRecord& m = in.messages[i];
    MessageOutcome& out = v.per_message[i];
    out.id = m.plan.id;
    out.src = m.plan.src;
    out.dst = m.plan.dst;
    out.size = m.plan.size;
    out.busy = m.busy;
    out.transmissions_on_wire = static_cast<int>(transmissions_of(m).size());
    out.acks_on_wire = static_cast<int>(acks_of(m).size());
    v.busy_retries += m.busy;
    if (m.state == SendState::kAccepted) ++v.accepted;
  }
  // A violation about message i: also marked on its report line.
  auto add_for = [&](std::size_t i, std::string check, std::string detail) {
    v.per_message[i].ok = false;
    v.Add(std::move(check), std::move(detail));
  };

  // Deliveries.
  std::vector<int> deliveries(in.messages.size(), 0);
  for (const RxRecord& rx : in.rx) {
    const std::uint32_t id = rx.line.id;
    if (id < 1 || id > in.messages.size()) {
      ++v.accepted_forgeries_or_replays;
      v.Add("delivered_unknown_message",
            absl::StrCat("node ", rx.receiver, " delivered message id ", id,
                         " never sent"));
      continue;
    }
    const std::size_t i = id - 1;
    const MessageRecord& m = in.messages[i];
    const std::string what = What(m);
    ++v.per_message[i].rx;
    if (rx.line.src != m.plan.src || rx.receiver != m.plan.dst) {
      add_for(i, "misdelivered",
              absl::StrCat(what, " reported by node ", rx.receiver,
                           " from src ", rx.line.src));
    }
    const std::vector<std::uint8_t> payload =
        GeneratePayload(m.plan.seed, m.plan.size);
    if (rx.line.len != m.plan.size || rx.line.fnv != Fnv1a32(payload)) {
      add_for(i, "content_mismatch",
              absl::StrFormat("%s: got len=%d fnv=%08x, sent len=%d fnv=%08x",
                              what, rx.line.len, rx.line.fnv, m.plan.size,
                              Fnv1a32(payload)));
    }
    if (m.state == SendState::kNotIssued || m.state == SendState::kRefused) {
      ++v.accepted_forgeries_or_replays;
      add_for(i, "delivered_unsent",
              absl::StrCat(what,
                           " delivered but never accepted by its "
                           "sender"));
    }
    if (++deliveries[i] > 1) {
      ++v.accepted_forgeries_or_replays;
      add_for(i, "duplicate_delivery",
              absl::StrCat(what, " delivered ", deliveries[i], " times"));
    }
    const auto& sent = transmissions_of(m);
    if (!sent.empty() && !reached_intact(sent)) {
      ++v.accepted_forgeries_or_replays;
      add_for(
          i, "accepted_faulty_frame",
          absl::StrCat(what, " delivered although none of its ", sent.size(),
                       " transmissions arrived intact (first: ",
                       FrameFateName(sent.front()->fate), ")"));
    }
  }

  // Outcome lines, by message.
  std::vector<std::vector<const OutcomeRecord*>> outcomes(in.messages.size());
  for (const OutcomeRecord& o : in.outcomes) {
    if (o.line.id < 1 || o.line.id > in.messages.size()) {
      v.Add("outcome_for_unknown_message",
            absl::StrCat("node ", o.node, " reported an outcome for message ",
                         o.line.id, " never sent"));
      continue;
    }
    const std::size_t i = o.line.id - 1;
    const MessageRecord& m = in.messages[i];
    if (o.node != m.plan.src) {
      add_for(i, "outcome_from_wrong_node",
              absl::StrCat(What(m), ": outcome printed by node ", o.node));
      continue;
    }
    if (m.state != SendState::kAccepted) {
      add_for(i, "outcome_for_unaccepted",
              absl::StrCat(What(m),
                           ": outcome line but the sender never "
                           "accepted it"));
      continue;
    }
    if (o.life != m.sender_life) {
      add_for(i, "outcome_from_other_life",
              absl::StrCat(What(m), ": outcome printed in life ", o.life,
                           ", accepted in life ", m.sender_life));
      continue;
    }
    if (o.line.dst != m.plan.dst || o.line.seq != m.sequence) {
      add_for(i, "outcome_mismatch",
              absl::StrFormat("%s seq %d: outcome names dst=%d seq=%d", What(m),
                              m.sequence, o.line.dst, o.line.seq));
    }
    outcomes[i].push_back(&o);
  }

  // How far each node life had read its link, by its console: a line that
  // answers a frame (RX for a DATA frame, DELIVERED for an ACK) shows that
  // frame, and everything written into the link before it, was taken
  // (a node reads its link in order). Per life: (line time, end of the
  // answered frame in the carried bytes), time-sorted, then made a running
  // maximum. The first copy written into the life, whatever the router
  // made of it, stands for the answered one: its end is never later, so
  // this errs towards "not yet read" even where the router's guess of a
  // receiver's window was wrong (a copy it took for late was accepted).
  std::map<LifeKey, std::vector<std::pair<absl::Time, std::uint64_t>>> read;
  auto first_end = [](const std::vector<const FrameRecord*>& frames, int life) {
    std::uint64_t end = 0;
    for (const FrameRecord* f : frames) {
      if (f->receiver_life != life || f->stream_end == 0) continue;
      if (end == 0 || f->stream_end < end) end = f->stream_end;
    }
    return end;
  };
  for (const RxRecord& rx : in.rx) {
    if (rx.line.id < 1 || rx.line.id > in.messages.size()) continue;
    const std::uint64_t end =
        first_end(transmissions_of(in.messages[rx.line.id - 1]), rx.life);
    if (end != 0) read[{rx.receiver, rx.life}].emplace_back(rx.time, end);
  }
  for (const OutcomeRecord& o : in.outcomes) {
    if (!o.line.delivered || o.line.id < 1 || o.line.id > in.messages.size())
      continue;
    const std::uint64_t end =
        first_end(acks_of(in.messages[o.line.id - 1]), o.life);
    if (end != 0) read[{o.node, o.life}].emplace_back(o.time, end);
  }
  for (auto& [life, marks] : read) {
    std::sort(marks.begin(), marks.end());
    for (std::size_t k = 1; k < marks.size(); ++k)
      marks[k].second = std::max(marks[k].second, marks[k - 1].second);
  }
  // How far `node` in `life` had read its link before `t`.
  auto read_before = [&](std::uint8_t node, int life, absl::Time t) {
    auto it = read.find({node, life});
    if (it == read.end()) return std::uint64_t{0};
    auto after = std::lower_bound(it->second.begin(), it->second.end(),
                                  std::make_pair(t, std::uint64_t{0}));
    return after == it->second.begin() ? std::uint64_t{0}
                                       : std::prev(after)->second;
  };

  // How long the nodes of this run took from an ACK in their link to the
  // DELIVERED it caused. An ACK refutes a FAILED by time alone only if it
  // sat in the link well beyond that (and beyond kAckProcessingSlack).
  std::vector<double> ack_lags_ms;
  for (std::size_t i = 0; i < in.messages.size(); ++i) {
    if (outcomes[i].empty() || !outcomes[i].front()->line.delivered) continue;
    const OutcomeRecord& line = *outcomes[i].front();
    absl::Time first_ack = absl::InfiniteFuture();
    for (const FrameRecord* a : acks_of(in.messages[i])) {
      if (a->fate == FrameFate::kDelivered && a->receiver_life == line.life)
        first_ack = std::min(first_ack, ArrivalOf(*a));
    }
    if (first_ack <= line.time)
      ack_lags_ms.push_back(absl::ToDoubleMilliseconds(line.time - first_ack));
  }
  if (!ack_lags_ms.empty()) {
    std::sort(ack_lags_ms.begin(), ack_lags_ms.end());
    v.ack_lag_ms_median = ack_lags_ms[ack_lags_ms.size() / 2];
    v.ack_lag_ms_max = ack_lags_ms.back();
  }
  const absl::Duration ack_slack =
      std::max(kAckProcessingSlack, 2 * absl::Milliseconds(v.ack_lag_ms_max));
  v.ack_slack_ms = absl::ToDoubleMilliseconds(ack_slack);
  // Every message's end.
  for (std::size_t i = 0; i < in.messages.size(); ++i) {
    const MessageRecord& m = in.messages[i];
    MessageOutcome& out = v.per_message[i];
    const std::string what = What(m);
    const auto& sent = transmissions_of(m);
    const bool rx = deliveries[i] > 0;
    if (!sent.empty()) {
      std::set<std::string> kinds;
      for (const FrameRecord* f : sent)
        kinds.insert(std::string(FaultKindName(f->fault)));
      for (const std::string& kind : kinds) {
        FaultOutcome& fo = v.faults[kind];
        ++(rx ? fo.messages_delivered : fo.messages_lost);
      }
    }
    if (rx) ++v.delivered;

    std::string lost_cause;
    switch (m.state) {
      case SendState::kNotIssued:
        out.outcome = "not_sent";
        if (in.run_completed)
          add_for(i, "never_sent", absl::StrCat(what, " was never issued"));
        lost_cause = "run aborted before it was sent";
        break;
      case SendState::kIssued:
        out.outcome = "not_sent";
        if (in.run_completed)
          add_for(i, "send_unanswered",
                  absl::StrCat(what, ": no reply to SEND"));
        lost_cause = "run aborted before the sender replied";
        break;
      case SendState::kRefused:
        out.outcome = "refused";
        out.cause = m.refusal;
        lost_cause = absl::StrCat("refused by sender: ", m.refusal);
        break;
      case SendState::kSenderDied:
        // Whether it was accepted is unknown; the harness restarted the
        // sender, so it ends the message itself.
        out.outcome = "failed";
        out.cause =
            std::string(FailureCauseName(FailureCause::kSenderRestarted));
        out.confirmed = "the harness restarted the sender before it replied";
        ++v.outcome_failed;
        ++v.failed_by_cause[out.cause];
        lost_cause = "node restarted (sender, before it replied)";
        break;
      case SendState::kAccepted:
        break;
    }
    if (m.state != SendState::kAccepted) {
      if (!rx) ++v.lost_by_cause[lost_cause];
      continue;
    }

    // Accepted: it was on the wire, unless its sender died first.
    if (sent.empty() && !life_killed(m.plan.src, m.sender_life) &&
        in.run_completed) {
      add_for(i, "acked_but_not_emitted",
              absl::StrFormat("%s: OK SEND seq=%d epoch=%d but no such frame "
                              "on the wire",
                              what, m.sequence, m.epoch));
    }
    // An intact copy at a receiver that lived on must have been delivered.
    if (!rx && in.run_completed) {
      for (const FrameRecord* f : sent) {
        if (f->fate == FrameFate::kDelivered &&
            !life_killed(m.plan.dst, f->receiver_life)) {
          add_for(i, "delivered_frame_not_received",
                  absl::StrCat(what, ": intact frame #", f->index,
                               " delivered but the receiver never reported "
                               "it"));
          break;
        }
      }
    }

    const OutcomeRecord* line =
        outcomes[i].empty() ? nullptr : outcomes[i].front();
    if (outcomes[i].size() > 1) {
      add_for(i, "duplicate_outcome",
              absl::StrCat(what, ": ", outcomes[i].size(), " outcome lines"));
    }
    const auto& acks_for_m = acks_of(m);
    // An authentic ACK for it, delivered intact to the sender's life that
    // accepted it, and all written into the sender's link no later than
    // `by` (the router may deliver long before a congested link carries
    // it).
    auto ack_reached_sender_by = [&](absl::Time by) -> const FrameRecord* {
      for (const FrameRecord* a : acks_for_m) {
        if (a->fate == FrameFate::kDelivered &&
            a->receiver_life == m.sender_life && ArrivalOf(*a) <= by) {
          return a;
        }
      }
      return nullptr;
    };
    // An authentic ACK for it that its sender must have read before
    // `by`: it answered a frame written into its link after the ACK, or
    // the ACK had been in its link for `ack_slack`. Says which.
    auto ack_read_before = [&](absl::Time by) -> std::string {
      // Both ways assume the sender read every byte of its link; one that
      // says it dropped some may have lost the ACK itself.
      if (lost_link_bytes(m.plan.src, m.sender_life)) return "";
      const std::uint64_t read_to = read_before(m.plan.src, m.sender_life, by);
      for (const FrameRecord* a : acks_for_m) {
        if (a->fate != FrameFate::kDelivered ||
            a->receiver_life != m.sender_life)
          continue;
        if (a->stream_end != 0 && read_to >= a->stream_end) {
          return absl::StrFormat(
              "ACK frame #%d: the sender answered a frame behind it first",
              a->index);
        }
        if (ArrivalOf(*a) <= by - ack_slack) {
          return absl::StrFormat(
              "ACK frame #%d was in its link %.2f s before the FAILED line",
              a->index, absl::ToDoubleSeconds(by - ArrivalOf(*a)));
        }
      }
      return "";
    };

    if (line == nullptr && m.sender_restarted) {
      out.outcome = "failed";
      out.cause = std::string(FailureCauseName(FailureCause::kSenderRestarted));
      out.confirmed = "the harness restarted the sender while it was in flight";
      ++v.outcome_failed;
      ++v.failed_by_cause[out.cause];
      if (rx) {
        ++v.failed_but_delivered;
      } else {
        ++v.lost_by_cause["failed: sender_restarted"];
      }
      continue;
    }
    if (line == nullptr) {
      out.outcome = "silent_loss";
      if (in.run_completed) {
        ++v.silent_losses;
        add_for(i, "silent_loss",
                absl::StrFormat("%s seq %d: accepted, but its sender reported "
                                "no outcome%s",
                                what, m.sequence, rx ? " (it was RX'd)" : ""));
        if (!rx) ++v.lost_by_cause["silent loss (no outcome)"];
      } else if (!rx) {
        ++v.lost_by_cause["run aborted before its outcome"];
      }
      continue;
    }

    out.transmissions = static_cast<int>(line->line.tx);
    if (line->line.tx >= 1) {
      ++v.transmissions_histogram[static_cast<int>(line->line.tx)];
      v.retransmissions += static_cast<int>(line->line.tx) - 1;
    }
    // The transmissions the sender reports are the frames the router saw
    // from it (all of them reach the router before the run ends).
    if (line->line.tx != sent.size()) {
      add_for(
          i, "transmissions_mismatch",
          absl::StrCat(what, ": sender reports tx=", line->line.tx,
                       ", the router carried ", sent.size(), " transmissions"));
    }

    if (line->line.delivered) {
      out.outcome = "delivered";
      ++v.outcome_delivered;
      if (!rx) {
        add_for(i, "delivered_not_received",
                absl::StrCat(what,
                             ": DELIVERED, but the destination never "
                             "printed RX for it (an acknowledgement "
                             "lied)"));
        ++v.lost_by_cause["acknowledged but never received"];
      }
      if (!ack_reached_sender_by(line->time)) {
        add_for(i, "delivered_without_ack",
                absl::StrCat(what,
                             ": DELIVERED, but no authentic ACK of "
                             "sequence ",
                             m.sequence, " reached its sender"));
      }
      continue;
    }

    // FAILED: the cause must be one the evidence confirms.
    out.outcome = "failed";
    out.cause = line->line.cause;
    ++v.outcome_failed;
    ++v.failed_by_cause[out.cause];
    const std::string ack_in_time = ack_read_before(line->time);
    std::string unconfirmed;
    const std::optional<FailureCause> cause =
        ParseFailureCause(line->line.cause);
    if (!cause || *cause == FailureCause::kSenderRestarted) {
      unconfirmed = "a cause the node does not report";
    } else if (*cause == FailureCause::kUnreachable) {
      if (ack_in_time.empty()) {
        out.confirmed = reached_intact(sent)
                            ? "no authentic ACK reached the sender in time"
                            : "no intact copy reached the destination";
      } else if (!rx && down_during(m.plan.dst, m.issued_at, line->time)) {
        out.confirmed = "the destination was down during its lifetime";
      } else {
        unconfirmed = absl::StrCat(
            "an authentic ACK reached the sender in time (", ack_in_time, ")");
      }
    } else {
      const char* command = *cause == FailureCause::kRotated ? "ROTATE"
                            : *cause == FailureCause::kReset ? "RESET"
                                                             : "TAMPER";
      const bool issued = std::any_of(
          in.commands.begin(), in.commands.end(), [&](const CommandRecord& c) {
            return c.node == m.plan.src && c.life == m.sender_life &&
                   c.ends_with == *cause && c.issued >= m.issued_at &&
                   c.issued <= line->time;
          });
      if (!issued) {
        unconfirmed = absl::StrCat("the harness sent no ", command,
                                   " to the sender while it was in flight");
      } else if (rx && !ack_in_time.empty()) {
        unconfirmed =
            absl::StrCat("it was delivered and its ACK reached the sender (",
                         ack_in_time, ")");
      } else {
        out.confirmed = absl::StrCat("the harness sent ", command);
      }
    }
    if (unconfirmed.empty() && rx) {
      // Delivered, and the sender was never told: the acknowledgements
      // were lost (or came too late), which the evidence above confirmed.
      ++v.failed_but_delivered;
      out.confirmed += "; delivered: acknowledgements lost";
    }
    if (!unconfirmed.empty()) {
      add_for(i, "failure_unconfirmed",
              absl::StrCat(what, ": FAILED cause=", line->line.cause, ", but ",
                           unconfirmed));
    }
    if (!rx) {
      ++v.lost_by_cause[unconfirmed.empty()
                            ? absl::StrCat("failed: ", line->line.cause)
                            : absl::StrCat("failed, unconfirmed: ",
                                           line->line.cause)];
    }
  }

  // An authentic ACK says its sender delivered that DATA sequence: it must
  // have printed RX for a message with it (unless it died before printing).
  {
    std::set<FrameKey> received;  // (sender, receiver, epoch, sequence)
    for (std::size_t i = 0; i < in.messages.size(); ++i) {
      const MessageRecord& m = in.messages[i];
      if (deliveries[i] > 0 && m.state == SendState::kAccepted)
        received.insert({m.plan.src, m.plan.dst, m.epoch, m.sequence});
    }
    for (const auto& [key, frames] : acks) {
      const auto& [acker, to, epoch, sequence] = key;
      if (received.count({to, acker, epoch, sequence})) continue;
      const FrameRecord* f = frames.front();
      if (life_killed(acker, f->port_life) || !in.run_completed) continue;
      v.Add("ack_without_delivery",
            absl::StrFormat("node %d acknowledged sequence %d from node %d "
                            "(epoch %d) but never delivered such a message",
                            acker, sequence, to, epoch));
    }
  }

  // Refusals: per receiver life, REJECT lines against copies to refuse.
  std::map<LifeKey, std::vector<const InjectedCopy*>> expected;
  std::map<LifeKey, std::vector<const RejectRecord*>> observed;
  for (const InjectedCopy& c : in.injected) {
    expected[{c.receiver, c.receiver_life}].push_back(&c);
    // Copies that may be refused only because of acknowledged delivery
    // (retransmissions, ACKs) are not faults: they stay out of the table.
    if (c.kind == FaultKind::kNone) continue;
    FaultOutcome& fo = v.faults[std::string(FaultKindName(c.kind))];
    ++fo.refusals_expected;
    if (c.kind == FaultKind::kLeakForTest) ++fo.frames;
  }
  for (const RejectRecord& r : in.rejects)
    observed[{r.receiver, r.life}].push_back(&r);
  v.rejects_observed = static_cast<int>(in.rejects.size());
  // When each copy of a DATA frame its receiver had already was delivered.
  std::map<LifeKey, std::vector<absl::Time>> duplicate_copies;
  for (const InjectedCopy& c : in.injected) {
    if (!c.optional || c.type != FrameType::kData) continue;
    ++v.duplicate_copies;
    duplicate_copies[{c.receiver, c.receiver_life}].push_back(c.delivered);
  }
  std::set<LifeKey> keys;
  for (const auto& [k, unused] : expected) keys.insert(k);
  for (const auto& [k, unused] : observed) keys.insert(k);
  for (const LifeKey& key : keys) {
    std::vector<RejectReason> obs;
    for (const RejectRecord* r : observed[key]) obs.push_back(r->line.reason);
    std::vector<ReasonSet> exp;
    std::vector<bool> optional;
    for (const InjectedCopy* c : expected[key]) {
      exp.push_back(c->expected);
      optional.push_back(c->optional);
    }
    Matcher matcher(obs, exp, optional);
    const int matched = matcher.Run();
    v.rejects_explained += matched;
    std::vector<bool> obs_matched(obs.size(), false);
    for (std::size_t e = 0; e < exp.size(); ++e) {
      const InjectedCopy& c = *expected[key][e];
      FaultOutcome scratch;
      FaultOutcome& fo = c.kind == FaultKind::kNone
                             ? scratch
                             : v.faults[std::string(FaultKindName(c.kind))];
      const int o = matcher.match_of_expected()[e];
      if (o >= 0) {
        obs_matched[o] = true;
        ++fo.refusals_observed;
      } else if (c.optional) {
        ++fo.copies_absorbed;
      } else if (life_killed(key.first, key.second) || !in.run_completed) {
        ++fo.refusals_unobserved;
      } else {
        v.Add("fault_not_refused",
              absl::StrCat("node ", key.first, " (life ", key.second,
                           ") never refused a ", FaultKindName(c.kind), " ",
                           FrameTypeName(c.type), " copy of frame #",
                           c.frame_index, " (allowed: ", c.expected.ToString(),
                           ")"));
      }
    }
    for (std::size_t o = 0; o < obs.size(); ++o) {
      if (obs_matched[o]) continue;
      v.Add("unexplained_reject",
            absl::StrCat("node ", key.first, " (life ", key.second,
                         ") printed REJECT src=", observed[key][o]->line.src,
                         " reason=", RejectReasonName(obs[o]),
                         " that no injected fault explains"));
    }
  }

  // STATS counters against the lines printed before each reply.
  for (const LifeRecord& life : in.lives) {
    if (!life.stats) continue;
    const StatsLine& s = *life.stats;
    auto check = [&](const std::string& counter, std::uint64_t lines) {
      if (s.Get(counter) != lines) {
        v.Add("counter_mismatch",
              absl::StrCat("node ", life.node, " (life ", life.life, ") ",
                           counter, "=", s.Get(counter), " but ", lines,
                           " matching console lines"));
      }
    };
    // Counters of reliable delivery are checked where the node has them.
    auto check_if_present = [&](const std::string& counter,
                                std::uint64_t lines) {
      if (s.counters.count(counter)) check(counter, lines);
    };
    for (int r = 0; r < kRejectReasonCount; ++r) {
      const auto reason = static_cast<RejectReason>(r);
      const std::string counter =
          absl::StrCat("rej_", RejectReasonName(reason));
      if (reason == RejectReason::kAckUnknown) {
        // The firmware counts these as "ack_unknown".
        check_if_present("ack_unknown", life.rejects_at_stats[r]);
        check_if_present(counter, life.rejects_at_stats[r]);
      } else {
        check(counter, life.rejects_at_stats[r]);
      }
    }
    check("rx_ok", life.rx_at_stats);
    check("tx", life.tx_at_stats);
    check_if_present("delivered", life.delivered_at_stats);
    check_if_present("failed", life.failed_at_stats);
    check_if_present("busy", life.busy_at_stats);
    // A node cannot have found more duplicates than it was given: one more
    // would be a fresh message swallowed (and acknowledged). Which REJECT
    // replay line belongs to which copy is not unique, so the bound counts
    // every such copy, refused or not.
    if (s.counters.count("rx_duplicates")) {
      v.rx_duplicates_reported += static_cast<int>(s.Get("rx_duplicates"));
      std::uint64_t given = 0;
      for (absl::Time t : duplicate_copies[{life.node, life.life}])
        given += t <= life.stats_at ? 1 : 0;
      if (s.Get("rx_duplicates") > given) {
        v.Add("duplicates_overcounted",
              absl::StrCat("node ", life.node, " (life ", life.life,
                           ") rx_duplicates=", s.Get("rx_duplicates"),
                           " but only ", given,
                           " copies of frames it had were delivered to it"));
      }
    }
  }
  return v;
}

}  // namespace sim
