#include "sim/router.h"

#include <map>
#include <vector>

#include "gtest/gtest.h"
#include "sim/fault_injector.h"
#include "sim/frame_header.h"
#include "wire/cobs.h"
#include "wire/header.h"

namespace sim {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1000);

// A well-formed frame (header, `n` bytes of "ciphertext", tag). The router
// never decrypts, so the bytes need not be real ciphertext.
std::vector<std::uint8_t> Frame(std::uint8_t src, std::uint8_t dst,
                                std::uint32_t seq, std::uint32_t epoch = 1,
                                std::size_t n = 24) {
  wire::LinkHeader h{src, dst, epoch, seq, static_cast<std::uint16_t>(n)};
  const auto header = wire::SerializeHeader(h);
  std::vector<std::uint8_t> f(header.begin(), header.end());
  for (std::size_t i = 0; i < n + wire::kTagBytes; ++i)
    f.push_back(static_cast<std::uint8_t>(i * 7 + seq));
  return f;
}

// An ACK frame from `src` to `dst` with the ACKer's own sequence `seq`.
std::vector<std::uint8_t> AckFrame(std::uint8_t src, std::uint8_t dst,
                                   std::uint32_t seq, std::uint32_t epoch = 1) {
  const auto header = SerializeFrameHeader(
      {src, dst, epoch, seq, static_cast<std::uint16_t>(kAckPlaintextBytes)},
      FrameType::kAck);
  std::vector<std::uint8_t> f(header.begin(), header.end());
  for (std::size_t i = 0; i < kAckPlaintextBytes + wire::kTagBytes; ++i)
    f.push_back(static_cast<std::uint8_t>(i * 11 + seq));
  return f;
}

std::vector<std::uint8_t> Encode(const std::vector<std::uint8_t>& frame) {
  std::vector<std::uint8_t> out(wire::CobsMaxEncodedSize(frame.size()) + 1);
  out.resize(wire::CobsEncode(frame, out).value());
  out.push_back(0);
  return out;
}

std::vector<std::vector<std::uint8_t>> Decode(
    const std::vector<std::uint8_t>& stream) {
  std::vector<std::vector<std::uint8_t>> frames;
  std::vector<std::uint8_t> current;
  for (std::uint8_t b : stream) {
    if (b != 0) {
      current.push_back(b);
      continue;
    }
    std::vector<std::uint8_t> out(current.size());
    const base::Result<std::size_t> r = wire::CobsDecode(current, out);
    EXPECT_TRUE(r.ok()) << base::StatusName<wire::CobsCode>(r.status());
    out.resize(r.value());
    frames.push_back(out);
    current.clear();
  }
  return frames;
}

class RouterHarness {
 public:
  RouterHarness(FaultMix mix, Topology topology = Topology::kAllToAll,
                int nodes = 3, std::uint64_t seed = 1,
                FaultKey key = FaultKey::kHeader)
      : router_(nodes, topology, FaultInjector(mix, seed, key),
                [this](std::uint8_t node, std::span<const std::uint8_t> bytes) {
                  received_[node].insert(received_[node].end(), bytes.begin(),
                                         bytes.end());
                }) {
    for (int i = 1; i <= nodes; ++i)
      router_.SetNodeUp(static_cast<std::uint8_t>(i), 1);
  }
  void Send(const std::vector<std::uint8_t>& frame, absl::Time at = kT0) {
    const std::vector<std::uint8_t> bytes = Encode(frame);
    router_.OnBytes(frame[1], bytes, at);
    router_.Tick(at);
  }
  std::vector<std::vector<std::uint8_t>> At(std::uint8_t node) {
    return Decode(received_[node]);
  }
  Router& router() { return router_; }

 private:
  Router router_;
  std::map<std::uint8_t, std::vector<std::uint8_t>> received_;
};

FaultMix Only(double FaultMix::*kind) {
  FaultMix mix;
  mix.*kind = 1.0;
  return mix;
}

TEST(RouterTest, CleanFrameIsDeliveredIntactAndRecorded) {
  RouterHarness h(FaultMix{});
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  ASSERT_EQ(h.At(2).size(), 1u);
  EXPECT_EQ(h.At(2)[0], f);
  EXPECT_TRUE(h.At(3).empty());
  ASSERT_EQ(h.router().frames().size(), 1u);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDelivered);
  EXPECT_TRUE(h.router().injected().empty());
  EXPECT_EQ(h.router().DeliveredInLife(2), 1u);
  EXPECT_EQ(h.router().emitted_bytes()[1].size(), Encode(f).size());
  EXPECT_EQ(h.router().carried_bytes()[2].size(), Encode(f).size());
  // Where the frame ends in what node 2 was carried, so the fleet can tell
  // when its link had it.
  EXPECT_EQ(h.router().frames()[0].stream_end, Encode(f).size());
}

TEST(RouterTest, FrameSplitAcrossReadsIsReassembled) {
  RouterHarness h(FaultMix{});
  const auto bytes = Encode(Frame(1, 3, 1));
  h.router().OnBytes(1, std::span(bytes).first(5), kT0);
  h.router().Tick(kT0);
  EXPECT_TRUE(h.At(3).empty());
  h.router().OnBytes(1, std::span(bytes).subspan(5), kT0);
  h.router().Tick(kT0);
  EXPECT_EQ(h.At(3).size(), 1u);
}

TEST(RouterTest, DropNeverDelivers) {
  RouterHarness h(Only(&FaultMix::drop));
  h.Send(Frame(1, 2, 1));
  EXPECT_TRUE(h.At(2).empty());
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDropped);
  EXPECT_EQ(h.router().frames()[0].fault, FaultKind::kDrop);
}

TEST(RouterTest, BitFlipChangesExactlyOneBitAndExpectsARefusal) {
  RouterHarness h(Only(&FaultMix::bitflip));
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  ASSERT_EQ(h.At(2).size(), 1u);
  const auto got = h.At(2)[0];
  ASSERT_EQ(got.size(), f.size());
  int differing_bits = 0;
  for (std::size_t i = 0; i < f.size(); ++i)
    differing_bits += __builtin_popcount(f[i] ^ got[i]);
  EXPECT_EQ(differing_bits, 1);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kCorrupted);
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_FALSE(h.router().injected()[0].expected.empty());
  EXPECT_EQ(h.router().injected()[0].receiver, 2);
}

TEST(RouterTest, TruncateShortensAndExpectsMalformed) {
  RouterHarness h(Only(&FaultMix::truncate));
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  ASSERT_EQ(h.At(2).size(), 1u);
  EXPECT_LT(h.At(2)[0].size(), f.size());
  EXPECT_GE(h.At(2)[0].size(), 1u);
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kMalformed}));
}

TEST(RouterTest, DuplicateDeliversTwiceAndMayBeRefusedAsAReplay) {
  RouterHarness h(Only(&FaultMix::duplicate));
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  ASSERT_EQ(h.At(2).size(), 2u);
  EXPECT_EQ(h.At(2)[0], f);
  EXPECT_EQ(h.At(2)[1], f);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDelivered);
  ASSERT_EQ(h.router().injected().size(), 1u);
  const InjectedCopy& copy = h.router().injected()[0];
  EXPECT_EQ(copy.expected, ReasonSet({RejectReason::kReplay}));
  // The copy looks exactly like a retransmission: the receiver may also
  // acknowledge it again without a line.
  EXPECT_TRUE(copy.optional);
  EXPECT_EQ(copy.kind, FaultKind::kDuplicate);
  EXPECT_EQ(h.router().MaySilentInLife(2), 1u);
}

TEST(RouterTest, DuplicatedAckMustBeRefused) {
  RouterHarness h(Only(&FaultMix::duplicate));
  h.Send(AckFrame(2, 1, 1));
  ASSERT_EQ(h.At(1).size(), 2u);
  ASSERT_EQ(h.router().injected().size(), 2u);
  // The original ends its message or is refused as unknown; the copy
  // carries a sequence the receiver has seen.
  EXPECT_TRUE(h.router().injected()[0].optional);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kAckUnknown}));
  EXPECT_FALSE(h.router().injected()[1].optional);
  EXPECT_EQ(h.router().injected()[1].expected,
            ReasonSet({RejectReason::kReplay, RejectReason::kAckUnknown}));
  EXPECT_EQ(h.router().MaySilentInLife(1), 0u);
}

TEST(RouterTest, AckFramesAreRecordedWithTheirTypeAndBytes) {
  RouterHarness h(FaultMix{});
  const auto ack = AckFrame(2, 1, 7);
  h.Send(ack);
  ASSERT_EQ(h.At(1).size(), 1u);
  EXPECT_EQ(h.At(1)[0], ack);
  const FrameRecord& r = h.router().frames()[0];
  EXPECT_TRUE(r.parsed);
  EXPECT_EQ(r.type, FrameType::kAck);
  EXPECT_EQ(r.fate, FrameFate::kDelivered);
  EXPECT_EQ(r.ack_frame, ack);  // for opening with the pair key later
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].type, FrameType::kAck);
  EXPECT_TRUE(h.router().injected()[0].optional);
  // An ACK of the wrong length is not a frame a node may emit.
  auto long_ack = ack;
  long_ack.push_back(0);
  long_ack[13] = 5;
  h.Send(long_ack);
  EXPECT_EQ(h.router().frames()[1].fate, FrameFate::kUnparseable);
}

TEST(RouterTest, DelayedAckIsOptionalForAcknowledgementNotForItsFault) {
  FaultMix mix = Only(&FaultMix::delay);
  mix.delay_min_ms = mix.delay_max_ms = 10;
  RouterHarness h(mix);
  h.Send(AckFrame(2, 1, 4));
  h.router().Tick(kT0 + absl::Milliseconds(10));
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].kind, FaultKind::kNone);
  EXPECT_EQ(h.router().frames()[0].fault, FaultKind::kDelay);
}

// Repeatable mode: a frame a fault holds back waits for ReleaseParked(),
// however much time passes, and then lands in the order it was parked.
TEST(RouterTest, ParkedFramesWaitForTheFleetToSettle) {
  FaultMix mix = Only(&FaultMix::delay);
  mix.delay_min_ms = mix.delay_max_ms = 10;
  RouterHarness h(mix);
  h.router().ParkHeldFramesUntilSettled();
  const auto first = Frame(1, 2, 1);
  const auto second = Frame(1, 2, 2);
  h.Send(first);
  h.Send(second, kT0 + absl::Milliseconds(1));
  h.router().Tick(kT0 + absl::Hours(24));
  EXPECT_TRUE(h.At(2).empty());
  EXPECT_EQ(h.router().InFlight(), 2u);
  EXPECT_EQ(h.router().Parked(), 2u);
  EXPECT_EQ(h.router().ReleaseParked(kT0 + absl::Seconds(1)), 2u);
  EXPECT_EQ(h.router().Parked(), 0u);
  h.router().Tick(kT0 + absl::Seconds(1));
  EXPECT_EQ(h.At(2), (std::vector<std::vector<std::uint8_t>>{first, second}));
  EXPECT_EQ(h.router().InFlight(), 0u);
}

TEST(RouterTest, RetransmissionIsNotNonceReuse) {
  RouterHarness h(FaultMix{});
  const auto f = Frame(1, 2, 4);
  h.Send(f);
  h.Send(f, kT0 + absl::Milliseconds(200));
  ASSERT_EQ(h.router().frames().size(), 2u);
  EXPECT_EQ(h.router().frames()[0].transmission, 0u);
  EXPECT_EQ(h.router().frames()[1].transmission, 1u);
  EXPECT_FALSE(h.router().frames()[1].nonce_reused);
  // The receiver has it already: the second copy may be taken silently.
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_TRUE(h.router().injected()[0].optional);
  EXPECT_EQ(h.router().injected()[0].kind, FaultKind::kNone);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kReplay}));
  EXPECT_EQ(h.router().MaySilentInLife(2), 1u);

  // Same header, other bytes: a second plaintext under one nonce.
  auto other = f;
  other.back() ^= 1;
  h.Send(other, kT0 + absl::Milliseconds(400));
  EXPECT_TRUE(h.router().frames()[2].nonce_reused);
}

TEST(RouterTest, EachTransmissionDrawsItsOwnFault) {
  FaultMix mix;
  mix.drop = 0.5;
  // A seed under which the first transmission is dropped and the second
  // is not.
  const wire::LinkHeader hdr{1, 2, 1, 1, 24};
  std::uint64_t seed = 0;
  for (;; ++seed) {
    FaultInjector inj(mix, seed);
    if (inj.Decide(hdr, 56, 0).kind == FaultKind::kDrop &&
        inj.Decide(hdr, 56, 1).kind == FaultKind::kNone) {
      break;
    }
  }
  RouterHarness h(mix, Topology::kAllToAll, 3, seed);
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  EXPECT_TRUE(h.At(2).empty());
  h.Send(f, kT0 + absl::Milliseconds(200));
  ASSERT_EQ(h.At(2).size(), 1u);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDropped);
  EXPECT_EQ(h.router().frames()[1].fate, FrameFate::kDelivered);
  // The first frame the receiver gets must be delivered: nothing to refuse.
  EXPECT_TRUE(h.router().injected().empty());
  // Without retransmission the decision is what it always was.
  FaultInjector inj(mix, seed);
  EXPECT_EQ(inj.Decide(hdr, 56).kind, inj.Decide(hdr, 56, 0).kind);
}

TEST(RouterTest, DamagedCopyOfAFrameTheReceiverHasMayBeCalledAReplay) {
  // Sequence 1 arrives intact, then a retransmission of it is corrupted in
  // its ciphertext: by its tag it is forged, by the window a replay.
  FaultMix mix;
  mix.bitflip = 0.5;
  const wire::LinkHeader hdr{1, 2, 1, 1, 24};
  std::uint64_t seed = 0;
  for (;; ++seed) {
    FaultInjector inj(mix, seed);
    const FaultDecision second = inj.Decide(hdr, 56, 1);
    if (inj.Decide(hdr, 56, 0).kind == FaultKind::kNone &&
        second.kind == FaultKind::kBitFlip && second.bit >= 16 * 8) {
      break;
    }
  }
  RouterHarness h(mix, Topology::kAllToAll, 3, seed);
  const auto f = Frame(1, 2, 1);
  h.Send(f);
  h.Send(f, kT0 + absl::Milliseconds(200));
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_FALSE(h.router().injected()[0].optional);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kForged, RejectReason::kReplay}));
}

TEST(RouterTest, ReplayComesBackLater) {
  FaultMix mix = Only(&FaultMix::replay);
  mix.replay_after_ms = 100;
  RouterHarness h(mix);
  h.Send(Frame(1, 2, 1));
  EXPECT_EQ(h.At(2).size(), 1u);
  EXPECT_EQ(h.router().InFlight(), 1u);
  h.router().Tick(kT0 + absl::Milliseconds(99));
  EXPECT_EQ(h.At(2).size(), 1u);
  ASSERT_TRUE(h.router().NextDue().has_value());
  EXPECT_EQ(*h.router().NextDue(), kT0 + absl::Milliseconds(100));
  h.router().Tick(kT0 + absl::Milliseconds(100));
  EXPECT_EQ(h.At(2).size(), 2u);
  EXPECT_EQ(h.router().InFlight(), 0u);
}

TEST(RouterTest, DelayHoldsTheFrame) {
  FaultMix mix = Only(&FaultMix::delay);
  mix.delay_min_ms = mix.delay_max_ms = 30;
  RouterHarness h(mix);
  h.Send(Frame(1, 2, 1));
  EXPECT_TRUE(h.At(2).empty());
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kPending);
  h.router().Tick(kT0 + absl::Milliseconds(30));
  EXPECT_EQ(h.At(2).size(), 1u);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDelivered);
}

TEST(RouterTest, ReorderedFrameIsOvertakenByTheNextOnItsLink) {
  // Find a seed under which sequence 1 is reordered and 2 is not.
  FaultMix mix;
  mix.reorder = 0.5;
  mix.reorder_hold_ms = 1000;
  std::uint64_t seed = 0;
  for (;; ++seed) {
    FaultInjector inj(mix, seed);
    if (inj.Decide({1, 2, 1, 1, 24}, 56).kind == FaultKind::kReorder &&
        inj.Decide({1, 2, 1, 2, 24}, 56).kind == FaultKind::kNone) {
      break;
    }
  }
  RouterHarness h(mix, Topology::kAllToAll, 3, seed);
  h.Send(Frame(1, 2, 1));
  EXPECT_TRUE(h.At(2).empty());
  h.Send(Frame(1, 2, 2), kT0 + absl::Milliseconds(1));
  ASSERT_EQ(h.At(2).size(), 2u);
  EXPECT_EQ(h.At(2)[0], Frame(1, 2, 2));
  EXPECT_EQ(h.At(2)[1], Frame(1, 2, 1));
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kDelivered);
}

TEST(RouterTest, ReorderedFrameAloneIsReleasedAfterItsHold) {
  FaultMix mix = Only(&FaultMix::reorder);
  mix.reorder_hold_ms = 40;
  RouterHarness h(mix);
  h.Send(Frame(1, 2, 1));
  EXPECT_TRUE(h.At(2).empty());
  h.router().Tick(kT0 + absl::Milliseconds(40));
  EXPECT_EQ(h.At(2).size(), 1u);
}

TEST(RouterTest, ForgeAddsAFabricatedFrameExpectedForged) {
  RouterHarness h(Only(&FaultMix::forge));
  const auto f = Frame(1, 2, 5);
  h.Send(f);
  ASSERT_EQ(h.At(2).size(), 2u);
  EXPECT_EQ(h.At(2)[0], f);
  const base::Result<wire::LinkHeader> forged =
      wire::ParseFrameHeader(h.At(2)[1]);
  ASSERT_TRUE(forged.ok()) << base::StatusName<wire::HeaderCode>(
      forged.status());
  EXPECT_EQ(forged->source, 1);
  EXPECT_GT(forged->sequence, 5u + 1000000u);
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kForged}));
}

TEST(RouterTest, ForgedCopyOfAnAckIsAnAck) {
  RouterHarness h(Only(&FaultMix::forge));
  h.Send(AckFrame(2, 1, 3));
  ASSERT_EQ(h.At(1).size(), 2u);
  const std::optional<ParsedFrame> forged = ParseFrame(h.At(1)[1]);
  ASSERT_TRUE(forged.has_value());
  EXPECT_EQ(forged->type, FrameType::kAck);
  ASSERT_EQ(h.router().injected().size(), 2u);  // the ACK and its forgery
  EXPECT_EQ(h.router().injected()[1].expected,
            ReasonSet({RejectReason::kForged}));
  EXPECT_FALSE(h.router().injected()[1].optional);
}

TEST(RouterTest, NoRouteBetweenStarLeaves) {
  RouterHarness h(FaultMix{}, Topology::kStar, 3);
  h.Send(Frame(2, 3, 1));
  EXPECT_TRUE(h.At(3).empty());
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kNoRoute);
  h.Send(Frame(2, 1, 1));
  EXPECT_EQ(h.At(1).size(), 1u);
}

TEST(RouterTest, FramesForADownNodeAreLostAndItsPartialFrameForgotten) {
  FaultMix mix = Only(&FaultMix::delay);
  mix.delay_min_ms = mix.delay_max_ms = 10;
  RouterHarness h(mix);
  h.Send(Frame(1, 2, 1));
  const auto partial = Encode(Frame(2, 1, 1));
  h.router().OnBytes(2, std::span(partial).first(10), kT0);
  h.router().SetNodeDown(2);
  h.router().Tick(kT0 + absl::Milliseconds(10));
  EXPECT_TRUE(h.At(2).empty());
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kReceiverDown);
  h.router().SetNodeUp(2, 2);
  // The rest of the killed node's frame must not glue onto a new one.
  h.router().OnBytes(2, std::span(partial).subspan(10), kT0);
  EXPECT_EQ(h.router().frames().size(), 2u);
  EXPECT_EQ(h.router().frames()[1].fate, FrameFate::kUnparseable);
}

TEST(RouterTest, GarbageFromANodeIsRecordedUnparseable) {
  RouterHarness h(FaultMix{});
  const std::vector<std::uint8_t> junk = {5, 1, 2, 3, 4, 0};
  h.router().OnBytes(1, junk, kT0);
  ASSERT_EQ(h.router().frames().size(), 1u);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kUnparseable);
  // A frame claiming another node's id is not accepted from this port.
  h.router().OnBytes(1, Encode(Frame(3, 2, 1)), kT0);
  EXPECT_EQ(h.router().frames()[1].fate, FrameFate::kUnparseable);
}

TEST(RouterTest, FrameQueuedAcrossARotationIsExpectedRefusedForEpoch) {
  FaultMix mix = Only(&FaultMix::delay);
  mix.delay_min_ms = mix.delay_max_ms = 10;
  RouterHarness h(mix);
  h.Send(Frame(1, 2, 1));
  h.router().OnRotation();
  h.router().Tick(kT0 + absl::Milliseconds(10));
  EXPECT_EQ(h.At(2).size(), 1u);
  EXPECT_EQ(h.router().frames()[0].fate, FrameFate::kLate);
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].expected,
            ReasonSet({RejectReason::kEpoch}));
}

TEST(RouterTest, FrameOvertakenByMoreThanTheWindowIsExpectedRefusedAsReplay) {
  // Sequence 170 reaches the receiver before 100 does.
  RouterHarness h2(FaultMix{});
  h2.Send(Frame(1, 2, 170));
  h2.Send(Frame(1, 2, 100));
  EXPECT_EQ(h2.router().frames()[1].fate, FrameFate::kLate);
  ASSERT_EQ(h2.router().injected().size(), 1u);
  EXPECT_EQ(h2.router().injected()[0].expected,
            ReasonSet({RejectReason::kReplay}));
  h2.Send(Frame(1, 2, 107));  // within 64 of 170
  EXPECT_EQ(h2.router().frames()[2].fate, FrameFate::kDelivered);
}

TEST(RouterTest, DataAndAckSequencesHaveWindowsOfTheirOwn) {
  // Node 2 acknowledges far ahead of its DATA sequences: that does not
  // make its DATA frames old to node 1.
  RouterHarness h(FaultMix{});
  h.Send(AckFrame(2, 1, 170));
  h.Send(Frame(2, 1, 100));
  EXPECT_EQ(h.router().frames()[1].fate, FrameFate::kDelivered);
  h.Send(AckFrame(2, 1, 100));
  EXPECT_EQ(h.router().frames()[2].fate, FrameFate::kLate);
  // ACK windows live in RAM, and the DATA window a restarted node
  // restores may be short of what the router wrote to its last life: after
  // a restart nothing is judged old.
  h.Send(Frame(2, 1, 180));
  h.router().SetNodeDown(1);
  h.router().SetNodeUp(1, 2);
  h.Send(AckFrame(2, 1, 101));
  EXPECT_EQ(h.router().frames()[4].fate, FrameFate::kDelivered);
  h.Send(Frame(2, 1, 110));
  EXPECT_EQ(h.router().frames()[5].fate, FrameFate::kDelivered);
}

TEST(RouterTest, LeakModePutsTheBytesOnTheWire) {
  RouterHarness h(FaultMix{});
  const std::vector<std::uint8_t> secret(32, 0xab);
  h.router().SetLeakForTest(secret, 1);
  h.Send(Frame(1, 2, 1));
  ASSERT_EQ(h.At(2).size(), 2u);
  EXPECT_EQ(h.At(2)[1], secret);
  ASSERT_EQ(h.router().injected().size(), 1u);
  EXPECT_EQ(h.router().injected()[0].kind, FaultKind::kLeakForTest);
}

TEST(FaultInjectorTest, DecisionsAreReproducibleAndFollowTheMix) {
  FaultMix mix;
  mix.drop = 0.3;
  mix.bitflip = 0.2;
  FaultInjector a(mix, 9), b(mix, 9), c(mix, 10);
  std::map<FaultKind, int> counts;
  int differ = 0;
  for (std::uint32_t seq = 1; seq <= 20000; ++seq) {
    const wire::LinkHeader h{1, 2, 1, seq, 100};
    const FaultDecision da = a.Decide(h, 132);
    EXPECT_EQ(da.kind, b.Decide(h, 132).kind);
    if (da.kind != c.Decide(h, 132).kind) ++differ;
    ++counts[da.kind];
    if (da.kind == FaultKind::kBitFlip) {
      EXPECT_LT(da.bit, 132u * 8);
    }
  }
  EXPECT_NEAR(counts[FaultKind::kDrop] / 20000.0, 0.3, 0.02);
  EXPECT_NEAR(counts[FaultKind::kBitFlip] / 20000.0, 0.2, 0.02);
  EXPECT_NEAR(counts[FaultKind::kNone] / 20000.0, 0.5, 0.02);
  EXPECT_GT(differ, 1000);
}

// Repeatable mode: a node numbers DATA and ACK frames from one counter per
// link, so how they interleave (timing) decides the sequences. Keyed by
// link order, the n-th DATA frame of a link meets the same fault however
// many ACKs came between, and so does the n-th ACK.
TEST(RouterTest, LinkOrderFaultsDoNotDependOnHowDataAndAcksInterleave) {
  FaultMix mix;
  mix.drop = 0.5;
  auto fates = [&](bool acks_first) {
    RouterHarness h(mix, Topology::kAllToAll, 3, 5, FaultKey::kLinkOrder);
    std::uint32_t seq = 1;
    for (int n = 0; n < 40; ++n) {
      if (acks_first) h.Send(AckFrame(1, 2, seq++));
      h.Send(Frame(1, 2, seq++));
      if (!acks_first) h.Send(AckFrame(1, 2, seq++));
      if (n % 3 == 0) h.Send(AckFrame(1, 2, seq++));  // an extra one
    }
    std::string data, acks;
    for (const FrameRecord& f : h.router().frames()) {
      (f.type == FrameType::kData ? data : acks) +=
          f.fate == FrameFate::kDropped ? 'x' : '.';
    }
    return std::make_pair(data, acks);
  };
  EXPECT_EQ(fates(true), fates(false));
  EXPECT_NE(fates(true).first.find('x'), std::string::npos);
  EXPECT_NE(fates(true).first.find('.'), std::string::npos);
  // Keyed by header, the same frames meet other faults.
  RouterHarness by_header(mix, Topology::kAllToAll, 3, 5);
  std::uint32_t seq = 1;
  std::string data;
  for (int n = 0; n < 40; ++n) {
    by_header.Send(AckFrame(1, 2, seq++));
    by_header.Send(Frame(1, 2, seq++));
    if (n % 3 == 0) by_header.Send(AckFrame(1, 2, seq++));
  }
  for (const FrameRecord& f : by_header.router().frames()) {
    if (f.type == FrameType::kData)
      data += f.fate == FrameFate::kDropped ? 'x' : '.';
  }
  EXPECT_NE(data, fates(true).first);
}

TEST(FaultInjectorTest, ExpectedRefusalForEachBitFlipPosition) {
  const auto f = Frame(3, 2, 4);  // receiver 2
  auto at = [&](std::size_t byte, int bit) {
    return ExpectedForBitFlip(f, byte * 8 + bit, 2, /*nodes=*/3);
  };
  const ReasonSet malformed{RejectReason::kMalformed};
  EXPECT_EQ(at(0, 7), malformed);  // version
  EXPECT_EQ(at(3, 0), malformed);  // type 0x80: no such type
  // DATA -> ACK: the length is wrong for an ACK, or the tag over the
  // changed header fails.
  EXPECT_EQ(at(3, 7),
            ReasonSet({RejectReason::kMalformed, RejectReason::kForged}));
  EXPECT_EQ(at(12, 3), malformed);  // length
  EXPECT_EQ(at(15, 7), malformed);  // reserved
  EXPECT_EQ(at(2, 7), ReasonSet({RejectReason::kMisrouted}));
  EXPECT_EQ(at(5, 0), ReasonSet({RejectReason::kEpoch}));
  // Source 3 -> 2 (bit 0x01 of byte 1) is the receiver itself.
  EXPECT_EQ(at(1, 7), ReasonSet({RejectReason::kUnknownPeer}));
  EXPECT_EQ(at(1, 6), ReasonSet({RejectReason::kReplay,
                                 RejectReason::kForged}));  // 3 -> 1
  // 3 -> 7 and 3 -> 131: no such node, so no link to it.
  EXPECT_EQ(at(1, 5), ReasonSet({RejectReason::kUnknownPeer}));
  EXPECT_EQ(at(1, 0), ReasonSet({RejectReason::kUnknownPeer}));
  // Sequence 4 -> 0 is malformed; other flips are replay-or-forged.
  EXPECT_EQ(at(11, 5), malformed);
  EXPECT_EQ(at(11, 7),
            ReasonSet({RejectReason::kReplay, RejectReason::kForged}));
  EXPECT_EQ(at(16, 0), ReasonSet({RejectReason::kForged}));
  EXPECT_EQ(at(f.size() - 1, 0), ReasonSet({RejectReason::kForged}));
}

}  // namespace
}  // namespace sim
