#include "apps/secure_node/link_keys.h"

#include "apps/secure_node/stored_records.h"
#include "base/byte_order.h"
#include "base/secure_wipe.h"
#include "kdf/kdf.h"

namespace secure_node {
namespace {

bool Derive(std::span<const std::uint8_t, kLinkKeyBytes> input,
            std::string_view label, std::span<const std::uint8_t> context,
            std::span<std::uint8_t, kLinkKeyBytes> out) {
  const auto* label_bytes = reinterpret_cast<const std::uint8_t*>(label.data());
  return kdf::DeriveKey(input, std::span(label_bytes, label.size()), context,
                        out)
      .ok();
}

}  // namespace

bool DerivePairRoot(
    std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
    std::uint8_t node_a, std::uint8_t node_b,
    std::span<std::uint8_t, kLinkKeyBytes> root) {
  const std::uint8_t context[2] = {node_a < node_b ? node_a : node_b,
                                   node_a < node_b ? node_b : node_a};
  return Derive(fleet_secret, kPairRootLabel, context, root);
}

bool DeriveEpochKey(std::span<const std::uint8_t, kLinkKeyBytes> root,
                    std::uint32_t epoch,
                    std::span<std::uint8_t, kLinkKeyBytes> key) {
  return Derive(root, kLinkKeyLabel, base::Be32Bytes(epoch), key);
}

base::Status LinkKeys::Load(std::uint8_t self) {
  self_ = self;
  std::size_t next = 0;
  for (std::size_t peer = 1; peer < 255 && next < links_.size(); ++peer) {
    Link& link = links_[next];
    std::size_t size = 0;
    const base::Status status = store_.Read(
        records::LinkRoot(static_cast<std::uint8_t>(peer)), link.root, size);
    if (status == storage::StoreCode::kNotFound) continue;
    if (!status.ok() || size != kLinkKeyBytes) {
      base::SecureWipe(link.root.data(), link.root.size());
      return status.ok() ? storage::StoreCode::kBufferTooSmall : status;
    }
    link.peer = static_cast<std::uint8_t>(peer);
    ++next;
  }
  return base::OkStatus();
}

const LinkKeys::Link* LinkKeys::Find(std::uint8_t peer) const {
  if (peer == 0) return nullptr;
  for (const Link& link : links_) {
    if (link.peer == peer) return &link;
  }
  return nullptr;
}

LinkKeys::Link* LinkKeys::Find(std::uint8_t peer) {
  return const_cast<Link*>(static_cast<const LinkKeys*>(this)->Find(peer));
}

std::size_t LinkKeys::link_count() const {
  std::size_t count = 0;
  for (const Link& link : links_) count += link.peer != 0 ? 1 : 0;
  return count;
}

LinkKeys::LinkError LinkKeys::Install(
    std::uint8_t peer, std::span<const std::uint8_t, kLinkKeyBytes> root) {
  if (peer == 0 || peer == 255 || peer == self_) return LinkError::kBadPeer;
  Link* link = Find(peer);
  for (std::size_t i = 0; link == nullptr && i < links_.size(); ++i) {
    if (links_[i].peer == 0) link = &links_[i];
  }
  if (link == nullptr) return LinkError::kTooManyLinks;
  if (!store_.Scrub(records::LinkRoot(peer)).ok() ||
      !store_.Write(records::LinkRoot(peer), root).ok()) {
    return LinkError::kStorageFailed;
  }
  // A replaced root: the old root's derived keys must not be used again.
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].peer != peer) continue;
    (void)crypto_.ClearKey(workspace::KeySlotId{static_cast<std::uint16_t>(i)});
    slots_[i] = Slot{};
  }
  *link = Link{};
  link->peer = peer;
  for (std::size_t i = 0; i < kLinkKeyBytes; ++i) link->root[i] = root[i];
  return LinkError::kOk;
}

void LinkKeys::ForgetDerived() {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].peer != 0) {
      (void)crypto_.ClearKey(
          workspace::KeySlotId{static_cast<std::uint16_t>(i)});
    }
    slots_[i] = Slot{};
  }
  for (Link& link : links_) link.usage_saved = false;
}

void LinkKeys::WipeRam() {
  ForgetDerived();
  for (Link& link : links_) base::SecureWipe(&link, sizeof(link));
  self_ = 0;
}

base::Status LinkKeys::WipeAll() {
  WipeRam();
  // Every root the store holds, also of links RAM never had (e.g. beyond
  // kMaxLinks): its old copies in flash are zeroed, not just superseded.
  base::Status first_refusal;
  for (std::size_t peer = 1; peer < 255; ++peer) {
    const auto key = records::LinkRoot(static_cast<std::uint8_t>(peer));
    std::array<std::uint8_t, 1> probe;
    std::size_t size = 0;
    if (store_.Read(key, probe, size) == storage::StoreCode::kNotFound)
      continue;
    const base::Status status = store_.Scrub(key);
    if (first_refusal.ok()) first_refusal = status;
  }
  return first_refusal;
}

void LinkKeys::SaveUsage(std::size_t index) {
  Link* link = Find(slots_[index].peer);
  if (link == nullptr) return;
  const auto status = crypto_.KeyStatus(
      workspace::KeySlotId{static_cast<std::uint16_t>(index)});
  if (!status.ok() || !status.value().loaded) return;
  link->usage_saved = true;
  link->usage_epoch = slots_[index].epoch;
  link->usage = status.value().usage;
}

std::optional<workspace::SessionId> LinkKeys::SessionFor(
    std::uint8_t peer, std::uint32_t epoch, std::uint32_t last_sent) {
  if (peer == self_) return std::nullopt;
  Link* link = Find(peer);
  if (link == nullptr) return std::nullopt;
  ++clock_;
  std::size_t victim = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const workspace::SessionId session{static_cast<std::uint16_t>(i)};
    if (slots_[i].peer == peer && slots_[i].epoch == epoch) {
      const auto info = crypto_.Session(session);
      if (info.ok() && info.value().state == workspace::SessionState::kActive) {
        slots_[i].last_use = clock_;
        return session;
      }
    }
    if (slots_[i].last_use < slots_[victim].last_use) victim = i;
  }

  // Load the peer's key into the least recently used slot. Reloading a slot
  // expires the session bound to it, which is then bound again.
  if (slots_[victim].peer != 0) SaveUsage(victim);
  std::array<std::uint8_t, kLinkKeyBytes> key;
  if (!DeriveEpochKey(link->root, epoch, key)) {
    base::SecureWipe(key.data(), key.size());
    return std::nullopt;
  }
  const workspace::KeySlotId slot{static_cast<std::uint16_t>(victim)};
  const workspace::SessionId session{static_cast<std::uint16_t>(victim)};
  workspace::KeyParams params{
      .fixed_field = (std::uint32_t{self_} << 24) | (std::uint32_t{peer} << 16),
      .first_invocation =
          (std::uint64_t{epoch} << 32) | (std::uint64_t{last_sent} + 1),
  };
  if (link->usage_saved && link->usage_epoch == epoch)
    params.resume_usage = link->usage;
  const base::Status loaded = crypto_.LoadKey(slot, key, params);
  base::SecureWipe(key.data(), key.size());
  slots_[victim] = Slot{};
  if (!loaded.ok()) return std::nullopt;
  ++derivations_;

  auto info = crypto_.Session(session);
  if (!info.ok()) return std::nullopt;
  if (info.value().state == workspace::SessionState::kIdle &&
      !crypto_.AllocateSession(session).ok()) {
    return std::nullopt;
  }
  if (!crypto_.BindKey(session, slot).ok() || !crypto_.Activate(session).ok()) {
    return std::nullopt;
  }
  slots_[victim] = Slot{.peer = peer, .epoch = epoch, .last_use = clock_};
  return session;
}

}  // namespace secure_node
