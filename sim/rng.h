// Deterministic randomness for the simulator.
//
// Every random choice the harness makes (traffic, payload seeds, faults) is
// drawn from SplitMix64 streams keyed by the scenario seed, so a run is
// reproducible from its seed. Fault decisions are keyed by the frame's clear
// header rather than by arrival order: QEMU nodes run in real time and their
// frames interleave differently on every run, but frame (src, dst, epoch,
// sequence) always gets the same fate.
#ifndef SIM_RNG_H_
#define SIM_RNG_H_

#include <cstdint>
#include <initializer_list>

namespace sim {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi] (inclusive); requires lo <= hi.
  std::uint64_t Uniform(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t span = hi - lo + 1;
    return span == 0 ? Next() : lo + Next() % span;
  }

 private:
  std::uint64_t state_;
};

// Mixes several values into one seed (order matters).
inline std::uint64_t MixSeed(std::initializer_list<std::uint64_t> values) {
  std::uint64_t h = 0x6a09e667f3bcc909ull;
  for (std::uint64_t v : values) {
    SplitMix64 mix(h ^ v);
    h = mix.Next();
  }
  return h;
}

}  // namespace sim

#endif  // SIM_RNG_H_
