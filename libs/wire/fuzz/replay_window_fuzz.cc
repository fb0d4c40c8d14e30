// Fuzzes the replay window (wire/replay_window.h) with a sequence of
// operations: Check, Accept (only of what Check calls fresh: its
// precondition), Reset, ResumeAbove, and a Restore from the window's own
// highest() and seen(), or from arbitrary values. After every operation the
// window must judge sequences around its edge, and the operation's own,
// exactly as a reference model does: the set of accepted sequences, of
// which only the newest 64 can be told apart.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "base/fuzz_input.h"
#include "wire/replay_window.h"

namespace {

using Verdict = wire::ReplayWindow::Verdict;
constexpr std::uint32_t kWindow = wire::ReplayWindow::kWindowSize;

void Require(bool condition) {
  if (!condition) std::abort();
}

// What the window promises, written for clarity rather than speed.
class Model {
 public:
  Verdict Check(std::uint32_t sequence) const {
    if (sequence == 0) return Verdict::kInvalid;
    if (sequence > highest_) return Verdict::kFresh;
    if (highest_ - sequence >= kWindow) return Verdict::kTooOld;
    return accepted_.count(sequence) != 0 ? Verdict::kReplayed
                                          : Verdict::kFresh;
  }
  void Accept(std::uint32_t sequence) {
    accepted_.insert(sequence);
    if (sequence > highest_) highest_ = sequence;
    Forget();
  }
  void Reset() { *this = Model(); }
  // Everything up to `floor` counts as accepted.
  void ResumeAbove(std::uint32_t floor) {
    Reset();
    highest_ = floor;
    for (std::uint32_t age = 0; age < kWindow && age < floor; ++age) {
      accepted_.insert(floor - age);
    }
  }
  // Bit i of `seen` is highest - i; bit 0 counts as set.
  void Restore(std::uint32_t highest, std::uint64_t seen) {
    Reset();
    if (highest == 0) return;
    highest_ = highest;
    seen |= 1;
    for (std::uint32_t age = 0; age < kWindow && age < highest; ++age) {
      if ((seen >> age) & 1) accepted_.insert(highest - age);
    }
  }
  std::uint32_t highest() const { return highest_; }

 private:
  // Sequences that fell out of the window are kTooOld whatever the set
  // says; dropping them keeps the set small.
  void Forget() {
    while (!accepted_.empty() && highest_ - *accepted_.begin() >= kWindow) {
      accepted_.erase(accepted_.begin());
    }
  }
  std::uint32_t highest_ = 0;
  std::set<std::uint32_t> accepted_;
};

using Input = base::FuzzInput;

// A sequence near the window's edge (most operations), or anywhere.
std::uint32_t PickSequence(Input& in, std::uint32_t highest, bool absolute) {
  if (absolute) return in.Word();
  // -96..+31 around highest: inside, at and past both ends of the window.
  const int delta = static_cast<int>(in.Byte() % 128) - 96;
  return highest + static_cast<std::uint32_t>(delta);  // wraps, like u32
}

void Compare(const wire::ReplayWindow& window, const Model& model,
             std::uint32_t sequence) {
  Require(window.Check(sequence) == model.Check(sequence));
}

void CompareAround(const wire::ReplayWindow& window, const Model& model,
                   std::uint32_t sequence) {
  Require(window.highest() == model.highest());
  const std::uint32_t highest = model.highest();
  for (std::uint32_t back = 0; back <= kWindow + 1; ++back) {
    Compare(window, model, highest - back);
  }
  Compare(window, model, highest + 1);
  Compare(window, model, 0);
  Compare(window, model, 0xFFFFFFFF);
  Compare(window, model, sequence);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  Input in(data, size);
  wire::ReplayWindow window;
  Model model;
  while (!in.empty()) {
    const std::uint8_t op = in.Byte();
    const bool absolute = (op & 0x80) != 0;
    std::uint32_t sequence = 0;
    switch (op % 8) {
      case 0:
      case 1:
      case 2:  // the common path: a frame arrives and, if fresh, is taken
        sequence = PickSequence(in, model.highest(), absolute);
        Compare(window, model, sequence);
        if (window.Check(sequence) == Verdict::kFresh) {
          window.Accept(sequence);
          model.Accept(sequence);
        }
        break;
      case 3:  // checked only, e.g. a forged frame that never authenticates
        sequence = PickSequence(in, model.highest(), absolute);
        Compare(window, model, sequence);
        break;
      case 4:
        window.Reset();
        model.Reset();
        break;
      case 5:
        sequence = PickSequence(in, model.highest(), absolute);
        window.ResumeAbove(sequence);
        model.ResumeAbove(sequence);
        break;
      case 6: {  // persisted and restored across a reboot
        const std::uint32_t highest = window.highest();
        const std::uint64_t seen = window.seen();
        window = wire::ReplayWindow::Restore(highest, seen);
        break;
      }
      case 7: {  // a persisted state from anywhere (a corrupted record)
        const std::uint32_t highest = PickSequence(in, 0, absolute);
        const std::uint64_t seen = in.Word64();
        window = wire::ReplayWindow::Restore(highest, seen);
        model.Restore(highest, seen);
        break;
      }
    }
    CompareAround(window, model, sequence);
  }
  return 0;
}
