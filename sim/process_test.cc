#include "sim/process.h"

#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace sim {
namespace {

// A marker only this test's sleepers carry in their command line.
std::string Marker(int n) { return absl::StrCat("9", n, "7.", getpid()); }

ChildProcess SpawnSleeper(const std::string& marker) {
  absl::StatusOr<ChildProcess> child =
      ChildProcess::Spawn({{"/bin/sleep", marker}, ""});
  EXPECT_TRUE(child.ok()) << child.status();
  return std::move(*child);
}

// The child execs asynchronously: until then it carries our command line.
bool FoundWithin(const std::string& marker, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (!FindProcessesWithMarker(marker).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

bool GoneWithin(const std::string& marker, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (FindProcessesWithMarker(marker).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(ProcessTest, KillReapsTheChild) {
  ChildProcess child = SpawnSleeper(Marker(1));
  ASSERT_TRUE(child.running());
  ASSERT_TRUE(FoundWithin(Marker(1), absl::Seconds(5)));
  EXPECT_EQ(FindProcessesWithMarker(Marker(1)).size(), 1u);
  EXPECT_FALSE(child.Poll());
  EXPECT_GT(ResidentKiB(child.pid()), 0);
  child.Kill();
  EXPECT_FALSE(child.running());
  EXPECT_TRUE(FindProcessesWithMarker(Marker(1)).empty());
  EXPECT_TRUE(WIFSIGNALED(child.wait_status()));
}

// What a node printed just before the harness killed it (an RX line whose
// ACK already left) must still be readable after the kill.
TEST(ProcessTest, OutputWrittenBeforeTheKillSurvivesIt) {
  absl::StatusOr<ChildProcess> child = ChildProcess::Spawn(
      {{"/bin/sh", "-c", "echo last words; exec sleep 60"}, ""});
  ASSERT_TRUE(child.ok()) << child.status();
  // Wait until the line is in the pipe, without reading it.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  int queued = 0;
  while (queued == 0 && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(ioctl(child->stdout_fd(), FIONREAD, &queued), 0);
  }
  ASSERT_GT(queued, 0);
  child->KillKeepingOutput();
  EXPECT_FALSE(child->running());
  ASSERT_GE(child->stdout_fd(), 0);
  std::string output;
  char buffer[64];
  for (ssize_t n; (n = read(child->stdout_fd(), buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    ASSERT_GT(n, 0) << "the pipe must end once its writer is dead";
    output.append(buffer, static_cast<std::size_t>(n));
  }
  EXPECT_EQ(output, "last words\n");
  child->Kill();  // closes the pipes
  EXPECT_LT(child->stdout_fd(), 0);
}

TEST(ProcessTest, DestructorKills) {
  { ChildProcess child = SpawnSleeper(Marker(2)); }
  EXPECT_TRUE(FindProcessesWithMarker(Marker(2)).empty());
}

TEST(ProcessTest, KillAllChildrenKillsEveryRegisteredChild) {
  ChildProcess a = SpawnSleeper(Marker(3));
  ChildProcess b = SpawnSleeper(Marker(4));
  ASSERT_TRUE(FoundWithin(Marker(3), absl::Seconds(5)));
  ASSERT_TRUE(FoundWithin(Marker(4), absl::Seconds(5)));
  KillAllChildren();
  EXPECT_TRUE(FindProcessesWithMarker(Marker(3)).empty());
  EXPECT_TRUE(FindProcessesWithMarker(Marker(4)).empty());
}

TEST(ProcessTest, ChildRunsInItsOwnProcessGroup) {
  ChildProcess child = SpawnSleeper(Marker(5));
  EXPECT_EQ(getpgid(child.pid()), child.pid());
  // A terminal's Ctrl-C goes to the foreground group; the child is not in
  // it, so the harness decides how it dies.
  EXPECT_NE(getpgid(child.pid()), getpgrp());
}

// A harness that dies without any cleanup (SIGKILL, crash) still takes its
// children along: PR_SET_PDEATHSIG.
TEST(ProcessTest, ChildDiesWhenTheParentIsKilled) {
  const std::string marker = Marker(6);
  const pid_t harness = fork();
  ASSERT_GE(harness, 0);
  if (harness == 0) {
    absl::StatusOr<ChildProcess> child =
        ChildProcess::Spawn({{"/bin/sleep", marker}, ""});
    if (!child.ok()) _exit(1);
    pause();  // until killed
    _exit(0);
  }
  ASSERT_TRUE(FoundWithin(marker, absl::Seconds(5)));
  kill(harness, SIGKILL);
  int status = 0;
  waitpid(harness, &status, 0);
  EXPECT_TRUE(GoneWithin(marker, absl::Seconds(5)));
}

TEST(ProcessTest, ShutdownSignalIsLatchedAndWakesThePipe) {
  InstallShutdownSignals();
  EXPECT_EQ(ShutdownSignal(), 0);
  ASSERT_GE(ShutdownSignalFd(), 0);
  raise(SIGTERM);  // handled: the test keeps running
  EXPECT_EQ(ShutdownSignal(), SIGTERM);
  char byte = 0;
  EXPECT_EQ(read(ShutdownSignalFd(), &byte, 1), 1);
}

}  // namespace
}  // namespace sim
