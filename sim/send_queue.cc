#include "sim/send_queue.h"

#include <algorithm>

namespace sim {

void SendQueue::Plan(std::size_t message, absl::Duration at) {
  planned_.emplace_back(message, at);
}

std::optional<std::size_t> SendQueue::Take(absl::Time now, absl::Time start) {
  if (!retries_.empty() && retries_.begin()->first.first <= now) {
    const std::size_t message = retries_.begin()->second;
    retries_.erase(retries_.begin());
    return message;
  }
  if (!planned_.empty() && start + planned_.front().second <= now) {
    const std::size_t message = planned_.front().first;
    planned_.pop_front();
    return message;
  }
  return std::nullopt;
}

void SendQueue::Defer(std::size_t message, absl::Time until) {
  retries_.emplace(std::make_pair(until, order_++), message);
}

std::optional<absl::Time> SendQueue::NextDue(absl::Time start) const {
  std::optional<absl::Time> next;
  if (!retries_.empty()) next = retries_.begin()->first.first;
  if (!planned_.empty()) {
    const absl::Time planned = start + planned_.front().second;
    next = next ? std::min(*next, planned) : planned;
  }
  return next;
}

}  // namespace sim
