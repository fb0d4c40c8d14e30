#include "sim/fault_injector.h"

#include <array>

#include "base/byte_order.h"
#include "sim/rng.h"

namespace sim {
namespace {

constexpr std::array<absl::string_view, kFaultKindCount> kNames = {
    "none",    "drop",  "bitflip", "truncate", "duplicate",     "replay",
    "reorder", "delay", "forge",   "restart",  "leak_for_test",
};

}  // namespace

absl::string_view FaultKindName(FaultKind kind) {
  return kNames[static_cast<int>(kind)];
}

FaultDecision FaultInjector::Decide(const wire::LinkHeader& h,
                                    std::size_t frame_bytes,
                                    std::uint32_t transmission) const {
  // A first transmission draws exactly what it drew before retransmissions
  // existed, so a seed keeps meaning the same faults.
  return DecideWith(transmission == 0
                        ? MixSeed({seed_, 0xfa017, h.source, h.destination,
                                   h.epoch, h.sequence})
                        : MixSeed({seed_, 0xfa017, h.source, h.destination,
                                   h.epoch, h.sequence, 0x7e7a, transmission}),
                    frame_bytes);
}

FaultDecision FaultInjector::Decide(const wire::LinkHeader& h, FrameType type,
                                    std::uint64_t ordinal,
                                    std::size_t frame_bytes,
                                    std::uint32_t transmission) const {
  if (key_ == FaultKey::kHeader) return Decide(h, frame_bytes, transmission);
  return DecideWith(
      MixSeed({seed_, 0x11e0, h.source, h.destination,
               static_cast<std::uint64_t>(type), ordinal, transmission}),
      frame_bytes);
}

FaultDecision FaultInjector::DecideWith(std::uint64_t rng_seed,
                                        std::size_t frame_bytes) const {
  SplitMix64 rng(rng_seed);
  FaultDecision d;
  const double u = rng.NextDouble();
  const std::pair<double, FaultKind> table[] = {
      {mix_.drop, FaultKind::kDrop},
      {mix_.bitflip, FaultKind::kBitFlip},
      {mix_.truncate, FaultKind::kTruncate},
      {mix_.duplicate, FaultKind::kDuplicate},
      {mix_.replay, FaultKind::kReplay},
      {mix_.reorder, FaultKind::kReorder},
      {mix_.delay, FaultKind::kDelay},
      {mix_.forge, FaultKind::kForge},
  };
  double cumulative = 0;
  for (const auto& [p, kind] : table) {
    cumulative += p;
    if (u < cumulative) {
      d.kind = kind;
      break;
    }
  }
  switch (d.kind) {
    case FaultKind::kBitFlip:
      d.bit = static_cast<std::uint32_t>(rng.Uniform(0, frame_bytes * 8 - 1));
      break;
    case FaultKind::kTruncate:
      d.truncate_to = frame_bytes <= 1 ? 0 : rng.Uniform(1, frame_bytes - 1);
      break;
    case FaultKind::kDelay:
      d.hold =
          absl::Milliseconds(rng.Uniform(mix_.delay_min_ms, mix_.delay_max_ms));
      break;
    case FaultKind::kReplay:
      d.hold = absl::Milliseconds(mix_.replay_after_ms);
      break;
    case FaultKind::kReorder:
      d.hold = absl::Milliseconds(mix_.reorder_hold_ms);
      break;
    case FaultKind::kForge:
      d.forge_seed = rng.Next();
      break;
    default:
      break;
  }
  return d;
}

std::vector<std::uint8_t> FlipBit(std::span<const std::uint8_t> frame,
                                  std::uint32_t bit) {
  std::vector<std::uint8_t> out(frame.begin(), frame.end());
  if (bit / 8 < out.size())
    out[bit / 8] ^= static_cast<std::uint8_t>(0x80u >> (bit % 8));
  return out;
}

std::vector<std::uint8_t> ForgeFrame(const wire::LinkHeader& like,
                                     std::uint64_t seed, FrameType type) {
  SplitMix64 rng(seed);
  wire::LinkHeader h = like;
  // Far ahead of any real sequence, so the receiver's window calls it fresh
  // and the tag check is what must refuse it.
  h.sequence = like.sequence + 0x40000000u;
  h.ciphertext_length = type == FrameType::kAck
                            ? static_cast<std::uint16_t>(kAckPlaintextBytes)
                            : static_cast<std::uint16_t>(rng.Uniform(4, 64));
  const auto header = SerializeFrameHeader(h, type);
  std::vector<std::uint8_t> out(header.begin(), header.end());
  for (std::size_t i = 0; i < h.ciphertext_length + wire::kTagBytes; ++i) {
    out.push_back(static_cast<std::uint8_t>(rng.Next()));
  }
  return out;
}

ReasonSet ExpectedForBitFlip(std::span<const std::uint8_t> frame,
                             std::uint32_t bit, std::uint8_t receiver,
                             int nodes) {
  const std::size_t byte = bit / 8;
  if (byte >= frame.size()) return ReasonSet::Any();
  const std::vector<std::uint8_t> flipped = FlipBit(frame, bit);
  if (byte == kTypeByte) {
    // DATA <-> ACK: a receiver may refuse the length for the new type before
    // any key is involved (malformed) or find the tag over the changed
    // header wrong (forged); PROTOCOL.md fixes neither order. Any other
    // type value is malformed.
    if (flipped[kTypeByte] <= static_cast<std::uint8_t>(FrameType::kAck))
      return {RejectReason::kMalformed, RejectReason::kForged};
    return {RejectReason::kMalformed};
  }
  if (byte == 0 || (byte >= 12 && byte <= 15)) {
    // Version, length, reserved: the header check fails.
    return {RejectReason::kMalformed};
  }
  if (byte == 2) return {RejectReason::kMisrouted};
  if (byte == 1) {
    const std::uint8_t source = flipped[1];
    // The receiver has a link to every other node of the fleet and to
    // nothing else.
    if (source == 0 || source > nodes || source == receiver)
      return {RejectReason::kUnknownPeer};
    // Another peer's window decides; its key then fails the tag.
    return {RejectReason::kReplay, RejectReason::kForged};
  }
  if (byte >= 4 && byte <= 7) return {RejectReason::kEpoch};
  if (byte >= 8 && byte <= 11) {
    if (base::LoadBe32(flipped.data() + 8) == 0)
      return {RejectReason::kMalformed};
    return {RejectReason::kReplay, RejectReason::kForged};
  }
  return {RejectReason::kForged};  // ciphertext or tag
}

}  // namespace sim
