// What a user attached to a running fleet's node console may send, and
// whose each console line is. Pure functions: the fleet calls them with
// the node's pending-command queue, the tests with made-up queues.
//
// The harness and an attached user share the node's console. The node
// answers commands in order, one reply each (HELP: its HELP lines, then
// OK HELP), so a reply belongs to whoever issued the command at the front
// of the node's queue. Only commands that change nothing on the node are
// forwarded: the harness's accounting stays exactly what it would have
// been without the user.
#ifndef SIM_ATTACH_ROUTING_H_
#define SIM_ATTACH_ROUTING_H_

#include <deque>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sim/console_protocol.h"
#include "sim/node_client.h"

namespace sim {

// The command to forward for a line the user typed ("STATS" or "HELP";
// the command word in any case, surrounding blanks ignored), or a refusal
// that says why, for the user to read.
absl::StatusOr<std::string> AttachableCommand(absl::string_view typed);

// The pending-command type for a command AttachableCommand returned.
PendingCommand::Type UserCommandType(absl::string_view command);

enum class LineRoute {
  kHarness,      // the reply to the harness's command at the front
  kUnsolicited,  // nobody's reply (RX, DELIVERED, READY, ...): the
                 // harness's, and shown to attached users
  kUserPart,     // part of the front user command's reply (a HELP line)
  kUserEnd,      // the last line of the front user command's reply
};

LineRoute RouteConsoleLine(const ConsoleLine& line,
                           const std::deque<PendingCommand>& pending);

}  // namespace sim

#endif  // SIM_ATTACH_ROUTING_H_
