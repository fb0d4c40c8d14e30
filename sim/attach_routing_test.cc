// Whose is each console line when the harness and an attached user share a
// node's console; which typed lines are forwarded at all.
#include "sim/attach_routing.h"

#include <deque>
#include <ostream>

#include "gtest/gtest.h"
#include "sim/console_protocol.h"
#include "sim/node_client.h"

namespace sim {

// For readable failures.
void PrintTo(LineRoute route, std::ostream* os) {
  constexpr const char* kNames[] = {"kHarness", "kUnsolicited", "kUserPart",
                                    "kUserEnd"};
  *os << kNames[static_cast<int>(route)];
}

namespace {

using Type = PendingCommand::Type;

PendingCommand Harness(Type type) { return {type, 1, absl::Now()}; }
PendingCommand User(Type type, int client) {
  PendingCommand c{type, 0, absl::Now()};
  c.user = client;
  return c;
}

LineRoute Route(const char* line, const std::deque<PendingCommand>& pending) {
  return RouteConsoleLine(ParseConsoleLine(line), pending);
}

constexpr char kStats[] = "STATS node=2 epoch=1 tx=3 rx_ok=4 pool_hwm=1/2/0/0";

TEST(AttachRoutingTest, ReadOnlyCommandsAreForwarded) {
  EXPECT_EQ(AttachableCommand("STATS").value(), "STATS");
  EXPECT_EQ(AttachableCommand("  stats \r").value(), "STATS");
  EXPECT_EQ(AttachableCommand("HELP").value(), "HELP");
  EXPECT_EQ(UserCommandType("STATS"), Type::kUserStats);
  EXPECT_EQ(UserCommandType("HELP"), Type::kUserHelp);
}

TEST(AttachRoutingTest, StateChangingCommandsAreRefusedWithTheReason) {
  for (const char* line : {"SEND 1 77 16 5", "PROVISION 2", "LINK 1 00",
                           "ROTATE 9", "RESET", "TAMPER", "send 1 77 16 5"}) {
    absl::StatusOr<std::string> c = AttachableCommand(line);
    ASSERT_FALSE(c.ok()) << line;
    EXPECT_NE(c.status().message().find("changes the node's state"),
              std::string::npos)
        << c.status().message();
  }
  // ECHO on would put the user's echo into the harness's replies.
  EXPECT_FALSE(AttachableCommand("ECHO on").ok());
  EXPECT_FALSE(AttachableCommand("STATS now").ok());
  EXPECT_FALSE(AttachableCommand("FLY").ok());
  EXPECT_FALSE(AttachableCommand("   ").ok());
}

TEST(AttachRoutingTest, StatsReplyGoesToWhoeverAskedFirst) {
  // The harness's SEND was issued before the user's STATS, its own STATS
  // after: the replies come in that order.
  std::deque<PendingCommand> q = {
      Harness(Type::kSend), User(Type::kUserStats, 7), Harness(Type::kStats)};
  EXPECT_EQ(Route("OK SEND id=1 seq=1 epoch=1", q), LineRoute::kHarness);
  q.pop_front();
  EXPECT_EQ(Route(kStats, q), LineRoute::kUserEnd);
  q.pop_front();
  EXPECT_EQ(Route(kStats, q), LineRoute::kHarness);
}

TEST(AttachRoutingTest, UserStatsIsNotTakenByTheHarnessStats) {
  // Harness STATS first, user's second: the first STATS line is the
  // harness's even though a user waits for one too.
  std::deque<PendingCommand> q = {Harness(Type::kStats),
                                  User(Type::kUserStats, 3)};
  EXPECT_EQ(Route(kStats, q), LineRoute::kHarness);
}

TEST(AttachRoutingTest, UnsolicitedLinesAreNobodysReply) {
  std::deque<PendingCommand> q = {User(Type::kUserStats, 1)};
  for (const char* line :
       {"RX src=1 id=4 len=16 fnv=0123abcd", "DELIVERED id=3 dst=1 seq=2 tx=1",
        "FAILED id=3 dst=1 seq=2 tx=6 cause=unreachable",
        "REJECT src=1 reason=forged", "READY arq_lifetime_ms=6200",
        "BOOT board=mps3_an536 core=r52 build=x static_ram=1"}) {
    EXPECT_EQ(Route(line, q), LineRoute::kUnsolicited) << line;
    EXPECT_EQ(Route(line, {}), LineRoute::kUnsolicited) << line;
  }
}

TEST(AttachRoutingTest, HelpLinesUpToOkHelpAreTheUsers) {
  std::deque<PendingCommand> q = {User(Type::kUserHelp, 2),
                                  Harness(Type::kSend)};
  EXPECT_EQ(
      Route("HELP STATS                           counters on one line", q),
      LineRoute::kUserPart);
  EXPECT_EQ(Route("RX src=1 id=4 len=16 fnv=0123abcd", q),
            LineRoute::kUnsolicited);
  EXPECT_EQ(Route("OK HELP", q), LineRoute::kUserEnd);
  q.pop_front();
  EXPECT_EQ(Route("OK SEND id=1 seq=1 epoch=1", q), LineRoute::kHarness);
  // Without a user's HELP outstanding a HELP line is nobody's.
  EXPECT_EQ(Route("HELP STATS   counters on one line", q),
            LineRoute::kUnsolicited);
}

TEST(AttachRoutingTest, AReplyThatIsNotTheUsersStaysTheHarnesss) {
  // An unsolicited ERR (storage trouble at start-up) while the user's
  // STATS waits: not the user's answer.
  std::deque<PendingCommand> q = {User(Type::kUserStats, 1)};
  EXPECT_EQ(Route("ERR STORAGE reason=corrupt", q), LineRoute::kHarness);
  EXPECT_EQ(Route("ERR STATS reason=bad_arguments", q), LineRoute::kUserEnd);
}

}  // namespace
}  // namespace sim
