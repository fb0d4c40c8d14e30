// How many duplicate DATA frames a node acknowledges again, per peer.
//
// A duplicate that authenticates is acknowledged again: its sender missed
// the first acknowledgement. But anyone can replay a captured frame, and
// each acknowledgement costs a seal and a send sequence (and every 256
// sequences a store write), so re-acknowledgements are a token bucket per
// claimed peer: kBurst at once (a whole window retransmitted together),
// then one per kRefillUs. An honest sender retransmits at most Outbound's
// window per first timeout (8 per 200 ms = 40/s), which the bucket always
// serves; a replay flood gets no more than that. A duplicate refused here
// is counted and needs no answer: the sender retransmits again later.
#ifndef APPS_SECURE_NODE_REACK_BUDGET_H_
#define APPS_SECURE_NODE_REACK_BUDGET_H_

#include <array>
#include <cstdint>

namespace secure_node {

class ReackBudget {
 public:
  static constexpr std::uint32_t kBurst = 8;
  static constexpr std::uint64_t kRefillUs = 25'000;

  // Takes a token of `peer`'s bucket at `now_us`; false if it is empty.
  bool Take(std::uint8_t peer, std::uint64_t now_us) {
    Bucket& bucket = buckets_[peer];
    if (now_us > bucket.refilled_at_us) {
      const std::uint64_t earned = (now_us - bucket.refilled_at_us) / kRefillUs;
      if (bucket.tokens + earned >= kBurst) {
        bucket.tokens = kBurst;
        bucket.refilled_at_us = now_us;
      } else {
        bucket.tokens += static_cast<std::uint32_t>(earned);
        bucket.refilled_at_us += earned * kRefillUs;
      }
    }
    if (bucket.tokens == 0) return false;
    --bucket.tokens;
    return true;
  }

  void Reset() { buckets_.fill(Bucket{}); }

 private:
  struct Bucket {
    std::uint64_t refilled_at_us = 0;
    std::uint32_t tokens = kBurst;
  };
  std::array<Bucket, 256> buckets_{};
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_REACK_BUDGET_H_
