#include "sim/console_protocol.h"

#include <array>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace sim {
namespace {

constexpr std::array<absl::string_view, 5> kFailureCauseNames = {
    "unreachable", "rotated", "reset", "locked_out", "sender_restarted",
};

// Splits "k=v k=v" words into a map; false if a word has no '='.
bool ParseFields(const std::vector<absl::string_view>& words, std::size_t first,
                 std::map<std::string, std::string>* fields) {
  for (std::size_t i = first; i < words.size(); ++i) {
    std::vector<absl::string_view> kv =
        absl::StrSplit(words[i], absl::MaxSplits('=', 1));
    if (kv.size() != 2 || kv[0].empty()) return false;
    (*fields)[std::string(kv[0])] = std::string(kv[1]);
  }
  return true;
}

template <typename T>
bool GetNumber(const std::map<std::string, std::string>& fields,
               const std::string& key, T* out, bool hex = false) {
  auto it = fields.find(key);
  if (it == fields.end()) return false;
  std::uint64_t value = 0;
  if (hex) {
    if (it->second.size() != 8) return false;
    std::uint32_t v32 = 0;
    if (!absl::SimpleHexAtoi(it->second, &v32)) return false;
    value = v32;
  } else if (!absl::SimpleAtoi(it->second, &value)) {
    return false;
  }
  if (value > static_cast<std::uint64_t>(static_cast<T>(~T{0}))) return false;
  *out = static_cast<T>(value);
  return true;
}

}  // namespace

absl::string_view FailureCauseName(FailureCause cause) {
  return kFailureCauseNames[static_cast<int>(cause)];
}

std::optional<FailureCause> ParseFailureCause(absl::string_view name) {
  for (std::size_t i = 0; i < kFailureCauseNames.size(); ++i) {
    if (kFailureCauseNames[i] == name) return static_cast<FailureCause>(i);
  }
  return std::nullopt;
}

ConsoleLine ParseConsoleLine(absl::string_view line) {
  OtherLine other{std::string(line)};
  std::vector<absl::string_view> words =
      absl::StrSplit(line, ' ', absl::SkipEmpty());
  if (words.empty()) return other;
  std::map<std::string, std::string> fields;
  const absl::string_view head = words[0];

  if (head == "READY") {
    ReadyLine ready;
    if (!ParseFields(words, 1, &ready.fields)) return other;
    std::uint64_t lifetime = 0;
    if (GetNumber(ready.fields, "arq_lifetime_ms", &lifetime))
      ready.arq_lifetime_ms = lifetime;
    return ready;
  }
  if (head == "BOOT") {
    BootLine boot;
    if (!ParseFields(words, 1, &fields)) return other;
    boot.board = fields["board"];
    boot.core = fields["core"];
    boot.build = fields["build"];
    GetNumber(fields, "static_ram", &boot.static_ram);
    return boot;
  }
  if (head == "RX") {
    RxLine rx;
    if (!ParseFields(words, 1, &fields) || !GetNumber(fields, "src", &rx.src) ||
        !GetNumber(fields, "id", &rx.id) ||
        !GetNumber(fields, "len", &rx.len) ||
        !GetNumber(fields, "fnv", &rx.fnv, /*hex=*/true)) {
      return other;
    }
    return rx;
  }
  if (head == "REJECT") {
    RejectLine reject;
    if (!ParseFields(words, 1, &fields) ||
        !GetNumber(fields, "src", &reject.src))
      return other;
    std::optional<RejectReason> reason = ParseRejectReason(fields["reason"]);
    if (!reason) return other;
    reject.reason = *reason;
    return reject;
  }
  if (head == "STATS") {
    StatsLine stats;
    if (!ParseFields(words, 1, &fields)) return other;
    for (const auto& [key, value] : fields) {
      std::uint64_t n = 0;
      if (absl::SimpleAtoi(value, &n)) {
        stats.counters[key] = n;
      } else {
        stats.text[key] = value;
      }
    }
    return stats;
  }
  if (head == "DELIVERED" || head == "FAILED") {
    OutcomeLine outcome;
    outcome.delivered = head == "DELIVERED";
    if (!ParseFields(words, 1, &fields) ||
        !GetNumber(fields, "id", &outcome.id) ||
        !GetNumber(fields, "dst", &outcome.dst) ||
        !GetNumber(fields, "seq", &outcome.seq) ||
        !GetNumber(fields, "tx", &outcome.tx)) {
      return other;
    }
    if (!outcome.delivered) {
      outcome.cause = fields["cause"];
      if (outcome.cause.empty()) return other;
    }
    return outcome;
  }
  if ((head == "OK" || head == "ERR" || head == "BUSY") && words.size() >= 2) {
    ReplyLine reply;
    reply.status = head == "OK"    ? ReplyLine::Status::kOk
                   : head == "ERR" ? ReplyLine::Status::kErr
                                   : ReplyLine::Status::kBusy;
    reply.command = std::string(words[1]);
    if (!ParseFields(words, 2, &reply.fields)) return other;
    return reply;
  }
  return other;
}

}  // namespace sim
