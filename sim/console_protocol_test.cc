#include "sim/console_protocol.h"

#include "gtest/gtest.h"

namespace sim {
namespace {

TEST(ConsoleProtocolTest, ParsesUnsolicitedLines) {
  ConsoleLine boot = ParseConsoleLine(
      "BOOT board=mps3_an536 core=cortex-r52 build=abc static_ram=40960");
  ASSERT_TRUE(std::holds_alternative<BootLine>(boot));
  EXPECT_EQ(std::get<BootLine>(boot).board, "mps3_an536");
  EXPECT_EQ(std::get<BootLine>(boot).static_ram, 40960u);
  EXPECT_TRUE(std::holds_alternative<ReadyLine>(ParseConsoleLine("READY")));

  ConsoleLine rx = ParseConsoleLine("RX src=3 id=77 len=4096 fnv=0badf00d");
  ASSERT_TRUE(std::holds_alternative<RxLine>(rx));
  EXPECT_EQ(std::get<RxLine>(rx).src, 3);
  EXPECT_EQ(std::get<RxLine>(rx).id, 77u);
  EXPECT_EQ(std::get<RxLine>(rx).len, 4096u);
  EXPECT_EQ(std::get<RxLine>(rx).fnv, 0x0badf00du);

  ConsoleLine reject = ParseConsoleLine("REJECT src=0 reason=malformed");
  ASSERT_TRUE(std::holds_alternative<RejectLine>(reject));
  EXPECT_EQ(std::get<RejectLine>(reject).reason, RejectReason::kMalformed);
  EXPECT_EQ(
      std::get<RejectLine>(ParseConsoleLine("REJECT src=2 reason=unknown_peer"))
          .reason,
      RejectReason::kUnknownPeer);
}

TEST(ConsoleProtocolTest, ParsesReplies) {
  ConsoleLine ok = ParseConsoleLine("OK SEND id=5 seq=12 epoch=3");
  ASSERT_TRUE(std::holds_alternative<ReplyLine>(ok));
  const ReplyLine& reply = std::get<ReplyLine>(ok);
  EXPECT_TRUE(reply.ok);
  EXPECT_EQ(reply.command, "SEND");
  EXPECT_EQ(reply.fields.at("seq"), "12");
  ConsoleLine err = ParseConsoleLine("ERR ROTATE reason=not_increasing");
  ASSERT_TRUE(std::holds_alternative<ReplyLine>(err));
  EXPECT_FALSE(std::get<ReplyLine>(err).ok);
  EXPECT_EQ(std::get<ReplyLine>(err).fields.at("reason"), "not_increasing");

  ConsoleLine stats = ParseConsoleLine(
      "STATS node=2 epoch=1 tx=10 rx_ok=9 rej_malformed=1 rej_misrouted=0 "
      "rej_unknown_peer=0 "
      "rej_epoch=0 rej_replay=2 rej_forged=3 framing_overflow=0 violations=3 "
      "pool_hwm=4");
  ASSERT_TRUE(std::holds_alternative<StatsLine>(stats));
  EXPECT_EQ(std::get<StatsLine>(stats).Get("rej_forged"), 3u);
  EXPECT_EQ(std::get<StatsLine>(stats).Get("rx_ok"), 9u);
  EXPECT_EQ(std::get<StatsLine>(stats).Get("absent"), 0u);
  ConsoleLine extended =
      ParseConsoleLine("STATS node=1 rx_ok=2 pool_hwm=1/2/0/0");
  ASSERT_TRUE(std::holds_alternative<StatsLine>(extended));
  EXPECT_EQ(std::get<StatsLine>(extended).Get("rx_ok"), 2u);
  EXPECT_EQ(std::get<StatsLine>(extended).text.at("pool_hwm"), "1/2/0/0");
}

TEST(ConsoleProtocolTest, MalformedLinesAreOther) {
  for (const char* text :
       {"", "secure_node: board=x", "RX src=3 id=x len=1 fnv=00000000",
        "RX src=300 id=1 len=1 fnv=00000000", "RX src=3 id=1 len=1 fnv=123",
        "REJECT src=1 reason=bored", "STATS tx", "READY now"}) {
    EXPECT_TRUE(std::holds_alternative<OtherLine>(ParseConsoleLine(text)))
        << text;
  }
}

}  // namespace
}  // namespace sim
