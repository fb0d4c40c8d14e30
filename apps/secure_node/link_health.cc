#include "apps/secure_node/link_health.h"

namespace secure_node {

void LinkHealth::Decay(Link& link, std::uint64_t now_us) {
  if (now_us <= link.updated_us) return;
  const std::uint64_t forgiven = (now_us - link.updated_us) / kForgiveMicros;
  if (forgiven >= link.score) {
    link.score = 0;
    link.updated_us = now_us;
    link.quarantined = false;
    return;
  }
  link.score -= static_cast<std::uint32_t>(forgiven);
  link.updated_us += forgiven * kForgiveMicros;  // keep the fraction
}

bool LinkHealth::RecordFailure(std::uint8_t peer, std::uint64_t now_us) {
  Link& link = links_[peer];
  Decay(link, now_us);
  if (link.score == 0) link.updated_us = now_us;
  if (link.score < kQuarantineScore) ++link.score;
  if (link.quarantined || link.score < kQuarantineScore) return false;
  link.quarantined = true;
  ++quarantines_;
  return true;
}

bool LinkHealth::Quarantined(std::uint8_t peer, std::uint64_t now_us) {
  Decay(links_[peer], now_us);
  return links_[peer].quarantined;
}

std::uint32_t LinkHealth::QuarantinedLinks(std::uint64_t now_us) {
  std::uint32_t count = 0;
  for (std::size_t peer = 0; peer < links_.size(); ++peer) {
    count += Quarantined(static_cast<std::uint8_t>(peer), now_us) ? 1 : 0;
  }
  return count;
}

}  // namespace secure_node
