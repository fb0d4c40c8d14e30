// Pairwise link keys, derived on demand from the fleet secret and held in
// the crypto workspace.
//
// The key of the pair {a, b} in epoch e is
//   KDF(fleet secret, "secure-node link v1", min(a,b) || max(a,b) || e, 256)
// (PROTOCOL.md). Key slot i of the workspace and session i belong together;
// the slots hold the keys of the most recently used peers, and an evicted
// key is simply derived again. Keys never leave the node.
//
// Nonces. The workspace issues every encryption nonce itself from the key
// slot's sequence: fixed field = self || peer || 0x0000, invocation =
// epoch || sequence, which is exactly the link nonce of wire/header.h. A
// reloaded key resumes after the last sequence sent to that peer, so no
// nonce repeats under a key.
#ifndef APPS_SECURE_NODE_LINK_KEYS_H_
#define APPS_SECURE_NODE_LINK_KEYS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "workspace/workspace.h"

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
  explicit LinkKeys(workspace::WorkspaceCore& crypto) : crypto_(crypto) {}
  LinkKeys(const LinkKeys&) = delete;
  LinkKeys& operator=(const LinkKeys&) = delete;

  // Installs the fleet secret after the workspace was (re)provisioned.
  void Provision(std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
                 std::uint8_t self);
  // Wipes every loaded key (new epoch); the fleet secret stays.
  void ForgetDerived();
  // Wipes the fleet secret and forgets every slot (the workspace itself is
  // wiped by its Reprovision).
  void Wipe();

  // An active session holding the key of `peer` in `epoch`; a freshly
  // loaded key's nonces start at sequence last_sent + 1. nullopt if not
  // provisioned or the workspace refused (e.g. locked out).
  std::optional<workspace::SessionId> SessionFor(std::uint8_t peer, std::uint32_t epoch,
                                                 std::uint32_t last_sent);

  std::uint32_t derivations() const { return derivations_; }

 private:
  struct Slot {
    std::uint8_t peer = 0;  // 0: empty
    std::uint32_t epoch = 0;
    std::uint32_t last_use = 0;
  };

  workspace::WorkspaceCore& crypto_;
  std::array<std::uint8_t, kFleetSecretBytes> secret_{};
  bool provisioned_ = false;
  std::uint8_t self_ = 0;
  std::array<Slot, 16> slots_{};
  std::uint32_t clock_ = 0;
  std::uint32_t derivations_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINK_KEYS_H_
