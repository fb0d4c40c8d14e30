// Pairwise link keys, derived on demand from the fleet secret and cached.
//
// The key of the pair {a, b} in epoch e is
//   KDF(fleet secret, "secure-node link v1", min(a,b) || max(a,b) || e, 256)
// (PROTOCOL.md). Derivation costs a few AES-CMAC blocks plus an AES-GCM key
// schedule, so the keys of recently used peers stay expanded in a small
// cache; an evicted key is simply derived again. Keys never leave the node.
#ifndef APPS_SECURE_NODE_LINK_KEYS_H_
#define APPS_SECURE_NODE_LINK_KEYS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/aes_gcm.h"

namespace secure_node {

inline constexpr std::size_t kFleetSecretBytes = 32;
inline constexpr std::size_t kLinkKeyBytes = 32;
inline constexpr std::string_view kLinkKeyLabel = "secure-node link v1";

// The raw 32-byte key of a pair in an epoch (also used by host tools and
// tests that must know the key). Returns false if derivation failed.
bool DerivePairKey(std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
                   std::uint8_t node_a, std::uint8_t node_b, std::uint32_t epoch,
                   std::span<std::uint8_t, kLinkKeyBytes> key);

class LinkKeys {
 public:
  // Expanded keys kept at once: a fleet of up to kCachedPeers + 1 nodes
  // never re-derives a key within an epoch.
  static constexpr std::size_t kCachedPeers = 16;

  LinkKeys() = default;
  LinkKeys(const LinkKeys&) = delete;
  LinkKeys& operator=(const LinkKeys&) = delete;

  // Installs the fleet secret; wipes every derived key.
  void Provision(std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
                 std::uint8_t self);
  // Drops every derived key (new epoch) without forgetting the secret.
  void ForgetDerived();
  // Wipes everything, including the fleet secret.
  void Wipe();

  // The AES-GCM key for talking to `peer` in `epoch`; nullptr if not
  // provisioned or derivation failed.
  const crypto::AesGcm* For(std::uint8_t peer, std::uint32_t epoch);

  std::uint32_t derivations() const { return derivations_; }

 private:
  struct Slot {
    crypto::AesGcm gcm;
    std::uint8_t peer = 0;  // 0: empty
    std::uint32_t epoch = 0;
    std::uint32_t last_use = 0;
  };

  std::array<std::uint8_t, kFleetSecretBytes> secret_{};
  bool provisioned_ = false;
  std::uint8_t self_ = 0;
  std::array<Slot, kCachedPeers> slots_;
  std::uint32_t clock_ = 0;
  std::uint32_t derivations_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINK_KEYS_H_
