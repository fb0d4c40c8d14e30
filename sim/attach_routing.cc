#include "sim/attach_routing.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sim {

absl::StatusOr<std::string> AttachableCommand(absl::string_view typed) {
  std::vector<absl::string_view> words =
      absl::StrSplit(typed, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  if (words.empty()) return absl::InvalidArgumentError("empty line");
  const std::string command = absl::AsciiStrToUpper(words[0]);
  if ((command == "STATS" || command == "HELP") && words.size() == 1)
    return command;
  if (command == "STATS" || command == "HELP") {
    return absl::InvalidArgumentError(
        absl::StrCat(command, " takes no arguments"));
  }
  if (command == "ECHO") {
    return absl::InvalidArgumentError(
        "not forwarded: ECHO would change how the node answers the harness "
        "too; an attached console is line mode (your terminal edits and "
        "echoes)");
  }
  if (command == "SEND" || command == "PROVISION" || command == "LINK" ||
      command == "ROTATE" || command == "RESET" || command == "TAMPER") {
    return absl::InvalidArgumentError(absl::StrCat(
        "not forwarded: ", command,
        " changes the node's state, which the fleet's accounting would not "
        "know about. Attached, only STATS and HELP are forwarded (boot a "
        "node of your own to try the others: README.md, \"Talking to a "
        "node\")"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not forwarded: ", words[0],
                   " is not a node command an attached console may send "
                   "(STATS, HELP)"));
}

PendingCommand::Type UserCommandType(absl::string_view command) {
  return command == "HELP" ? PendingCommand::Type::kUserHelp
                           : PendingCommand::Type::kUserStats;
}

LineRoute RouteConsoleLine(const ConsoleLine& line,
                           const std::deque<PendingCommand>& pending) {
  const bool reply = std::holds_alternative<StatsLine>(line) ||
                     std::holds_alternative<ReplyLine>(line);
  if (pending.empty() || !pending.front().for_user())
    return reply ? LineRoute::kHarness : LineRoute::kUnsolicited;
  const PendingCommand& front = pending.front();
  if (front.type == PendingCommand::Type::kUserStats) {
    if (std::holds_alternative<StatsLine>(line)) return LineRoute::kUserEnd;
    if (const auto* r = std::get_if<ReplyLine>(&line);
        r != nullptr && r->command == "STATS") {
      return LineRoute::kUserEnd;  // ERR STATS ...
    }
  } else {  // kUserHelp
    if (const auto* other = std::get_if<OtherLine>(&line);
        other != nullptr && other->text.rfind("HELP ", 0) == 0) {
      return LineRoute::kUserPart;
    }
    if (const auto* r = std::get_if<ReplyLine>(&line);
        r != nullptr && r->command == "HELP") {
      return LineRoute::kUserEnd;
    }
  }
  // Not an answer to the user's command: with replies in order this is a
  // line nobody asked for (e.g. ERR STORAGE at start-up), which stays the
  // harness's as it would be without the user.
  return reply ? LineRoute::kHarness : LineRoute::kUnsolicited;
}

}  // namespace sim
