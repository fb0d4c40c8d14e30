#include "sim/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace sim {
namespace {

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::set<pid_t>& Registry() {
  static std::set<pid_t> pids;
  return pids;
}

void Register(pid_t pid) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  static bool hooked = false;
  if (!hooked) {
    hooked = true;
    std::atexit(KillAllChildren);
  }
  Registry().insert(pid);
}

void Unregister(pid_t pid) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Registry().erase(pid);
}

std::atomic<int> g_signal{0};
int g_signal_pipe[2] = {-1, -1};

void OnShutdownSignal(int sig) {
  g_signal.store(sig);
  const char byte = 1;
  // Best effort wake-up; the flag is what counts.
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &byte, 1);
}

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

ChildProcess::~ChildProcess() { Kill(); }

ChildProcess::ChildProcess(ChildProcess&& other) noexcept {
  *this = std::move(other);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = std::exchange(other.pid_, -1);
    stdin_fd_ = std::exchange(other.stdin_fd_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    exited_ = std::exchange(other.exited_, false);
    wait_status_ = other.wait_status_;
  }
  return *this;
}

absl::StatusOr<ChildProcess> ChildProcess::Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("empty argv");
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Errno("pipe");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Errno("pipe");
  }
  const int err_fd = open(
      options.stderr_path.empty() ? "/dev/null" : options.stderr_path.c_str(),
      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  std::vector<char*> argv;
  for (const std::string& arg : options.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return Errno("fork");
  if (pid == 0) {
    // Child: only async-signal-safe calls from here to exec.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the harness died before prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // Also set the group from the parent: whichever runs first wins the race,
  // and Kill() can signal the group immediately.
  setpgid(pid, pid);
  Register(pid);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (err_fd >= 0) close(err_fd);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  ChildProcess child;
  child.pid_ = pid;
  child.stdin_fd_ = in_pipe[1];
  child.stdout_fd_ = out_pipe[0];
  return child;
}

bool ChildProcess::Poll() {
  if (pid_ <= 0 || exited_) return exited_;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    wait_status_ = status;
    // The group may hold grandchildren (none for an exec'ing runner).
    kill(-pid_, SIGKILL);
    Unregister(pid_);
  }
  return exited_;
}

void ChildProcess::Kill() {
  KillKeepingOutput();
  CloseFds();
}

void ChildProcess::KillKeepingOutput() {
  if (pid_ > 0 && !exited_) {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exited_ = true;
    wait_status_ = status;
    Unregister(pid_);
  }
}

void ChildProcess::CloseFds() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdin_fd_ = stdout_fd_ = -1;
}

void KillAllChildren() {
  std::set<pid_t> pids;
  {
    std::lock_guard<std::mutex> lock(RegistryMutex());
    pids.swap(Registry());
  }
  for (pid_t pid : pids) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  for (pid_t pid : pids) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void InstallShutdownSignals() {
  if (g_signal_pipe[0] < 0) {
    if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) std::abort();
  }
  struct sigaction sa {};
  sa.sa_handler = OnShutdownSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  // A node whose socket closes must not kill the harness.
  signal(SIGPIPE, SIG_IGN);
}

int ShutdownSignalFd() { return g_signal_pipe[0]; }
int ShutdownSignal() { return g_signal.load(); }

std::vector<pid_t> FindProcessesWithMarker(const std::string& marker) {
  std::vector<pid_t> found;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return found;
  const pid_t self = getpid();
  while (dirent* entry = readdir(proc)) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid) || pid == self) continue;
    std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(marker) != std::string::npos) {
      // A zombie has an empty cmdline, so anything found here is alive.
      found.push_back(pid);
    }
  }
  closedir(proc);
  return found;
}

namespace {

long StatusKiB(pid_t pid, const std::string& field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) {
      long kib = 0;
      std::istringstream(line.substr(field.size())) >> kib;
      return kib;
    }
  }
  return 0;
}

}  // namespace

long ResidentKiB(pid_t pid) { return StatusKiB(pid, "VmRSS:"); }

long AnonymousResidentKiB(pid_t pid) { return StatusKiB(pid, "RssAnon:"); }

double CpuSeconds(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces and parentheses: fields are counted
  // from the last ')'. utime and stime are fields 14 and 15.
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) {
      stime = std::stoull(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace sim
