#include "sim/attach_server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace sim {

std::string AttachInfoPath(const std::string& out_dir) {
  return out_dir + "/fleet.attach";
}

absl::StatusOr<AttachInfo> ReadAttachInfo(const std::string& out_dir) {
  std::ifstream in(AttachInfoPath(out_dir));
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "no fleet is running with its output in ", out_dir, " (no ",
        AttachInfoPath(out_dir),
        "). Start one with `bazel run //sim:fleet`, or pass the --out=DIR "
        "it was started with"));
  }
  AttachInfo info;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> kv = absl::StrSplit(line, absl::MaxSplits(' ', 1));
    if (kv.size() != 2) continue;
    if (kv[0] == "socket") info.socket_path = kv[1];
    if (kv[0] == "nodes") (void)absl::SimpleAtoi(kv[1], &info.nodes);
    if (kv[0] == "pid") (void)absl::SimpleAtoi(kv[1], &info.pid);
  }
  if (info.socket_path.empty()) {
    return absl::DataLossError(
        absl::StrCat(AttachInfoPath(out_dir), " names no socket"));
  }
  return info;
}

absl::StatusOr<std::unique_ptr<AttachServer>> AttachServer::Listen(
    const std::string& socket_path, const std::string& out_dir, int nodes) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path too long: ", socket_path));
  }
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  unlink(socket_path.c_str());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 8) != 0) {
    const std::string error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return absl::InternalError(
        absl::StrCat("attach socket ", socket_path, ": ", error));
  }
  const std::string info_path = AttachInfoPath(out_dir);
  {
    // Written whole under another name, then renamed: an --attach never
    // reads half a file.
    const std::string temporary = info_path + ".tmp";
    std::ofstream info(temporary, std::ios::trunc);
    info << "socket " << socket_path << "\nnodes " << nodes << "\npid "
         << getpid() << "\n";
    info.close();
    if (!info || std::rename(temporary.c_str(), info_path.c_str()) != 0) {
      close(fd);
      unlink(socket_path.c_str());
      return absl::InternalError(absl::StrCat("cannot write ", info_path));
    }
  }
  return std::unique_ptr<AttachServer>(
      new AttachServer(fd, socket_path, info_path, nodes));
}

AttachServer::AttachServer(int listen_fd, std::string socket_path,
                           std::string info_path, int nodes)
    : listen_fd_(listen_fd),
      socket_path_(std::move(socket_path)),
      info_path_(std::move(info_path)),
      nodes_(nodes) {}

AttachServer::~AttachServer() { CloseAll("the fleet run is over"); }

void AttachServer::AppendPollFds(std::vector<pollfd>* fds) {
  polled_.clear();
  polled_listen_ = listen_fd_ >= 0;
  if (polled_listen_) fds->push_back({listen_fd_, POLLIN, 0});
  for (const auto& [id, c] : clients_) {
    fds->push_back(
        {c.fd, static_cast<short>(POLLIN | (c.out.empty() ? 0 : POLLOUT)), 0});
    polled_.push_back(id);
  }
}

void AttachServer::HandlePoll(std::span<const pollfd> fds) {
  std::size_t k = 0;
  if (polled_listen_ && k < fds.size()) {
    if (fds[k].revents & POLLIN) {
      for (;;) {
        const int fd =
            accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        clients_[next_id_++].fd = fd;
      }
    }
    ++k;
  }
  for (std::size_t i = 0; i < polled_.size() && k < fds.size(); ++i, ++k) {
    const int id = polled_[i];
    auto it = clients_.find(id);
    if (it == clients_.end() || fds[k].revents == 0) continue;
    Client& c = it->second;
    if (fds[k].revents & POLLOUT) Flush(c);
    if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buffer[4096];
      bool open = true;
      for (;;) {
        const ssize_t n = read(c.fd, buffer, sizeof(buffer));
        if (n > 0) {
          c.in.append(buffer, static_cast<std::size_t>(n));
          continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) open = false;
        break;
      }
      std::size_t start = 0;
      for (std::size_t nl; (nl = c.in.find('\n', start)) != std::string::npos;
           start = nl + 1) {
        std::string line = c.in.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        OnLine(c, std::move(line));
      }
      c.in.erase(0, start);
      if (c.in.size() > kMaxLine) {
        Send(c, "X", "line too long");
        c.closing = true;
      }
      if (!open) {
        Drop(id);
        continue;
      }
    }
    if (c.closing && c.out.empty()) Drop(id);
  }
}

void AttachServer::OnLine(Client& c, std::string line) {
  if (c.closing) return;
  if (c.node == 0) {
    absl::string_view rest = line;
    int node = 0;
    if (!absl::ConsumePrefix(&rest, "ATTACH ") ||
        !absl::SimpleAtoi(rest, &node)) {
      Send(c, "X", "expected ATTACH <node>");
      c.closing = true;
      return;
    }
    if (node < 1 || node > nodes_) {
      Send(c, "X",
           absl::StrCat("there is no node ", node,
                        " in the running fleet: its nodes are 1..", nodes_));
      c.closing = true;
      return;
    }
    c.node = node;
    Send(c, "A",
         absl::StrCat("attached to node ", node, " of ", nodes_, " (pid ",
                      getpid(), ")"));
    return;
  }
  if (absl::StripAsciiWhitespace(line).empty()) return;
  c.lines.push_back(std::move(line));
}

std::vector<AttachServer::Request> AttachServer::TakeRequests() {
  std::vector<Request> requests;
  for (auto& [id, c] : clients_) {
    if (c.node == 0 || c.busy || c.closing || c.lines.empty()) continue;
    c.busy = true;
    requests.push_back({id, c.node, std::move(c.lines.front())});
    c.lines.pop_front();
  }
  return requests;
}

void AttachServer::Reply(int client, absl::string_view line) {
  if (auto it = clients_.find(client); it != clients_.end())
    Send(it->second, "R", line);
}

void AttachServer::Done(int client) {
  if (auto it = clients_.find(client); it != clients_.end()) {
    it->second.busy = false;
    Send(it->second, "D", "");
  }
}

void AttachServer::Note(int client, absl::string_view text) {
  if (auto it = clients_.find(client); it != clients_.end())
    Send(it->second, "N", text);
}

void AttachServer::Mirror(int node, absl::string_view line) {
  for (auto& [id, c] : clients_) {
    if (c.node == node) Send(c, "E", line);
  }
}

void AttachServer::NoteNode(int node, absl::string_view text) {
  for (auto& [id, c] : clients_) {
    if (c.node == node) Send(c, "N", text);
  }
}

void AttachServer::Send(Client& c, absl::string_view tag,
                        absl::string_view text) {
  if (c.closing && tag != "X" && tag != "N") return;
  absl::StrAppend(&c.out, tag, text.empty() ? "" : " ", text, "\n");
  if (c.out.size() > kMaxUnsent) {
    // The user stopped reading: keep nothing more for them.
    c.out.clear();
    c.closing = true;
    return;
  }
  Flush(c);
}

void AttachServer::Flush(Client& c) {
  while (!c.out.empty()) {
    const ssize_t n =
        send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.out.erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      c.out.clear();  // gone: HandlePoll notices the hang-up
      c.closing = true;
    }
    return;
  }
}

void AttachServer::Drop(int id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  close(it->second.fd);
  clients_.erase(it);
}

void AttachServer::CloseAll(absl::string_view why) {
  for (auto& [id, c] : clients_) {
    if (c.node != 0) Send(c, "N", why);
    // Best effort: the user's end has a socket buffer for the last words.
    Flush(c);
    close(c.fd);
  }
  clients_.clear();
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
    unlink(socket_path_.c_str());
    // Only if it still names this fleet's socket: a later fleet with the
    // same output directory may have replaced it.
    std::ifstream in(info_path_);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(absl::StrCat("socket ", socket_path_, "\n")) !=
        std::string::npos) {
      std::remove(info_path_.c_str());
    }
  }
}

}  // namespace sim
