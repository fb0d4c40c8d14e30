// Seeded, reproducible fault decisions for frames crossing the router, the
// frame mutations that implement them, and what the receiver must do about
// each (the expectation the verdict checks).
#ifndef SIM_FAULT_INJECTOR_H_
#define SIM_FAULT_INJECTOR_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sim/frame_header.h"
#include "sim/reject_reason.h"
#include "sim/scenario.h"
#include "wire/header.h"

namespace sim {

enum class FaultKind : std::uint8_t {
  kNone = 0,
  kDrop,
  kBitFlip,
  kTruncate,
  kDuplicate,
  kReplay,
  kReorder,
  kDelay,
  kForge,
  kRestart,      // scheduled by the fleet, not drawn per frame
  kLeakForTest,  // --leak_*_for_test: the router itself leaks (must fail)
};
inline constexpr int kFaultKindCount = 11;
absl::string_view FaultKindName(FaultKind kind);

struct FaultDecision {
  FaultKind kind = FaultKind::kNone;
  std::uint32_t bit = 0;        // kBitFlip: bit index in the decoded frame
  std::size_t truncate_to = 0;  // kTruncate: bytes kept, 1..size-1
  absl::Duration hold;          // kDelay/kReplay: delay; kReorder: longest hold
  std::uint64_t forge_seed = 0;  // kForge: the fabricated frame's bytes
};

// What a frame's fault decision is a function of, besides the seed.
enum class FaultKey : std::uint8_t {
  // Its header (source, destination, epoch, sequence) and transmission.
  kHeader,
  // Its link, its type, its place among the distinct frames of that type
  // on that link, and its transmission. A node numbers DATA and ACK frames
  // from one counter per link, so a header's sequence depends on how the
  // two interleaved, which is timing; the place among frames of one type
  // does not, when each node has one message in flight (repeatable mode).
  kLinkOrder,
};

class FaultInjector {
 public:
  FaultInjector(const FaultMix& mix, std::uint64_t seed,
                FaultKey key = FaultKey::kHeader)
      : mix_(mix), seed_(seed), key_(key) {}

  // The fate of the frame with this header: a pure function of the seed,
  // the header and `transmission` (0 for a frame's first appearance, n for
  // its n-th identical retransmission), so it does not depend on the order
  // frames arrive in, and a retransmission draws its own fate instead of
  // repeating the first one's (a dropped frame is not dropped forever).
  FaultDecision Decide(const wire::LinkHeader& header, std::size_t frame_bytes,
                       std::uint32_t transmission = 0) const;
  // As above, keyed as the injector was made: `type` and `ordinal` (0 for the
  // link's first distinct frame of that type) are used by FaultKey::kLinkOrder.
  FaultDecision Decide(const wire::LinkHeader& header, FrameType type,
                       std::uint64_t ordinal, std::size_t frame_bytes,
                       std::uint32_t transmission) const;

  const FaultMix& mix() const { return mix_; }

 private:
  FaultDecision DecideWith(std::uint64_t rng_seed,
                           std::size_t frame_bytes) const;

  FaultMix mix_;
  std::uint64_t seed_;
  FaultKey key_;
};

// The decoded frame with bit `bit` (0 = MSB of byte 0) inverted.
std::vector<std::uint8_t> FlipBit(std::span<const std::uint8_t> frame,
                                  std::uint32_t bit);

// A frame of `type` that claims to come from `like.source` with a fresh
// sequence number far ahead of any real one, carrying random ciphertext and
// tag: only a broken receiver would accept it (a forged ACK must not end a
// message).
std::vector<std::uint8_t> ForgeFrame(const wire::LinkHeader& like,
                                     std::uint64_t seed,
                                     FrameType type = FrameType::kData);

// The refusals a correct receiver `receiver` in a fleet of nodes 1..`nodes`
// (each holding a link to every other) may report for `frame` with `bit`
// flipped, following PROTOCOL.md's check order.
ReasonSet ExpectedForBitFlip(std::span<const std::uint8_t> frame,
                             std::uint32_t bit, std::uint8_t receiver,
                             int nodes);

}  // namespace sim

#endif  // SIM_FAULT_INJECTOR_H_
