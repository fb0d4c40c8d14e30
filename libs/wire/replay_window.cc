#include "wire/replay_window.h"

namespace wire {

ReplayWindow::Verdict ReplayWindow::Check(std::uint32_t sequence) const {
  if (sequence == 0) return Verdict::kInvalid;
  if (sequence > highest_) return Verdict::kFresh;
  const std::uint32_t age = highest_ - sequence;
  if (age >= kWindowSize) return Verdict::kTooOld;
  return (seen_ >> age) & 1u ? Verdict::kReplayed : Verdict::kFresh;
}

void ReplayWindow::Accept(std::uint32_t sequence) {
  if (sequence > highest_) {
    const std::uint32_t shift = sequence - highest_;
    seen_ = shift >= kWindowSize ? 0 : seen_ << shift;
    seen_ |= 1u;
    highest_ = sequence;
    return;
  }
  seen_ |= std::uint64_t{1} << (highest_ - sequence);
}

}  // namespace wire
