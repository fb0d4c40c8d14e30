// One fleet node as the harness sees it: a QEMU process started through
// platforms/qemu/run_firmware.sh, its console UART (QEMU's stdio, on pipes)
// and its network UART (a QEMU socket chardev connecting, as a client, to a
// Unix socket this class listens on). Non-blocking I/O only; the fleet's
// event loop polls the descriptors and calls the handlers.
#ifndef SIM_NODE_CLIENT_H_
#define SIM_NODE_CLIENT_H_

#include <cstdint>
#include <deque>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "sim/ethernet_stream.h"
#include "sim/process.h"

namespace sim {

struct NodeConfig {
  std::uint8_t id = 0;
  std::string board;
  std::string elf;
  std::string runner;  // run_firmware.sh
  std::string
      socket_path;       // network link socket (short: sun_path is 108 bytes)
  std::string log_path;  // console transcript and QEMU's stderr
  std::string
      storage_path;  // the node's non-volatile storage, kept across restarts
};

// A command awaiting its reply line; replies come back in order. The
// harness's own commands and those of a user attached to the node's console
// (sim/attach_server.h) share one queue, so each reply goes to whoever
// asked.
struct PendingCommand {
  enum class Type : std::uint8_t {
    kProvision,
    kSend,
    kRotate,
    kStats,
    kReset,
    kClock,
    kUserStats,  // an attached user's STATS: its reply is not the harness's
    kUserHelp,   // an attached user's HELP: HELP lines, then OK HELP
  };
  Type type;
  std::uint32_t message_id = 0;  // kSend
  absl::Time issued;
  int user = 0;  // kUserStats, kUserHelp: the attached client
  bool for_user() const {
    return type == Type::kUserStats || type == Type::kUserHelp;
  }
};

class NodeClient {
 public:
  // Bytes the kernel may hold between the harness and QEMU (Linux doubles
  // it for its own bookkeeping): about one large frame.
  static constexpr int kNetworkSendBuffer = 4096;
  static constexpr absl::Duration kProbeInterval = absl::Milliseconds(100);

  explicit NodeClient(NodeConfig config);
  ~NodeClient();
  NodeClient(const NodeClient&) = delete;
  NodeClient& operator=(const NodeClient&) = delete;

  // Listens on the network socket and boots QEMU.
  absl::Status Start(absl::Time now);
  // Kills QEMU (SIGKILL) and closes everything. Idempotent.
  void Stop();
  // Kills QEMU (SIGKILL) and returns the console lines it printed that were
  // not read yet: they are still in the pipe after QEMU is gone. Stop()
  // closes the rest.
  std::vector<std::string> KillAndDrainConsole();
  // True while QEMU runs; reaps it if it exited.
  bool Alive();

  const NodeConfig& config() const { return config_; }
  pid_t pid() const { return process_.pid(); }
  absl::Time started() const { return started_; }

  int console_fd() const { return process_.stdout_fd(); }
  // The accepted connection, or the listening socket until QEMU connects.
  int network_fd() const { return net_fd_ >= 0 ? net_fd_ : listen_fd_; }
  bool network_connected() const { return net_fd_ >= 0; }
  bool wants_console_write() const { return !console_out_.empty(); }
  bool wants_network_write() const { return net_fd_ >= 0 && !net_out_.empty(); }
  int console_write_fd() const { return process_.stdin_fd(); }

  // Reads what is available; complete lines (line ends stripped) are
  // appended to `lines`. False at end of file.
  bool ReadConsole(std::vector<std::string>* lines);
  // Accepts QEMU's connection or reads network bytes into `bytes`.
  // False when the connection closed.
  bool ReadNetwork(std::string* bytes);
  void FlushConsole();
  void FlushNetwork();

  void Command(const std::string& line, PendingCommand pending);
  void QueueNetwork(std::span<const std::uint8_t> bytes);
  // An Ethernet link whose node has not announced itself yet: probes it
  // again every kProbeInterval while bytes wait (a probe may be lost).
  void ProbeIfWaiting(absl::Time now);
  std::deque<PendingCommand>& pending() { return pending_; }
  // Stream bytes queued for the node and not yet written to QEMU (for an
  // Ethernet link, also those its credit window holds back).
  std::size_t network_backlog() const;
  // Network bytes written to QEMU this life (the socket buffers at most
  // kNetworkSendBuffer more of them than the node has taken).
  std::uint64_t network_bytes_written() const { return network_written_; }

  // Appends a note to the transcript.
  void Log(const std::string& text);

 private:
  NodeConfig config_;
  ChildProcess process_;
  int listen_fd_ = -1;
  int net_fd_ = -1;
  std::string console_in_;
  std::string console_out_;
  void MoveFramedOut();

  // Bytes for the socket. With an Ethernet link (UsesEthernetLink), the
  // packets of ethernet_'s Output() not written yet.
  std::string net_out_;
  std::uint64_t network_written_ = 0;
  std::optional<EthernetStream> ethernet_;  // this life's, for mps3_an536
  absl::Time last_probe_ = absl::InfinitePast();
  std::deque<PendingCommand> pending_;
  std::ofstream log_;
  absl::Time started_;
};

}  // namespace sim

#endif  // SIM_NODE_CLIENT_H_
