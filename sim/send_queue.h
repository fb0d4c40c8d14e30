// One node's messages waiting to be offered to it (SEND): the planned ones
// in schedule order, and those the node answered BUSY, each waiting out a
// short back-off before it is offered again. BUSY is backpressure (the
// peer's window of unacknowledged messages is full, or no frame buffer is
// free): the node took nothing, so the message is never lost, only late.
#ifndef SIM_SEND_QUEUE_H_
#define SIM_SEND_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>

#include "absl/time/time.h"

namespace sim {

class SendQueue {
 public:
  // Long enough for an acknowledgement or two to free a window slot (a
  // small frame's round trip is tens of milliseconds under emulation),
  // short enough not to idle a link.
  static constexpr absl::Duration kBusyBackoff = absl::Milliseconds(75);

  // Appends planned message `message`, due `at` after the schedule's start.
  void Plan(std::size_t message, absl::Duration at);

  // The next message to offer at `now` with the schedule started at
  // `start`, and removes it: a re-offer whose back-off passed first (it is
  // older), else the next planned message if due.
  std::optional<std::size_t> Take(absl::Time now, absl::Time start);

  // The node answered `message` BUSY at `now`.
  void Busy(std::size_t message, absl::Time now) {
    Defer(message, now + kBusyBackoff);
  }
  // Offers `message` no earlier than `until` (its peer or its node said
  // BUSY to another message: offering this one now would be refused too).
  void Defer(std::size_t message, absl::Time until);

  // When Take will next have something (with the schedule started at
  // `start`); nullopt when empty.
  std::optional<absl::Time> NextDue(absl::Time start) const;

  bool empty() const { return planned_.empty() && retries_.empty(); }
  std::size_t size() const { return planned_.size() + retries_.size(); }
  std::size_t waiting_after_busy() const { return retries_.size(); }

 private:
  std::deque<std::pair<std::size_t, absl::Duration>> planned_;
  // (due, order) -> message; order keeps equal due times first-in first-out.
  std::map<std::pair<absl::Time, std::uint64_t>, std::size_t> retries_;
  std::uint64_t order_ = 0;
};

}  // namespace sim

#endif  // SIM_SEND_QUEUE_H_
