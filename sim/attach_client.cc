#include "sim/attach_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sim/attach_server.h"

namespace sim {
namespace {

bool WriteAll(int fd, absl::string_view text) {
  while (!text.empty()) {
    const ssize_t n = send(fd, text.data(), text.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads what is there; complete lines into `lines`. False at end of file.
bool ReadLines(int fd, std::string* buffer, std::vector<std::string>* lines) {
  char chunk[4096];
  ssize_t n;
  do {
    n = read(fd, chunk, sizeof(chunk));
  } while (n < 0 && errno == EINTR);
  if (n > 0) buffer->append(chunk, static_cast<std::size_t>(n));
  std::size_t start = 0;
  for (std::size_t nl; (nl = buffer->find('\n', start)) != std::string::npos;
       start = nl + 1) {
    std::string line = buffer->substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines->push_back(std::move(line));
  }
  buffer->erase(0, start);
  return n != 0;
}

class Session {
 public:
  Session(const AttachClientOptions& options, int fd)
      : options_(options),
        fd_(fd),
        tty_(isatty(STDIN_FILENO) != 0),
        prompt_(absl::StrCat("node ", options.node, "> ")) {}

  int Run() {
    if (!WriteAll(fd_, absl::StrCat("ATTACH ", options_.node, "\n"))) {
      std::fprintf(stderr, "fleet: the fleet hung up\n");
      return 2;
    }
    bool stdin_open = true;
    std::string stdin_buffer;
    for (;;) {
      if (attached_ && !stdin_open && outstanding_ == 0) {
        ClearPrompt();
        return 0;
      }
      pollfd fds[2] = {
          {fd_, POLLIN, 0},
          {attached_ && stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return 1;
      }
      if (fds[0].revents != 0) {
        std::vector<std::string> lines;
        const bool open = ReadLines(fd_, &socket_buffer_, &lines);
        for (const std::string& line : lines) {
          if (std::optional<int> status = OnServerLine(line)) return *status;
        }
        if (!open) {
          if (!attached_) {
            std::fprintf(stderr, "fleet: the fleet hung up\n");
            return 2;
          }
          ClearPrompt();
          Show(outstanding_ == 0
                   ? "fleet: the fleet closed the connection"
                   : "fleet: the fleet closed the connection before it "
                     "answered");
          ClearPrompt();
          return outstanding_ == 0 ? 0 : 1;
        }
      }
      if (fds[1].revents != 0) {
        std::vector<std::string> lines;
        stdin_open = ReadLines(STDIN_FILENO, &stdin_buffer, &lines);
        if (!stdin_open && !stdin_buffer.empty()) {
          lines.push_back(stdin_buffer);  // a last line without its newline
          stdin_buffer.clear();
        }
        if (!stdin_open && prompt_shown_) {
          // Ctrl-D at the prompt: the terminal moves to no new line.
          std::fputc('\n', stdout);
          std::fflush(stdout);
        }
        prompt_shown_ = false;  // the user's Enter (or Ctrl-D) ended it
        for (const std::string& typed : lines) {
          const std::string line(absl::StripAsciiWhitespace(typed));
          if (line.empty()) continue;
          const std::string lower = absl::AsciiStrToLower(line);
          if (lower == "quit" || lower == "exit") {
            stdin_open = false;
            break;
          }
          if (!WriteAll(fd_, line + "\n")) break;  // the read side reports
          ++outstanding_;
        }
        if (stdin_open && outstanding_ == 0) ShowPrompt();
      }
    }
  }

 private:
  // The exit status when the session ends here.
  std::optional<int> OnServerLine(const std::string& line) {
    const absl::string_view tag = absl::string_view(line).substr(0, 1);
    const absl::string_view text =
        line.size() > 2 ? absl::string_view(line).substr(2) : "";
    if (tag == "X") {
      std::fprintf(stderr, "fleet: %s\n", std::string(text).c_str());
      return 2;
    }
    if (tag == "A") {
      attached_ = true;
      Show(absl::StrCat(
          "fleet: ", text,
          ". Read-only: STATS and HELP are forwarded, other commands are "
          "refused",
          options_.events ? "; lines marked * are the node's own" : "",
          ". End with Ctrl-D or quit; the fleet goes on."));
      ShowPrompt();
    } else if (tag == "R") {
      Show(text);
    } else if (tag == "E") {
      if (options_.events) Show(absl::StrCat("* ", text));
    } else if (tag == "N") {
      Show(absl::StrCat("fleet: ", text));
    } else if (tag == "D") {
      if (outstanding_ > 0) --outstanding_;
      if (outstanding_ == 0) ShowPrompt();
    }
    return std::nullopt;
  }

  // A line for the user; on a terminal the prompt is redrawn below it.
  void Show(absl::string_view text) {
    const bool redraw = prompt_shown_;
    if (redraw) std::fputs("\r\033[K", stdout);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    prompt_shown_ = false;
    if (redraw) ShowPrompt();
    std::fflush(stdout);
  }

  // Before the session ends: the shell's prompt gets a line of its own.
  void ClearPrompt() {
    if (!prompt_shown_) return;
    std::fputs("\r\033[K", stdout);
    std::fflush(stdout);
    prompt_shown_ = false;
  }

  void ShowPrompt() {
    if (!tty_ || prompt_shown_) return;
    std::fputs(prompt_.c_str(), stdout);
    std::fflush(stdout);
    prompt_shown_ = true;
  }

  const AttachClientOptions& options_;
  const int fd_;
  const bool tty_;
  const std::string prompt_;
  std::string socket_buffer_;
  bool attached_ = false;
  bool prompt_shown_ = false;
  int outstanding_ = 0;
};

}  // namespace

int RunAttach(const AttachClientOptions& options) {
  absl::StatusOr<AttachInfo> info = ReadAttachInfo(options.out_dir);
  if (!info.ok()) {
    std::fprintf(stderr, "fleet: %s\n",
                 std::string(info.status().message()).c_str());
    return 2;
  }
  if (info->nodes > 0 && (options.node < 1 || options.node > info->nodes)) {
    std::fprintf(stderr,
                 "fleet: there is no node %d in the running fleet: its nodes "
                 "are 1..%d\n",
                 options.node, info->nodes);
    return 2;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, info->socket_path.c_str(),
               sizeof(addr.sun_path) - 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::fprintf(stderr,
                 "fleet: no fleet is running with its output in %s: %s is "
                 "left from one that ended (pid %ld; its socket %s: %s)\n",
                 options.out_dir.c_str(),
                 AttachInfoPath(options.out_dir).c_str(), info->pid,
                 info->socket_path.c_str(), std::strerror(errno));
    if (fd >= 0) close(fd);
    return 2;
  }
  Session session(options, fd);
  const int status = session.Run();
  close(fd);
  return status;
}

}  // namespace sim
