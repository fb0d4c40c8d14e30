// The Versatile PB clock's wrap reconstruction (clock_extension.h), driven
// by a simulated timer and RTC: time is kept across idle gaps far longer
// than the timer's 71.6-minute wrap, whatever the RTC's phase.
#include "platforms/versatilepb_r5f/clock_extension.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace board::versatilepb {
namespace {

constexpr std::uint64_t kSecond = 1'000'000;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;
constexpr std::uint64_t kDay = 24 * kHour;

// A board: true time since the timer started, the timer's elapsed count
// (true time modulo 2^32) and an RTC that started at `rtc_start` seconds
// with its second boundary `rtc_phase` microseconds into the timer's first
// second (both arbitrary on a real board).
class SimulatedBoard {
 public:
  SimulatedBoard(std::uint32_t rtc_start, std::uint64_t rtc_phase)
      : rtc_start_(rtc_start), rtc_phase_(rtc_phase) {
    reading_ = {.micros = TimerElapsed(), .rtc_seconds = Rtc()};
  }

  void Advance(std::uint64_t micros) { now_ += micros; }

  // What MonotonicMicroseconds() does.
  std::uint64_t Read() {
    const std::uint32_t rtc = Rtc();
    reading_ = {.micros = ExtendTimer(reading_, TimerElapsed(), rtc),
                .rtc_seconds = rtc};
    return reading_.micros;
  }

  std::uint64_t now() const { return now_; }

 private:
  std::uint32_t TimerElapsed() const {
    return static_cast<std::uint32_t>(now_);
  }
  std::uint32_t Rtc() const {
    return static_cast<std::uint32_t>(rtc_start_ +
                                      (now_ + kSecond - rtc_phase_) / kSecond);
  }

  std::uint64_t now_ = 0;
  std::uint32_t rtc_start_;
  std::uint64_t rtc_phase_;
  ClockReading reading_{};
};

TEST(ClockExtensionTest, ShortStepsNeedNoRtc) {
  SimulatedBoard board(1'700'000'000, 0);
  for (int i = 0; i < 1000; ++i) {
    board.Advance(7'919);
    EXPECT_EQ(board.Read(), board.now());
  }
}

// The old wrap counting lost exactly one wrap per unobserved wrap: after a
// 2-hour gap it would have read 2 h - 71.6 min.
TEST(ClockExtensionTest, KeepsTimeAcrossIdleGapsLongerThanAWrap) {
  for (const std::uint64_t phase :
       {std::uint64_t{0}, std::uint64_t{1}, kSecond / 2, kSecond - 1}) {
    for (const std::uint64_t gap :
         {kTimerWrapMicros - 1, kTimerWrapMicros, kTimerWrapMicros + 1,
          2 * kHour, 2 * kTimerWrapMicros - kSecond / 3, 10 * kHour, kDay,
          100 * kDay}) {
      SimulatedBoard board(12'345, phase);
      board.Advance(1234);
      ASSERT_EQ(board.Read(), board.now());
      board.Advance(gap);
      EXPECT_EQ(board.Read(), board.now())
          << "gap " << gap << " us, phase " << phase << " us";
      board.Advance(1);
      EXPECT_EQ(board.Read(), board.now());
    }
  }
}

// A timer reading just past a wrap boundary and one just before it differ
// by a whole wrap; the RTC, a second coarse, must still pick the right one.
TEST(ClockExtensionTest, GapsEndingNextToAWrapBoundary) {
  for (std::uint64_t wraps = 1; wraps <= 3; ++wraps) {
    for (const std::int64_t offset : {-2'000'000, -1, 0, 1, 2'000'000}) {
      SimulatedBoard board(0, kSecond / 3);
      const std::uint64_t target = wraps * kTimerWrapMicros + offset;
      board.Advance(target);
      EXPECT_EQ(board.Read(), target);
    }
  }
}

// Both the timer's and the RTC's counters wrap; neither disturbs the
// result.
TEST(ClockExtensionTest, RtcCounterWrapIsHarmless) {
  SimulatedBoard board(0xffff'ffffu - 100, 0);
  board.Advance(3 * kHour);
  EXPECT_EQ(board.Read(), board.now());
  board.Advance(5 * kHour);
  EXPECT_EQ(board.Read(), board.now());
}

TEST(ClockExtensionTest, ManyGapsDoNotAccumulateError) {
  SimulatedBoard board(42, 123'456);
  std::uint64_t gap = 999'983;
  for (int i = 0; i < 200; ++i) {
    gap = gap * 7 % (3 * kTimerWrapMicros) + 1;
    board.Advance(gap);
    ASSERT_EQ(board.Read(), board.now()) << "step " << i;
  }
}

// An RTC that disagrees with the timer (set back, or drifted) never makes
// the clock go backwards.
TEST(ClockExtensionTest, NeverGoesBackwards) {
  const ClockReading previous = {.micros = 5 * kTimerWrapMicros + 1000,
                                 .rtc_seconds = 50'000};
  // RTC set back by an hour: no wraps assumed, the timer delta still counts.
  EXPECT_EQ(ExtendTimer(previous, 3000, 50'000 - 3600), previous.micros + 2000);
  // RTC unchanged: same.
  EXPECT_EQ(ExtendTimer(previous, 1000, 50'000), previous.micros);
  // The timer just behind the previous reading means nearly a whole wrap
  // went by, never a step back.
  EXPECT_EQ(ExtendTimer(previous, 999, 50'000 + 4294),
            previous.micros + kTimerWrapMicros - 1);
}

}  // namespace
}  // namespace board::versatilepb
