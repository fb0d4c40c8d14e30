// Running the fleet binary from a test (fleet_test, fleet_attach_test,
// fleet_repeat_test, fleet_sweep_test): where a run's report goes, and how
// the binary is started from the test's runfiles and waited for.
#ifndef SIM_FLEET_UNDER_TEST_H_
#define SIM_FLEET_UNDER_TEST_H_

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace sim {

// A fresh directory `name` among the test's undeclared outputs (kept by
// Bazel next to test.xml), else in its temporary directory.
inline std::string TestOutputDir(const std::string& name) {
  const char* base = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  if (base == nullptr) base = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(base ? base : "/tmp", "/", name);
  std::filesystem::create_directories(dir);
  return dir;
}

// Starts sim/fleet with `args`; its standard input, output and error go to
// the descriptors given (>= 0), else stay the test's.
inline pid_t StartFleet(std::vector<std::string> args, int stdin_fd = -1,
                        int stdout_fd = -1, int stderr_fd = -1) {
  args.insert(args.begin(), "sim/fleet");
  const pid_t pid = fork();
  if (pid == 0) {
    if (stdin_fd >= 0) dup2(stdin_fd, STDIN_FILENO);
    if (stdout_fd >= 0) dup2(stdout_fd, STDOUT_FILENO);
    if (stderr_fd >= 0) dup2(stderr_fd, STDERR_FILENO);
    std::vector<char*> raw;
    for (std::string& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  return pid;
}

// Its exit status, or 128 + the signal that ended it.
inline int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline int RunFleet(std::vector<std::string> args) {
  return WaitExit(StartFleet(std::move(args)));
}

}  // namespace sim

#endif  // SIM_FLEET_UNDER_TEST_H_
