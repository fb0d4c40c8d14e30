// When a sender retransmits an unacknowledged frame, and when it gives up.
//
// A frame goes out at most max_transmissions times. After its n-th
// transmission the sender waits Timeout(n) = min(first_timeout_us * 2^(n-1),
// max_timeout_us) for the acknowledgement (exponential backoff, so a
// congested or dead peer is probed less and less often), then sends the
// identical frame again or, after the last one, reports the message failed.
#ifndef LIBS_ARQ_PUBLIC_ARQ_RETRANSMIT_POLICY_H_
#define LIBS_ARQ_PUBLIC_ARQ_RETRANSMIT_POLICY_H_

#include <cstdint>

#include "arq/status.h"
#include "base/status.h"

namespace arq {

struct RetransmitPolicy {
  std::uint32_t first_timeout_us = 0;
  std::uint32_t max_timeout_us = 0;
  std::uint8_t max_transmissions = 0;  // including the first

  // kInvalidPolicy unless 0 < first_timeout_us <= max_timeout_us and
  // max_transmissions >= 1.
  constexpr base::Status Validate() const {
    if (first_timeout_us == 0 || max_timeout_us < first_timeout_us ||
        max_transmissions == 0) {
      return Code::kInvalidPolicy;
    }
    return base::OkStatus();
  }

  // The wait after the `transmissions`-th transmission (>= 1) when the
  // first wait is `first_us` (an estimated timeout, rtt_estimator.h; by
  // default first_timeout_us): doubling, capped at max_timeout_us.
  constexpr std::uint32_t Timeout(std::uint8_t transmissions,
                                  std::uint32_t first_us = 0) const {
    std::uint64_t timeout = first_us != 0 ? first_us : first_timeout_us;
    for (std::uint8_t n = 1; n < transmissions && timeout < max_timeout_us;
         ++n) {
      timeout *= 2;
    }
    return timeout < max_timeout_us ? static_cast<std::uint32_t>(timeout)
                                    : max_timeout_us;
  }

  // How long a message stays unacknowledged before it fails: the sum of
  // the waits after each transmission from a first wait of `first_us`
  // (default first_timeout_us), each lengthened by the entry's line time
  // (SendWindow::Admit). The worst case, whatever the estimate, is
  // LifetimeUs(max_timeout_us, line_time_us).
  constexpr std::uint64_t LifetimeUs(std::uint32_t first_us = 0,
                                     std::uint32_t line_time_us = 0) const {
    std::uint64_t total = 0;
    for (std::uint8_t n = 1; n <= max_transmissions; ++n) {
      total += Timeout(n, first_us) + line_time_us;
    }
    return total;
  }
};

}  // namespace arq

#endif  // LIBS_ARQ_PUBLIC_ARQ_RETRANSMIT_POLICY_H_
