// Message payloads the fleet harness can predict, and their fingerprint.
//
// The harness never sends plaintext to a node: it sends a seed, and the node
// generates the payload (PROTOCOL.md, "The payload of SEND"). So the harness
// knows every plaintext byte and can scan the wire for it, and the receiver
// reports an FNV-1a fingerprint the harness can check.
#ifndef APPS_SECURE_NODE_PAYLOAD_H_
#define APPS_SECURE_NODE_PAYLOAD_H_

#include <cstdint>
#include <span>

namespace secure_node {

// Fills `out` with the xorshift32 stream of `seed` (seed 0 means 0x9e3779b9).
void GeneratePayload(std::uint32_t seed, std::span<std::uint8_t> out);

// FNV-1a, 32-bit: not a security function, a content fingerprint for the
// harness's accounting.
std::uint32_t Fnv1a32(std::span<const std::uint8_t> data);

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_PAYLOAD_H_
