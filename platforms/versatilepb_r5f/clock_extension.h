// Extends the Versatile PB's 32-bit microsecond timer to 64 bits without
// depending on how often it is read.
//
// The SP804 counts microseconds in 32 bits and wraps every 2^32 us (about
// 71.6 minutes). Counting wraps by noticing the count went down loses 71.6
// minutes for every wrap nobody saw. The PL031 RTC counts whole seconds in
// 32 bits (wraps in 136 years) and so tells, to within a second, how long it
// has been since the previous reading; the timer tells the exact
// microseconds modulo 2^32. Of the candidate elapsed times
// `timer delta + n * 2^32` the right one is the one nearest the RTC's
// estimate: the estimate is off by less than a second (each reading is
// truncated to whole seconds) plus the drift between the two clocks over
// the gap, and the candidates are 4295 s apart, so the choice is right
// unless the clocks disagree by half a wrap (2147 s) over one gap. Under
// QEMU both count virtual time (`-rtc clock=vm`, run_firmware.sh): no drift.
// On hardware, two crystals 100 ppm apart would need a gap of 248 days.
//
// Each reading is anchored on the previous one, so errors never add up, and
// the result is the previous time plus a non-negative amount: it never goes
// backwards. If the RTC reads less than at the previous call (someone set
// it back) there is no estimate and no wrap is added, as before.
#ifndef PLATFORMS_VERSATILEPB_R5F_CLOCK_EXTENSION_H_
#define PLATFORMS_VERSATILEPB_R5F_CLOCK_EXTENSION_H_

#include <cstdint>

namespace board::versatilepb {

// The previous reading: the 64-bit time, whose low 32 bits are the timer's
// elapsed count then, and the RTC seconds read with it.
struct ClockReading {
  std::uint64_t micros;
  std::uint32_t rtc_seconds;
};

inline constexpr std::uint64_t kTimerWrapMicros = std::uint64_t{1} << 32;

// The 64-bit time now, given the previous reading, the timer's elapsed
// count now (microseconds modulo 2^32) and the RTC now.
constexpr std::uint64_t ExtendTimer(const ClockReading& previous,
                                    std::uint32_t timer_elapsed,
                                    std::uint32_t rtc_seconds) {
  // Forward distance on the timer, modulo one wrap.
  const std::uint32_t timer_delta =
      timer_elapsed - static_cast<std::uint32_t>(previous.micros);
  const auto rtc_delta =
      static_cast<std::int32_t>(rtc_seconds - previous.rtc_seconds);
  std::uint64_t wraps = 0;
  if (rtc_delta > 0) {
    const std::uint64_t estimate =
        static_cast<std::uint64_t>(rtc_delta) * 1'000'000u;
    // Nearest n with timer_delta + n * 2^32 ~ estimate (n >= 0).
    if (estimate > timer_delta) {
      wraps =
          (estimate - timer_delta + kTimerWrapMicros / 2) / kTimerWrapMicros;
    }
  }
  return previous.micros + timer_delta + wraps * kTimerWrapMicros;
}

}  // namespace board::versatilepb

#endif  // PLATFORMS_VERSATILEPB_R5F_CLOCK_EXTENSION_H_
