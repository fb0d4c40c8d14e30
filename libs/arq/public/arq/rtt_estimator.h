// The round-trip time of one link, estimated from acknowledgements, and the
// retransmission timeout it implies (the rules of RFC 6298, section 2).
//
// A fixed timeout is wrong both ways: below the link's real round trip
// (a receiver busy with a backlog, a slow host) every frame is sent again,
// and each needless copy lengthens the backlog that delayed the ACK; far
// above it, a lost frame waits long for its retransmission. The estimator
// follows the link: SRTT and RTTVAR from samples, timeout = SRTT +
// 4 RTTVAR, kept within the caller's [minimum, maximum].
//
// Only a frame sent once may give a sample (Karn's rule): the ACK of a
// retransmitted frame cannot say which copy it answers. So that a link
// slower than the current timeout still yields samples, every timeout that
// expires doubles the timeout of later frames too (Backoff), until a
// sample arrives (the second half of Karn's algorithm). Time in
// microseconds; 32-bit fields hold more than an hour, far beyond any
// timeout a node uses.
#ifndef LIBS_ARQ_PUBLIC_ARQ_RTT_ESTIMATOR_H_
#define LIBS_ARQ_PUBLIC_ARQ_RTT_ESTIMATOR_H_

#include <cstdint>

namespace arq {

class RttEstimator {
 public:
  // One measured round trip, of a frame acknowledged after one
  // transmission. Samples beyond 2^32 - 1 us count as that.
  constexpr void Sample(std::uint64_t rtt_us) {
    const std::uint32_t rtt = rtt_us > 0xffff'ffffu
                                  ? 0xffff'ffffu
                                  : static_cast<std::uint32_t>(rtt_us);
    backoff_ = 0;
    if (!has_sample_) {
      smoothed_us_ = rtt;
      variation_us_ = rtt / 2;
      has_sample_ = true;
      return;
    }
    const std::uint32_t error =
        smoothed_us_ > rtt ? smoothed_us_ - rtt : rtt - smoothed_us_;
    // RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R|, SRTT <- 7/8 SRTT + 1/8 R, in
    // 64 bits so that no intermediate overflows.
    variation_us_ = static_cast<std::uint32_t>(
        (std::uint64_t{variation_us_} * 3 + error) / 4);
    smoothed_us_ =
        static_cast<std::uint32_t>((std::uint64_t{smoothed_us_} * 7 + rtt) / 8);
  }

  // A timeout expired: frames sent from now on wait twice as long, until
  // the next sample.
  constexpr void Backoff() {
    if (backoff_ < kMaxBackoff) ++backoff_;
  }

  // The timeout for a first transmission: `minimum_us` until a sample
  // exists, then SRTT + 4 RTTVAR; doubled per Backoff since the last
  // sample; within [minimum_us, maximum_us].
  constexpr std::uint32_t Timeout(std::uint32_t minimum_us,
                                  std::uint32_t maximum_us) const {
    std::uint64_t timeout = has_sample_ ? std::uint64_t{smoothed_us_} +
                                              4 * std::uint64_t{variation_us_}
                                        : minimum_us;
    if (timeout < minimum_us) timeout = minimum_us;
    timeout <<= backoff_;
    if (timeout > maximum_us) return maximum_us;
    return static_cast<std::uint32_t>(timeout);
  }

  constexpr bool has_sample() const { return has_sample_; }
  constexpr std::uint32_t smoothed_us() const { return smoothed_us_; }
  constexpr std::uint32_t variation_us() const { return variation_us_; }
  constexpr std::uint8_t backoff() const { return backoff_; }

 private:
  // 2^16 times any timeout exceeds every maximum a caller uses (and the
  // 64-bit shift cannot overflow).
  static constexpr std::uint8_t kMaxBackoff = 16;

  std::uint32_t smoothed_us_ = 0;
  std::uint32_t variation_us_ = 0;
  std::uint8_t backoff_ = 0;
  bool has_sample_ = false;
};

}  // namespace arq

#endif  // LIBS_ARQ_PUBLIC_ARQ_RTT_ESTIMATOR_H_
