// The one pseudo-random generator of the tests: xorshift64* (Vigna), small,
// seedable and identical on the host and the boards, so that a failing
// randomized test replays the same inputs everywhere. Not for keys, nonces
// or anything else that must be unpredictable.
#ifndef LIBS_BASE_PUBLIC_BASE_TEST_RNG_H_
#define LIBS_BASE_PUBLIC_BASE_TEST_RNG_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace base {

class TestRng {
 public:
  // Seed 0 would stay 0 forever; it is replaced by a fixed odd constant.
  constexpr explicit TestRng(std::uint64_t seed)
      : state_(seed != 0 ? seed : 0x9e3779b97f4a7c15ull) {}

  constexpr std::uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545f4914f6cdd1dull;
  }
  // Uniform enough in [0, n) for test purposes; n > 0.
  constexpr std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(Next() % n);
  }
  constexpr bool OneIn(std::uint32_t n) { return Below(n) == 0; }

  // The high byte of each step (the best mixed bits of xorshift64*).
  void Fill(std::span<std::uint8_t> out) {
    for (std::uint8_t& byte : out)
      byte = static_cast<std::uint8_t>(Next() >> 56);
  }
  void Fill(std::uint8_t* p, std::size_t n) { Fill({p, n}); }
  std::vector<std::uint8_t> Bytes(std::size_t n) {
    std::vector<std::uint8_t> bytes(n);
    Fill(bytes);
    return bytes;
  }

 private:
  std::uint64_t state_;
};

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_TEST_RNG_H_
