// The fleet binary refuses every bad argument with exit status 2 and a
// message naming the field, before it boots anything.
#include "sim/command_line.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace sim {
namespace {

struct Outcome {
  int status = -1;
  std::string stderr_text;
};

// Runs sim/fleet with `args` (from the runfiles), capturing stderr.
Outcome RunFleet(const std::vector<std::string>& args) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    std::vector<std::string> argv = {"sim/fleet"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  Outcome outcome;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0;) {
    outcome.stderr_text.append(buffer, static_cast<std::size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  outcome.status =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

std::string WriteScenario(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(dir ? dir : "/tmp", "/", name);
  std::ofstream(path) << text;
  return path;
}

struct Case {
  std::vector<std::string> args;
  std::string message;  // must appear in stderr
};

TEST(CommandLineTest, BadArgumentsExitTwoNamingTheField) {
  const std::vector<Case> cases = {
      {{"--nodez=3"}, "unknown flag --nodez"},
      {{"extra"}, "unexpected argument 'extra'"},
      {{"--nodes"}, "--nodes needs a value"},
      {{"--nodes=4294967299"},
       "--nodes: '4294967299' is not a whole number in 2..254"},
      {{"--nodes=1"}, "--nodes: '1' is not a whole number in 2..254"},
      {{"--nodes=3x"}, "--nodes: '3x'"},
      {{"--seed=-5"}, "--seed: '-5'"},
      {{"--messages=1e3"}, "--messages: '1e3'"},
      {{"--rate=nan"}, "--rate: 'nan' is not a number"},
      {{"--rate=inf"}, "--rate: 'inf' is not a number"},
      {{"--rate=0"}, "--rate: '0' is not a number"},
      {{"--faults=drop=nan"}, "faults: drop: 'nan' is not a probability"},
      {{"--faults=drop=1.5"}, "faults: drop: '1.5' is not a probability"},
      {{"--faults=delay_max_ms=-1"}, "faults: delay_max_ms: '-1'"},
      {{"--restarts=2@nan"}, "bad restart '2@nan'"},
      {{"--sizes=1:x"}, "sizes: bad range '1:x'"},
      {{"--progress=maybe"}, "--progress:"},
      {{"--scenario=" + WriteScenario("wrap.json", R"({"nodes": 4294967299})")},
       "nodes: 4294967299 is not a whole number in"},
      {{"--scenario=" + WriteScenario("float.json", R"({"nodes": 3.5})")},
       "nodes: 3.5 is not a whole number"},
      {{"--scenario=" +
        WriteScenario("rate.json",
                      R"({"traffic": {"rate_per_node": "fast"}})")},
       "traffic.rate_per_node: \"fast\" is not a finite number"},
      {{"--scenario=" +
        WriteScenario("at.json", R"({"restarts": [{"node": 2, "at": 7}]})")},
       "restart point 7 outside 0..1"},
      {{"--scenario=" + WriteScenario("key.json", R"({"nodez": 3})")},
       "unknown key 'nodez'"},
      {{"--scenario=/nonexistent/s.json"},
       "cannot read scenario file /nonexistent/s.json"},
  };
  for (const Case& c : cases) {
    const Outcome outcome = RunFleet(c.args);
    EXPECT_EQ(outcome.status, 2) << c.args[0] << "\n" << outcome.stderr_text;
    EXPECT_NE(outcome.stderr_text.find(c.message), std::string::npos)
        << c.args[0] << ": expected '" << c.message << "' in:\n"
        << outcome.stderr_text;
  }
}

TEST(CommandLineTest, NumbersAreParsedExactly) {
  EXPECT_EQ(*ParseWholeNumber("--n", "254", 2, 254), 254);
  EXPECT_FALSE(ParseWholeNumber("--n", "255", 2, 254).ok());
  EXPECT_FALSE(ParseWholeNumber("--n", "", 2, 254).ok());
  EXPECT_EQ(*ParseFiniteNumber("--r", "2.5", 0.001, 10), 2.5);
  EXPECT_FALSE(ParseFiniteNumber("--r", "-inf", -100, 100).ok());
}

TEST(CommandLineTest, RelativePathsAreTheUsers) {
  setenv("BUILD_WORKING_DIRECTORY", "/home/user/project/sub", 1);
  EXPECT_EQ(UserPath("out"), "/home/user/project/sub/out");
  EXPECT_EQ(UserPath("../s.json"), "/home/user/project/s.json");
  EXPECT_EQ(UserPath("/abs/x"), "/abs/x");
  unsetenv("BUILD_WORKING_DIRECTORY");
}

}  // namespace
}  // namespace sim
