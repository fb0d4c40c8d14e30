// Per-link health: frames that fail authentication, counted per claimed
// peer and per unit of time, so that refusals are visible and bounded per
// link instead of adding up to a node-wide lockout.
//
// Policy (PROTOCOL.md, "Threat model"). Each claimed source has a score:
// every failed tag adds one, and one is forgiven per kForgiveMicros. A link
// whose score reaches kQuarantineScore is quarantined until its score has
// decayed back to zero. Quarantine is a health state reported to the
// operator (STATS: links_quarantined, quarantines); it never refuses an
// authenticated frame. The source field of a frame is not authenticated
// until its tag verifies, so anything that refused traffic on the strength
// of failed tags would hand an attacker on the wire a way to cut an honest
// peer off. What bounds the attacker instead is the line: at 115200 baud a
// forged frame costs the node at most one GHASH pass over the bytes that
// carried it.
//
// Nothing here ever locks the node out; only local tamper evidence does
// (node.h, TAMPER).
#ifndef APPS_SECURE_NODE_LINK_HEALTH_H_
#define APPS_SECURE_NODE_LINK_HEALTH_H_

#include <array>
#include <cstdint>

namespace secure_node {

class LinkHealth {
 public:
  static constexpr std::uint32_t kQuarantineScore = 32;
  static constexpr std::uint64_t kForgiveMicros = 1'000'000;

  // A frame claiming to come from `peer` failed authentication at `now_us`.
  // Returns true if this failure put the link into quarantine.
  bool RecordFailure(std::uint8_t peer, std::uint64_t now_us);
  bool Quarantined(std::uint8_t peer, std::uint64_t now_us);
  // Links in quarantine at `now_us`.
  std::uint32_t QuarantinedLinks(std::uint64_t now_us);
  // Times any link entered quarantine.
  std::uint32_t quarantines() const { return quarantines_; }

  void Reset() { *this = LinkHealth(); }

 private:
  struct Link {
    std::uint32_t score = 0;
    bool quarantined = false;
    std::uint64_t updated_us = 0;  // time the score was last decayed to
  };
  // Applies the decay due by `now_us` (monotonic).
  static void Decay(Link& link, std::uint64_t now_us);

  std::array<Link, 256> links_{};
  std::uint32_t quarantines_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINK_HEALTH_H_
