// Per-peer replay protection: a sliding window over sequence numbers
// (the scheme of IPsec's anti-replay window, RFC 4303 section 3.4.3).
//
// The window remembers the highest sequence accepted and which of the 64
// before it were seen. A frame is fresh if it is newer than the highest, or
// within the window and not yet seen. Check() before decrypting, Accept()
// only after the frame authenticated, so a forged frame can never move the
// window.
#ifndef LIBS_WIRE_PUBLIC_WIRE_REPLAY_WINDOW_H_
#define LIBS_WIRE_PUBLIC_WIRE_REPLAY_WINDOW_H_

#include <cstdint>

namespace wire {

class ReplayWindow {
 public:
  static constexpr std::uint32_t kWindowSize = 64;

  enum class Verdict {
    kFresh,     // not seen, within or ahead of the window
    kReplayed,  // already accepted
    kTooOld,    // older than the window can tell
    kInvalid,   // sequence 0
  };

  Verdict Check(std::uint32_t sequence) const;

  // Records `sequence` as accepted. Requires Check(sequence) == kFresh.
  void Accept(std::uint32_t sequence);

  // Forgets everything (new key epoch).
  void Reset() { *this = ReplayWindow(); }

  // Starts a window that refuses every sequence up to and including
  // `floor`, as if all of them had been accepted: used after a reboot, when
  // the persisted highest accepted sequence is known but the bitmap of the
  // 64 before it is not. Frames from before the reboot can then never be
  // delivered again; a frame that was still in flight below the floor is
  // refused (kReplayed or kTooOld) and lost.
  void ResumeAbove(std::uint32_t floor) {
    highest_ = floor;
    seen_ = floor == 0 ? 0 : ~std::uint64_t{0};
  }

  // The whole state, for persisting it beside the highest sequence: a
  // window rebuilt with Restore(highest(), seen()) judges every sequence as
  // this one does, so after a reboot a retransmission inside the window that
  // was never accepted is still fresh (ResumeAbove, knowing only the
  // highest, must refuse it). 12 bytes per peer instead of 4.
  std::uint64_t seen() const { return seen_; }

  // The window whose state was (highest, seen). Bit 0 stands for `highest`
  // itself and is set whenever highest != 0; with highest == 0 the window
  // is empty whatever `seen` says.
  static ReplayWindow Restore(std::uint32_t highest, std::uint64_t seen) {
    ReplayWindow window;
    window.highest_ = highest;
    window.seen_ = highest == 0 ? 0 : seen | 1u;
    return window;
  }

  std::uint32_t highest() const { return highest_; }

 private:
  std::uint32_t highest_ = 0;  // 0: nothing accepted yet
  // Bit i set: sequence highest_ - i was accepted (bit 0 is highest_).
  std::uint64_t seen_ = 0;
};

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_REPLAY_WINDOW_H_
