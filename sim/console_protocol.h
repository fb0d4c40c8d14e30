// Parsing of the lines a node prints on its console (PROTOCOL.md,
// "Console"). Pure functions: the console client feeds them lines, the
// tests feed them strings.
#ifndef SIM_CONSOLE_PROTOCOL_H_
#define SIM_CONSOLE_PROTOCOL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "absl/strings/string_view.h"
#include "sim/reject_reason.h"

namespace sim {

struct BootLine {
  std::string board;
  std::string core;
  std::string build;
  std::uint64_t static_ram = 0;
};
// "READY" or "READY k=v ...". A node with reliable delivery may say how
// long a message can stay unacknowledged before it fails
// (arq_lifetime_ms), which bounds how long the harness waits for outcomes.
struct ReadyLine {
  std::optional<std::uint64_t> arq_lifetime_ms;
  std::map<std::string, std::string> fields;
};
struct RxLine {
  std::uint8_t src = 0;
  std::uint32_t id = 0;
  std::uint32_t len = 0;
  std::uint32_t fnv = 0;
};
struct RejectLine {
  std::uint8_t src = 0;
  RejectReason reason = RejectReason::kMalformed;
};
// A STATS reply: every numeric counter by its name on the line ("rx_ok",
// ...); fields that are not a plain number (e.g. "pool_hwm=1/2/0/0") are
// kept as text, so an extended STATS line still parses.
struct StatsLine {
  std::map<std::string, std::uint64_t> counters;
  std::map<std::string, std::string> text;
  std::uint64_t Get(const std::string& name) const {
    auto it = counters.find(name);
    return it == counters.end() ? 0 : it->second;
  }
};
// "OK <COMMAND> k=v ...", "ERR <COMMAND> reason=<r> ..." or
// "BUSY <COMMAND> ...". BUSY means "not taken, offer it again later"
// (backpressure): unlike ERR it is not a refusal of the command.
struct ReplyLine {
  enum class Status : std::uint8_t { kOk, kErr, kBusy };
  Status status = Status::kErr;
  std::string command;
  std::map<std::string, std::string> fields;
  bool ok() const { return status == Status::kOk; }
};

// Why a sender gave a message up. The first four come from the node's
// FAILED line; kSenderRestarted is the harness's own: a node that restarts
// forgets its messages in flight and reports nothing for them.
enum class FailureCause : std::uint8_t {
  kUnreachable = 0,  // no acknowledgement after the last transmission
  kRotated,          // ROTATE changed the epoch while it was in flight
  kReset,            // RESET
  kLockedOut,        // TAMPER
  kSenderRestarted,
};
absl::string_view FailureCauseName(FailureCause cause);
std::optional<FailureCause> ParseFailureCause(absl::string_view name);

// The end of a message the node accepted (OK SEND), printed once, later:
// "DELIVERED id= dst= seq= tx=" or "FAILED id= dst= seq= tx= cause=".
// tx counts transmissions of the identical frame (1: no retransmission).
struct OutcomeLine {
  bool delivered = false;
  std::uint32_t id = 0;
  std::uint8_t dst = 0;
  std::uint32_t seq = 0;
  std::uint32_t tx = 0;
  std::string cause;  // FAILED only, as printed (may be one we do not know)
};
// Anything else (banners, diagnostics, lines we cannot parse).
struct OtherLine {
  std::string text;
};

using ConsoleLine = std::variant<BootLine, ReadyLine, RxLine, RejectLine,
                                 StatsLine, ReplyLine, OutcomeLine, OtherLine>;

// `line` without its line end.
ConsoleLine ParseConsoleLine(absl::string_view line);

}  // namespace sim

#endif  // SIM_CONSOLE_PROTOCOL_H_
