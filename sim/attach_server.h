// The running fleet's side of `fleet --attach=N`: a Unix socket on which
// users attach to one node's console each. Non-blocking, polled by the
// fleet's event loop like the nodes' descriptors: a slow or vanished user
// never holds the harness up.
//
// The socket lives in the run's short private directory (sun_path is 108
// bytes); `<out dir>/fleet.attach` says where, for `--attach` to find it.
//
// On the socket, lines. The client sends "ATTACH <node>", then the lines
// the user types. The server answers with lines tagged by their first word:
//   A <text>   attached
//   X <text>   attach refused (then the server hangs up)
//   R <line>   a console line answering the user's command
//   D          the user's command is done (answered, refused or lost)
//   E <line>   a console line nobody asked for (RX, DELIVERED, READY, ...)
//   N <text>   a note from the harness (a refusal, a restart)
// Each command line the client sends gets exactly one D; the server
// forwards a client's next line only after its previous one is done.
#ifndef SIM_ATTACH_SERVER_H_
#define SIM_ATTACH_SERVER_H_

#include <poll.h>

#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sim {

// What `<out dir>/fleet.attach` holds.
struct AttachInfo {
  std::string socket_path;
  int nodes = 0;
  long pid = 0;
};
std::string AttachInfoPath(const std::string& out_dir);
absl::StatusOr<AttachInfo> ReadAttachInfo(const std::string& out_dir);

class AttachServer {
 public:
  // Bytes a user may have unread before the server hangs up on them.
  static constexpr std::size_t kMaxUnsent = 1 << 20;
  static constexpr std::size_t kMaxLine = 1024;

  // Listens on `socket_path` and writes the info file into `out_dir`.
  static absl::StatusOr<std::unique_ptr<AttachServer>> Listen(
      const std::string& socket_path, const std::string& out_dir, int nodes);
  ~AttachServer();
  AttachServer(const AttachServer&) = delete;
  AttachServer& operator=(const AttachServer&) = delete;

  // Appends the descriptors to poll; HandlePoll takes the same entries
  // back after poll().
  void AppendPollFds(std::vector<pollfd>* fds);
  void HandlePoll(std::span<const pollfd> fds);

  struct Request {
    int client = 0;
    int node = 0;
    std::string line;
  };
  // The next line of every attached client with no command outstanding;
  // each is outstanding until Done().
  std::vector<Request> TakeRequests();

  void Reply(int client, absl::string_view line);
  void Done(int client);
  void Note(int client, absl::string_view text);
  // To every client attached to `node`.
  void Mirror(int node, absl::string_view line);
  void NoteNode(int node, absl::string_view text);
  // Says `why` to everyone, hangs up and stops listening.
  void CloseAll(absl::string_view why);

 private:
  struct Client {
    int fd = -1;
    int node = 0;  // 0 until ATTACH
    std::string in;
    std::string out;
    std::deque<std::string> lines;
    bool busy = false;
    bool closing = false;  // hang up once `out` is written
  };
  AttachServer(int listen_fd, std::string socket_path, std::string info_path,
               int nodes);
  void Send(Client& c, absl::string_view tag, absl::string_view text);
  void Flush(Client& c);
  void OnLine(Client& c, std::string line);
  void Drop(int id);

  int listen_fd_;
  std::string socket_path_;
  std::string info_path_;
  int nodes_;
  int next_id_ = 1;
  std::map<int, Client> clients_;
  std::vector<int> polled_;  // client ids in AppendPollFds order
  bool polled_listen_ = false;
};

}  // namespace sim

#endif  // SIM_ATTACH_SERVER_H_
