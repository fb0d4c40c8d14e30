// Parsing of the lines a node prints on its console (PROTOCOL.md,
// "Console"). Pure functions: the console client feeds them lines, the
// tests feed them strings.
#ifndef SIM_CONSOLE_PROTOCOL_H_
#define SIM_CONSOLE_PROTOCOL_H_

#include <cstdint>
#include <map>
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
struct ReadyLine {};
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
// "OK <COMMAND> k=v ..." or "ERR <COMMAND> reason=<r> ...".
struct ReplyLine {
  bool ok = false;
  std::string command;
  std::map<std::string, std::string> fields;
};
// Anything else (banners, diagnostics, lines we cannot parse).
struct OtherLine {
  std::string text;
};

using ConsoleLine = std::variant<BootLine, ReadyLine, RxLine, RejectLine,
                                 StatsLine, ReplyLine, OtherLine>;

// `line` without its line end.
ConsoleLine ParseConsoleLine(absl::string_view line);

}  // namespace sim

#endif  // SIM_CONSOLE_PROTOCOL_H_
