// `fleet --attach=N`: an interactive console on node N of a running fleet
// (sim/attach_server.h has the other side). Line mode: the terminal edits
// and echoes, each line goes to the harness when Enter is pressed; works the
// same with stdin piped. Returns the exit status: 0 when the session ended
// (end of input, `quit`, or the fleet run ended) with every command
// answered, 1 when the fleet ended with one unanswered, 2 when there is no
// fleet or no such node.
#ifndef SIM_ATTACH_CLIENT_H_
#define SIM_ATTACH_CLIENT_H_

#include <string>

namespace sim {

struct AttachClientOptions {
  int node = 0;
  std::string out_dir;  // where the fleet writes its report
  bool events = true;   // show the node's unsolicited lines (RX, ...)
};

int RunAttach(const AttachClientOptions& options);

}  // namespace sim

#endif  // SIM_ATTACH_CLIENT_H_
