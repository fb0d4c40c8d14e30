#include "sim/accounting.h"

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

std::string LossCauseForFate(FrameFate fate) {
  switch (fate) {
    case FrameFate::kDropped:
      return "dropped by router";
    case FrameFate::kCorrupted:
      return "corrupted by router (bit flip)";
    case FrameFate::kTruncated:
      return "truncated by router";
    case FrameFate::kNoRoute:
      return "no route in topology";
    case FrameFate::kReceiverDown:
      return "node restarted (receiver down)";
    case FrameFate::kLate:
      return "delivered outside the replay window or epoch";
    default:
      return "";
  }
}

// Kuhn's augmenting paths: observed REJECT lines against expected refusals.
// Sizes per receiver life are small (tens), so this is plenty fast.
class Matcher {
 public:
  Matcher(const std::vector<RejectReason>& observed,
          const std::vector<ReasonSet>& expected)
      : observed_(observed),
        expected_(expected),
        match_of_expected_(expected.size(), -1) {}

  int Run() {
    int matched = 0;
    for (std::size_t o = 0; o < observed_.size(); ++o) {
      std::vector<bool> seen(expected_.size(), false);
      if (Augment(static_cast<int>(o), seen)) ++matched;
    }
    return matched;
  }
  const std::vector<int>& match_of_expected() const {
    return match_of_expected_;
  }

 private:
  bool Augment(int o, std::vector<bool>& seen) {
    for (std::size_t e = 0; e < expected_.size(); ++e) {
      if (seen[e] || !expected_[e].Contains(observed_[o])) continue;
      seen[e] = true;
      if (match_of_expected_[e] < 0 || Augment(match_of_expected_[e], seen)) {
        match_of_expected_[e] = o;
        return true;
      }
    }
    return false;
  }

  const std::vector<RejectReason>& observed_;
  const std::vector<ReasonSet>& expected_;
  std::vector<int> match_of_expected_;
};

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
    };
  }
  j["faults"] = faults_json;
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

  // Frames by their clear header; a repeat is nonce reuse by the sender.
  std::map<FrameKey, const FrameRecord*> frames;
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
    const bool first = frames.emplace(key, &f).second;
    if (f.nonce_reused || (!first && f.transmission == 0)) {
      v.Add("sequence_reused",
            absl::StrFormat("node %d reused sequence %d to %d in epoch %d",
                            f.header.source, f.header.sequence,
                            f.header.destination, f.header.epoch));
    }
  }
  auto frame_of = [&](const MessageRecord& m) -> const FrameRecord* {
    if (m.state != SendState::kAcked) return nullptr;
    auto it =
        frames.find(FrameKey{m.plan.src, m.plan.dst, m.epoch, m.sequence});
    return it == frames.end() ? nullptr : it->second;
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
    const MessageRecord& m = in.messages[id - 1];
    const std::string what =
        absl::StrCat("message ", id, " (", m.plan.src, "->", m.plan.dst, ")");
    if (rx.line.src != m.plan.src || rx.receiver != m.plan.dst) {
      v.Add("misdelivered",
            absl::StrCat(what, " reported by node ", rx.receiver, " from src ",
                         rx.line.src));
    }
    const std::vector<std::uint8_t> payload =
        GeneratePayload(m.plan.seed, m.plan.size);
    if (rx.line.len != m.plan.size || rx.line.fnv != Fnv1a32(payload)) {
      v.Add("content_mismatch",
            absl::StrFormat("%s: got len=%d fnv=%08x, sent len=%d fnv=%08x",
                            what, rx.line.len, rx.line.fnv, m.plan.size,
                            Fnv1a32(payload)));
    }
    if (m.state == SendState::kNotIssued || m.state == SendState::kRefused) {
      ++v.accepted_forgeries_or_replays;
      v.Add("delivered_unsent",
            absl::StrCat(what, " delivered but never sent"));
    }
    if (++deliveries[id - 1] > 1) {
      ++v.accepted_forgeries_or_replays;
      v.Add("duplicate_delivery",
            absl::StrCat(what, " delivered ", deliveries[id - 1], " times"));
    }
    if (const FrameRecord* f = frame_of(m);
        f != nullptr && f->fate != FrameFate::kDelivered) {
      ++v.accepted_forgeries_or_replays;
      v.Add("accepted_faulty_frame",
            absl::StrCat(what, " delivered although its frame was ",
                         FrameFateName(f->fate)));
    }
  }

  // Losses and their causes.
  for (std::size_t i = 0; i < in.messages.size(); ++i) {
    const MessageRecord& m = in.messages[i];
    const FrameRecord* f = frame_of(m);
    if (f != nullptr) {
      FaultOutcome& fo = v.faults[std::string(FaultKindName(f->fault))];
      ++(deliveries[i] > 0 ? fo.messages_delivered : fo.messages_lost);
    }
    if (deliveries[i] > 0) {
      ++v.delivered;
      continue;
    }
    const std::string what = absl::StrCat("message ", m.plan.id, " (",
                                          m.plan.src, "->", m.plan.dst, ")");
    std::string cause;
    switch (m.state) {
      case SendState::kNotIssued:
        if (in.run_completed)
          v.Add("never_sent", absl::StrCat(what, " was never issued"));
        cause = "run aborted before it was sent";
        break;
      case SendState::kRefused:
        cause = absl::StrCat("refused by sender: ", m.refusal);
        break;
      case SendState::kSenderDied:
        cause = "node restarted (sender, before it replied)";
        break;
      case SendState::kIssued:
        if (in.run_completed)
          v.Add("send_unanswered", absl::StrCat(what, ": no reply to SEND"));
        cause = "run aborted before the sender replied";
        break;
      case SendState::kAcked:
        if (f == nullptr) {
          if (life_killed(m.plan.src, m.sender_life)) {
            cause = "node restarted (sender, frame never left)";
          } else {
            if (in.run_completed) {
              v.Add("acked_but_not_emitted",
                    absl::StrFormat("%s: OK SEND seq=%d epoch=%d but no such "
                                    "frame on the wire",
                                    what, m.sequence, m.epoch));
            }
            cause = "frame never seen on the wire";
          }
        } else if (std::string c = LossCauseForFate(f->fate); !c.empty()) {
          cause = c;
        } else if (f->fate == FrameFate::kDelivered &&
                   life_killed(m.plan.dst, f->receiver_life)) {
          cause = "node restarted (receiver, before it processed the frame)";
        } else {
          if (in.run_completed) {
            v.Add("delivered_frame_not_received",
                  absl::StrCat(what, ": intact frame delivered (fate ",
                               FrameFateName(f->fate),
                               ") but the receiver never reported it"));
          }
          cause =
              absl::StrCat("unexplained (frame ", FrameFateName(f->fate), ")");
        }
        break;
    }
    ++v.lost_by_cause[cause];
  }

  // Refusals: per receiver life, REJECT lines against copies to refuse.
  std::map<LifeKey, std::vector<const InjectedCopy*>> expected;
  std::map<LifeKey, std::vector<const RejectRecord*>> observed;
  for (const InjectedCopy& c : in.injected) {
    expected[{c.receiver, c.receiver_life}].push_back(&c);
    FaultOutcome& fo = v.faults[std::string(FaultKindName(c.kind))];
    ++fo.refusals_expected;
    if (c.kind == FaultKind::kLeakForTest) ++fo.frames;
  }
  for (const RejectRecord& r : in.rejects)
    observed[{r.receiver, r.life}].push_back(&r);
  v.rejects_observed = static_cast<int>(in.rejects.size());
  std::set<LifeKey> keys;
  for (const auto& [k, unused] : expected) keys.insert(k);
  for (const auto& [k, unused] : observed) keys.insert(k);
  for (const LifeKey& key : keys) {
    std::vector<RejectReason> obs;
    for (const RejectRecord* r : observed[key]) obs.push_back(r->line.reason);
    std::vector<ReasonSet> exp;
    for (const InjectedCopy* c : expected[key]) exp.push_back(c->expected);
    Matcher matcher(obs, exp);
    const int matched = matcher.Run();
    v.rejects_explained += matched;
    std::vector<bool> obs_matched(obs.size(), false);
    for (std::size_t e = 0; e < exp.size(); ++e) {
      const InjectedCopy& c = *expected[key][e];
      FaultOutcome& fo = v.faults[std::string(FaultKindName(c.kind))];
      const int o = matcher.match_of_expected()[e];
      if (o >= 0) {
        obs_matched[o] = true;
        ++fo.refusals_observed;
      } else if (life_killed(key.first, key.second) || !in.run_completed) {
        ++fo.refusals_unobserved;
      } else {
        v.Add("fault_not_refused",
              absl::StrCat("node ", key.first, " (life ", key.second,
                           ") never refused a ", FaultKindName(c.kind),
                           " copy of frame #", c.frame_index,
                           " (allowed: ", c.expected.ToString(), ")"));
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
    for (int r = 0; r < kRejectReasonCount; ++r) {
      check(
          absl::StrCat("rej_", RejectReasonName(static_cast<RejectReason>(r))),
          life.rejects_at_stats[r]);
    }
    check("rx_ok", life.rx_at_stats);
    check("tx", life.tx_at_stats);
  }
  return v;
}

}  // namespace sim
