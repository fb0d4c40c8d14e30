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
  EXPECT_TRUE(reply.ok());
  EXPECT_EQ(reply.status, ReplyLine::Status::kOk);
  EXPECT_EQ(reply.command, "SEND");
  EXPECT_EQ(reply.fields.at("seq"), "12");
  ConsoleLine err = ParseConsoleLine("ERR ROTATE reason=not_increasing");
  ASSERT_TRUE(std::holds_alternative<ReplyLine>(err));
  EXPECT_FALSE(std::get<ReplyLine>(err).ok());
  EXPECT_EQ(std::get<ReplyLine>(err).status, ReplyLine::Status::kErr);
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

// Backpressure: BUSY is a reply of its own, neither OK nor ERR, so the
// harness can tell "offer it again" from "refused".
TEST(ConsoleProtocolTest, ParsesBusyReplies) {
  for (const char* reason : {"window_full", "no_buffer"}) {
    ConsoleLine busy =
        ParseConsoleLine(std::string("BUSY SEND id=17 reason=") + reason);
    ASSERT_TRUE(std::holds_alternative<ReplyLine>(busy)) << reason;
    const ReplyLine& reply = std::get<ReplyLine>(busy);
    EXPECT_EQ(reply.status, ReplyLine::Status::kBusy);
    EXPECT_FALSE(reply.ok());
    EXPECT_EQ(reply.command, "SEND");
    EXPECT_EQ(reply.fields.at("id"), "17");
    EXPECT_EQ(reply.fields.at("reason"), reason);
  }
}

TEST(ConsoleProtocolTest, ParsesOutcomeLines) {
  ConsoleLine delivered = ParseConsoleLine("DELIVERED id=40 dst=3 seq=12 tx=2");
  ASSERT_TRUE(std::holds_alternative<OutcomeLine>(delivered));
  const OutcomeLine& d = std::get<OutcomeLine>(delivered);
  EXPECT_TRUE(d.delivered);
  EXPECT_EQ(d.id, 40u);
  EXPECT_EQ(d.dst, 3);
  EXPECT_EQ(d.seq, 12u);
  EXPECT_EQ(d.tx, 2u);
  EXPECT_TRUE(d.cause.empty());

  ConsoleLine failed =
      ParseConsoleLine("FAILED id=41 dst=2 seq=9 tx=6 cause=unreachable");
  ASSERT_TRUE(std::holds_alternative<OutcomeLine>(failed));
  const OutcomeLine& f = std::get<OutcomeLine>(failed);
  EXPECT_FALSE(f.delivered);
  EXPECT_EQ(f.tx, 6u);
  EXPECT_EQ(f.cause, "unreachable");
  EXPECT_EQ(ParseFailureCause(f.cause), FailureCause::kUnreachable);
  // A cause the harness does not know still parses: the verdict refuses
  // it as unconfirmed instead of losing the line.
  ConsoleLine odd = ParseConsoleLine("FAILED id=1 dst=2 seq=1 tx=1 cause=why");
  ASSERT_TRUE(std::holds_alternative<OutcomeLine>(odd));
  EXPECT_EQ(ParseFailureCause(std::get<OutcomeLine>(odd).cause), std::nullopt);

  for (FailureCause c : {FailureCause::kUnreachable, FailureCause::kRotated,
                         FailureCause::kReset, FailureCause::kLockedOut,
                         FailureCause::kSenderRestarted}) {
    EXPECT_EQ(ParseFailureCause(FailureCauseName(c)), c);
  }
}

TEST(ConsoleProtocolTest, ParsesReadyWithTheDeliveryLifetime) {
  ConsoleLine plain = ParseConsoleLine("READY");
  ASSERT_TRUE(std::holds_alternative<ReadyLine>(plain));
  EXPECT_FALSE(std::get<ReadyLine>(plain).arq_lifetime_ms.has_value());
  ConsoleLine arq = ParseConsoleLine("READY arq_lifetime_ms=6200");
  ASSERT_TRUE(std::holds_alternative<ReadyLine>(arq));
  EXPECT_EQ(std::get<ReadyLine>(arq).arq_lifetime_ms, 6200u);
}

TEST(ConsoleProtocolTest, ParsesAckRefusalsAndDeliveryStats) {
  ConsoleLine reject = ParseConsoleLine("REJECT src=4 reason=ack_unknown");
  ASSERT_TRUE(std::holds_alternative<RejectLine>(reject));
  EXPECT_EQ(std::get<RejectLine>(reject).reason, RejectReason::kAckUnknown);
  EXPECT_EQ(RejectReasonName(RejectReason::kAckUnknown), "ack_unknown");
  EXPECT_TRUE(ReasonSet::Any().Contains(RejectReason::kAckUnknown));

  ConsoleLine stats = ParseConsoleLine(
      "STATS node=1 tx=3 rx_ok=2 acks_tx=2 acks_rx=3 ack_rejected=1 "
      "retransmissions=4 delivered=3 failed=0 busy=7 rx_duplicates=2");
  ASSERT_TRUE(std::holds_alternative<StatsLine>(stats));
  const StatsLine& s = std::get<StatsLine>(stats);
  EXPECT_EQ(s.Get("retransmissions"), 4u);
  EXPECT_EQ(s.Get("busy"), 7u);
  EXPECT_EQ(s.Get("rx_duplicates"), 2u);
  EXPECT_EQ(s.Get("acks_rx"), 3u);
}

TEST(ConsoleProtocolTest, MalformedLinesAreOther) {
  for (const char* text :
       {"", "secure_node: board=x", "RX src=3 id=x len=1 fnv=00000000",
        "RX src=300 id=1 len=1 fnv=00000000", "RX src=3 id=1 len=1 fnv=123",
        "REJECT src=1 reason=bored", "STATS tx", "READY now",
        "DELIVERED id=1 dst=2 seq=3", "DELIVERED id=1 dst=999 seq=3 tx=1",
        "FAILED id=1 dst=2 seq=3 tx=1", "BUSY"}) {
    EXPECT_TRUE(std::holds_alternative<OtherLine>(ParseConsoleLine(text)))
        << text;
  }
}

}  // namespace
}  // namespace sim
