// The fleet's key material as the harness sees it. The harness provisions
// the fleet secret over the trusted console, so it can derive every pairwise
// link key exactly as the nodes do and then prove none of them ever appears
// on the untrusted network.
#ifndef SIM_KEYS_H_
#define SIM_KEYS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace sim {

using Key256 = std::array<std::uint8_t, 32>;

// A fleet secret drawn deterministically from the scenario seed: a simulated
// fleet needs reproducibility, not secrecy from whoever reads the seed.
Key256 FleetSecretFromSeed(std::uint64_t seed);

// The root key of pair {a, b}: what the harness provisions to both ends
// with LINK (PROTOCOL.md, "Keys").
absl::StatusOr<Key256> DerivePairRoot(const Key256& fleet_secret,
                                      std::uint8_t a, std::uint8_t b);

// The key of pair {a, b} in `epoch`, derived from the pair's root.
absl::StatusOr<Key256> DerivePairKey(const Key256& fleet_secret, std::uint8_t a,
                                     std::uint8_t b, std::uint32_t epoch);

// Lowercase hex, as LINK expects.
std::string ToHex(const Key256& key);

}  // namespace sim

#endif  // SIM_KEYS_H_
