// The harness's own model of message payloads (PROTOCOL.md, "The payload of
// SEND"). Deliberately independent of the firmware's implementation: the
// harness checks the node against the specification, not against itself.
#ifndef SIM_PAYLOAD_H_
#define SIM_PAYLOAD_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace sim {

// The xorshift32 byte stream of `seed` (seed 0 means 0x9e3779b9).
std::vector<std::uint8_t> GeneratePayload(std::uint32_t seed, std::size_t size);

// FNV-1a 32: the fingerprint a receiver reports in its RX line.
std::uint32_t Fnv1a32(std::span<const std::uint8_t> data);

}  // namespace sim

#endif  // SIM_PAYLOAD_H_
