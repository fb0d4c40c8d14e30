// Child process supervision: every QEMU the harness starts dies with it.
//
// Three layers, because each covers exits the others cannot:
//  * each child runs in its own process group and gets PR_SET_PDEATHSIG
//    (SIGKILL), so even a harness killed with SIGKILL takes its QEMUs along;
//  * every live child is registered; KillAll() (called on every exit path,
//    and from an atexit hook) kills and reaps them;
//  * SIGINT/SIGTERM/SIGHUP only set a flag and wake the event loop through a
//    self-pipe, so shutdown runs in normal code, not in a signal handler.
#ifndef SIM_PROCESS_H_
#define SIM_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sim {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program path
  std::string stderr_path;        // the child's stderr goes here (appended)
};

// A running child with pipes to its stdin and from its stdout.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  static absl::StatusOr<ChildProcess> Spawn(const SpawnOptions& options);

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  bool running() const { return pid_ > 0 && !exited_; }

  // Non-blocking: true once the child has exited (reaps it).
  bool Poll();
  // SIGKILL to the child's process group, then reap. Idempotent.
  void Kill();
  // As Kill(), but keeps the pipes open: what the child wrote before it
  // died can still be read (to end of file) from stdout_fd().
  void KillKeepingOutput();
  // Exit status as waitpid reported it, valid once exited.
  int wait_status() const { return wait_status_; }

 private:
  void CloseFds();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool exited_ = false;
  int wait_status_ = 0;
};

// Kills every child spawned through ChildProcess that is still running.
void KillAllChildren();

// Signal handling for the harness. Install once, early in main.
void InstallShutdownSignals();
// A descriptor that becomes readable when a shutdown signal arrived.
int ShutdownSignalFd();
// The shutdown signal received, or 0.
int ShutdownSignal();

// Processes on this machine whose command line contains `marker` (the
// harness's private temporary directory appears in every QEMU's arguments),
// excluding the caller. Used to prove nothing was left behind.
std::vector<pid_t> FindProcessesWithMarker(const std::string& marker);

// Resident set size of `pid` in KiB (0 if unknown).
long ResidentKiB(pid_t pid);
// The part of it that is the process's own (VmRSS less the file-backed
// pages, which every QEMU of a fleet shares: the binary and its libraries).
long AnonymousResidentKiB(pid_t pid);
// User plus system CPU time the process has used so far; 0 if it is gone.
double CpuSeconds(pid_t pid);

}  // namespace sim

#endif  // SIM_PROCESS_H_
