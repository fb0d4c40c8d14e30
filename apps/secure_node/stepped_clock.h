// The node's clock: the board's, until the trusted console asks the node to
// follow time it is given instead (`CLOCK step`, PROTOCOL.md "Console").
//
// Why: a fleet run is repeatable only if the only things that decide a
// message's fate are the scenario and the seed. A node's retransmission
// timer on the board clock follows the host, so on a loaded host a sender
// times out while its ACK is still on the way and the outcome table changes
// (sim/README.md, "Repeatable mode"). On a stepped clock time stands still
// until the harness advances it, which it does only once every frame in
// flight has been handled: timers then fire at the same point of every run.
//
// What it does not change: nonces and replay decisions never depend on
// time (freshness.h), so a console that stops or races the clock can delay
// retransmissions and quarantine expiry, never reuse a nonce or accept a
// replay. The console is the trusted provisioning channel that also
// carries link roots.
//
// Monotonic by construction: stepping starts at the board's current
// reading and only moves forward; there is no way back to the board clock
// short of a reboot (it could be behind the stepped time).
#ifndef APPS_SECURE_NODE_STEPPED_CLOCK_H_
#define APPS_SECURE_NODE_STEPPED_CLOCK_H_

#include <cstdint>
#include <limits>

#include "base/clock.h"

namespace secure_node {

class SteppedClock final : public base::Clock {
 public:
  explicit SteppedClock(const base::Clock& board) : board_(board) {}

  std::uint64_t NowMicroseconds() const override {
    return stepped_ ? now_ : board_.NowMicroseconds();
  }

  bool stepped() const { return stepped_; }

  // From now on time moves only through Advance(). Idempotent.
  void Step() {
    if (stepped_) return;
    now_ = board_.NowMicroseconds();
    stepped_ = true;
  }

  // Moves stepped time forward. False, and nothing changes, when the clock
  // is not stepped or the sum would wrap.
  [[nodiscard]] bool Advance(std::uint64_t micros) {
    if (!stepped_) return false;
    if (micros > std::numeric_limits<std::uint64_t>::max() - now_) return false;
    now_ += micros;
    return true;
  }

 private:
  const base::Clock& board_;
  bool stepped_ = false;
  std::uint64_t now_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_STEPPED_CLOCK_H_
