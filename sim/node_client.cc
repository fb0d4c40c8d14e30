#include "sim/node_client.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace sim {
namespace {

// Writes as much of `buffer` as the descriptor takes; drops what was written.
void WriteSome(int fd, std::string* buffer) {
  while (!buffer->empty()) {
    const ssize_t n = write(fd, buffer->data(), buffer->size());
    if (n > 0) {
      buffer->erase(0, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // EAGAIN (full) or an error the read side will notice
  }
}

}  // namespace

NodeClient::NodeClient(NodeConfig config) : config_(std::move(config)) {
  log_.open(config_.log_path, std::ios::app);
}

NodeClient::~NodeClient() { Stop(); }

absl::Status NodeClient::Start(absl::Time now) {
  Stop();
  console_in_.clear();
  console_out_.clear();
  net_out_.clear();
  network_written_ = 0;
  ethernet_.reset();
  if (UsesEthernetLink(config_.board)) ethernet_.emplace();
  pending_.clear();

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (config_.socket_path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path too long: ", config_.socket_path));
  }
  std::strncpy(addr.sun_path, config_.socket_path.c_str(),
               sizeof(addr.sun_path) - 1);
  unlink(config_.socket_path.c_str());
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0 ||
      bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(listen_fd_, 1) != 0) {
    return absl::InternalError(absl::StrCat(
        "network socket ", config_.socket_path, ": ", std::strerror(errno)));
  }

  log_ << "=== node " << int{config_.id} << " boot at " << absl::FormatTime(now)
       << "\n";
  log_.flush();
  SpawnOptions options;
  options.argv = {config_.runner, absl::StrCat("--board=", config_.board),
                  absl::StrCat("--network-socket=", config_.socket_path),
                  absl::StrCat("--storage=", config_.storage_path),
                  config_.elf};
  options.stderr_path = config_.log_path;
  absl::StatusOr<ChildProcess> child = ChildProcess::Spawn(options);
  if (!child.ok()) return child.status();
  process_ = std::move(*child);
  started_ = now;
  return absl::OkStatus();
}

void NodeClient::Stop() {
  process_.Kill();
  if (net_fd_ >= 0) close(net_fd_);
  if (listen_fd_ >= 0) close(listen_fd_);
  net_fd_ = listen_fd_ = -1;
  if (!config_.socket_path.empty()) unlink(config_.socket_path.c_str());
}

std::vector<std::string> NodeClient::KillAndDrainConsole() {
  process_.KillKeepingOutput();
  std::vector<std::string> lines;
  // Every writer of the pipe is dead, so this reads to end of file.
  if (process_.stdout_fd() >= 0) ReadConsole(&lines);
  return lines;
}

bool NodeClient::Alive() { return process_.running() && !process_.Poll(); }

bool NodeClient::ReadConsole(std::vector<std::string>* lines) {
  char buffer[4096];
  bool open = true;
  for (;;) {
    const ssize_t n = read(process_.stdout_fd(), buffer, sizeof(buffer));
    if (n > 0) {
      console_in_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) open = false;
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  std::size_t start = 0;
  for (std::size_t nl;
       (nl = console_in_.find('\n', start)) != std::string::npos;
       start = nl + 1) {
    std::string line = console_in_.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    log_ << "< " << line << "\n";
    lines->push_back(std::move(line));
  }
  console_in_.erase(0, start);
  // The transcript is what a person (or a test) watches while a run is
  // live: keep it current.
  log_.flush();
  return open;
}

bool NodeClient::ReadNetwork(std::string* bytes) {
  if (net_fd_ < 0) {
    const int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      // A small send buffer keeps the backlog of frames for a slow node
      // here, where it is counted, instead of in the kernel: so the harness
      // knows when a frame can have reached the node (the verdict asks
      // whether an ACK arrived before its sender gave up).
      const int send_buffer = kNetworkSendBuffer;
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
      net_fd_ = fd;
      close(listen_fd_);
      listen_fd_ = -1;
    }
    return true;
  }
  char buffer[16384];
  for (;;) {
    const ssize_t n = read(net_fd_, buffer, sizeof(buffer));
    if (n > 0) {
      if (ethernet_.has_value()) {
        // Stream frames give their bytes; credits may free the window.
        ethernet_->Receive(
            std::string_view(buffer, static_cast<std::size_t>(n)), bytes);
        MoveFramedOut();
      } else {
        bytes->append(buffer, static_cast<std::size_t>(n));
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK));
  }
}

void NodeClient::FlushConsole() {
  if (process_.stdin_fd() >= 0) WriteSome(process_.stdin_fd(), &console_out_);
}

void NodeClient::FlushNetwork() {
  if (net_fd_ < 0) return;
  const std::size_t before = net_out_.size();
  WriteSome(net_fd_, &net_out_);
  if (ethernet_.has_value()) {
    ethernet_->Wrote(before - net_out_.size());
    network_written_ = ethernet_->stream_bytes_written();
  } else {
    network_written_ += before - net_out_.size();
  }
}

void NodeClient::MoveFramedOut() {
  // net_out_ mirrors the stream's output: packets the window allows.
  if (ethernet_->Output().size() > net_out_.size()) {
    net_out_.append(ethernet_->Output(), net_out_.size(), std::string::npos);
  }
}

std::size_t NodeClient::network_backlog() const {
  return ethernet_.has_value() ? ethernet_->backlog() : net_out_.size();
}

void NodeClient::Command(const std::string& line, PendingCommand pending) {
  // Root keys travel only on the trusted console; keep them out of the
  // transcript anyway.
  const bool secret = line.rfind("LINK ", 0) == 0;
  log_ << "> "
       << (secret ? line.substr(0, line.rfind(' ')) + " <secret>" : line)
       << (pending.for_user() ? "   # from an attached console" : "") << "\n";
  console_out_ += line;
  console_out_ += "\n";
  pending_.push_back(pending);
  FlushConsole();
}

void NodeClient::QueueNetwork(std::span<const std::uint8_t> bytes) {
  if (ethernet_.has_value()) {
    ethernet_->Queue(bytes);
    MoveFramedOut();
  } else {
    net_out_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  FlushNetwork();
}

void NodeClient::ProbeIfWaiting(absl::Time now) {
  if (!ethernet_.has_value() || now - last_probe_ < kProbeInterval) return;
  if (!ethernet_->ProbeIfWaiting()) return;
  last_probe_ = now;
  MoveFramedOut();
  FlushNetwork();
}

void NodeClient::Log(const std::string& text) {
  log_ << "# " << text << "\n";
  log_.flush();
}

}  // namespace sim
