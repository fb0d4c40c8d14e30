// The node's link keys: a bundle of per-pair root keys, and the per-epoch
// keys derived from them in the crypto workspace.
//
// Key hierarchy (PROTOCOL.md, "Keys"):
//   root(a, b)     = KDF(fleet secret, "secure-node pair root v1", min || max)
//   key(a, b, e)   = KDF(root(a, b), "secure-node link v2", e (u32 BE))
// Roots are made on the host by the provisioning tool (tools/provision) from
// the fleet secret, which never reaches a node. A node holds only the roots
// of its own links, so a node taken apart exposes those links and no others;
// and since every epoch key is derived from a root, ROTATE does not recover a
// link whose root was extracted (re-provision that link with a new root).
//
// Roots persist in the record store (stored_records.h), so a rebooted node
// rejoins by itself. Epoch keys live only in workspace key slots: slot i and
// session i belong together; the slots hold the keys of the most recently
// used peers, and an evicted key is derived again.
//
// Nonces. The link owns the counter: Node seals each frame with the
// invocation epoch || sequence of its header (wire::FrameInvocation), the
// sequence coming from Freshness, and the key slot's fixed field is
// self || peer || 0x0000, so the nonce is exactly the link nonce of
// wire/header.h. The workspace enforces: it refuses an invocation that is
// not above every one used under the loaded key. A freshly loaded key's
// floor is the last sequence sent to that peer (the caller's, see
// freshness.h), and its rotation budget resumes where the key left it, so
// neither restarts when a slot is reused.
#ifndef APPS_SECURE_NODE_LINK_KEYS_H_
#define APPS_SECURE_NODE_LINK_KEYS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "apps/secure_node/node_resources.h"
#include "base/status.h"
#include "storage/record_store.h"
#include "workspace/workspace.h"

namespace secure_node {

inline constexpr std::size_t kFleetSecretBytes = 32;
inline constexpr std::size_t kLinkKeyBytes = 32;
inline constexpr std::string_view kPairRootLabel = "secure-node pair root v1";
inline constexpr std::string_view kLinkKeyLabel = "secure-node link v2";

// root(a, b): host side only (the provisioning tool, tests).
bool DerivePairRoot(
    std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
    std::uint8_t node_a, std::uint8_t node_b,
    std::span<std::uint8_t, kLinkKeyBytes> root);
// key(a, b, e) from root(a, b). Returns false if derivation failed.
bool DeriveEpochKey(std::span<const std::uint8_t, kLinkKeyBytes> root,
                    std::uint32_t epoch,
                    std::span<std::uint8_t, kLinkKeyBytes> key);

class LinkKeys {
 public:
  static constexpr std::size_t kMaxLinks = 64;
  // One per workspace key slot (the node's sizing, node_resources.h).
  static constexpr std::size_t kKeySlots = kPeerKeySlots;

  enum class LinkError : std::uint8_t {
    kOk,
    kBadPeer,
    kTooManyLinks,
    kStorageFailed
  };

  LinkKeys(workspace::WorkspaceCore& crypto, storage::RecordStoreCore& store)
      : crypto_(crypto), store_(store) {}
  LinkKeys(const LinkKeys&) = delete;
  LinkKeys& operator=(const LinkKeys&) = delete;

  // Loads every root in the store for a node whose id is `self`. A refusal
  // of the store (storage::StoreCode); a root of the wrong size is
  // kBufferTooSmall.
  base::Status Load(std::uint8_t self);
  // Sets the node's own id before links are installed (PROVISION).
  void SetSelf(std::uint8_t self) { self_ = self; }
  // Installs (or replaces) the root of the link to `peer`: persisted first,
  // then held in RAM. Any key derived from an old root is forgotten.
  LinkError Install(std::uint8_t peer,
                    std::span<const std::uint8_t, kLinkKeyBytes> root);
  bool HasLink(std::uint8_t peer) const { return Find(peer) != nullptr; }
  std::size_t link_count() const;

  // Forgets every derived key (new epoch); roots stay.
  void ForgetDerived();
  // Wipes every root and derived key from RAM and scrubs every root from
  // the store (RESET, lockout). The workspace itself is wiped by its
  // Reprovision. Ok, or the store's first refusal (the wipe goes on).
  base::Status WipeAll();
  // Wipes every root and derived key from RAM only; the store keeps them
  // (a node that cannot trust what it read must not destroy its bundle).
  void WipeRam();

  // An active session holding key(self, peer, epoch); a freshly loaded
  // key refuses every sequence up to last_sent. nullopt if there is no
  // link to `peer` or the workspace refused (e.g. locked out).
  std::optional<workspace::SessionId> SessionFor(std::uint8_t peer,
                                                 std::uint32_t epoch,
                                                 std::uint32_t last_sent);

  std::uint32_t derivations() const { return derivations_; }

 private:
  struct Link {
    std::uint8_t peer = 0;  // 0: empty
    std::array<std::uint8_t, kLinkKeyBytes> root{};
    // The rotation budget the link's current epoch key has used, saved
    // when its slot is reused (valid while usage_epoch == the slot's).
    bool usage_saved = false;
    std::uint32_t usage_epoch = 0;
    workspace::KeyUsage usage;
  };
  struct Slot {
    std::uint8_t peer = 0;  // 0: empty
    std::uint32_t epoch = 0;
    std::uint32_t last_use = 0;
  };

  const Link* Find(std::uint8_t peer) const;
  Link* Find(std::uint8_t peer);
  // Saves the usage of the key in slot `index` into its link before the
  // slot is reused.
  void SaveUsage(std::size_t index);

  workspace::WorkspaceCore& crypto_;
  storage::RecordStoreCore& store_;
  std::uint8_t self_ = 0;
  std::array<Link, kMaxLinks> links_{};
  std::array<Slot, kKeySlots> slots_{};
  std::uint32_t clock_ = 0;
  std::uint32_t derivations_ = 0;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINK_KEYS_H_
