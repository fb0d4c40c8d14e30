#include "apps/secure_node/link_keys.h"

#include "kdf/kdf.h"
#include "pool/secure_wipe.h"

namespace secure_node {

bool DerivePairKey(std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
                   std::uint8_t node_a, std::uint8_t node_b, std::uint32_t epoch,
                   std::span<std::uint8_t, kLinkKeyBytes> key) {
  const std::uint8_t low = node_a < node_b ? node_a : node_b;
  const std::uint8_t high = node_a < node_b ? node_b : node_a;
  const std::uint8_t context[6] = {low,
                                   high,
                                   static_cast<std::uint8_t>(epoch >> 24),
                                   static_cast<std::uint8_t>(epoch >> 16),
                                   static_cast<std::uint8_t>(epoch >> 8),
                                   static_cast<std::uint8_t>(epoch)};
  const auto* label = reinterpret_cast<const std::uint8_t*>(kLinkKeyLabel.data());
  return kdf::DeriveKey(fleet_secret, std::span(label, kLinkKeyLabel.size()), context,
                        key) == kdf::KdfError::kOk;
}

void LinkKeys::Provision(std::span<const std::uint8_t, kFleetSecretBytes> fleet_secret,
                         std::uint8_t self) {
  Wipe();
  for (std::size_t i = 0; i < kFleetSecretBytes; ++i) secret_[i] = fleet_secret[i];
  self_ = self;
  provisioned_ = true;
}

void LinkKeys::ForgetDerived() {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].peer != 0) {
      (void)crypto_.ClearKey(workspace::KeySlotId{static_cast<std::uint16_t>(i)});
    }
    slots_[i] = Slot{};
  }
}

void LinkKeys::Wipe() {
  slots_.fill(Slot{});
  pool::SecureWipe(secret_.data(), secret_.size());
  provisioned_ = false;
  self_ = 0;
}

std::optional<workspace::SessionId> LinkKeys::SessionFor(std::uint8_t peer, std::uint32_t epoch,
                                                         std::uint32_t last_sent) {
  if (!provisioned_ || peer == 0 || peer == self_) return std::nullopt;
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
  std::array<std::uint8_t, kLinkKeyBytes> key;
  if (!DerivePairKey(secret_, self_, peer, epoch, key)) return std::nullopt;
  const workspace::KeySlotId slot{static_cast<std::uint16_t>(victim)};
  const workspace::SessionId session{static_cast<std::uint16_t>(victim)};
  const workspace::KeyParams params{
      .fixed_field = (std::uint32_t{self_} << 24) | (std::uint32_t{peer} << 16),
      .first_invocation = (std::uint64_t{epoch} << 32) | (std::uint64_t{last_sent} + 1),
  };
  const workspace::Error loaded = crypto_.LoadKey(slot, key, params);
  pool::SecureWipe(key.data(), key.size());
  slots_[victim] = Slot{};
  if (loaded != workspace::Error::kOk) return std::nullopt;
  ++derivations_;

  auto info = crypto_.Session(session);
  if (!info.ok()) return std::nullopt;
  if (info.value().state == workspace::SessionState::kIdle &&
      crypto_.AllocateSession(session) != workspace::Error::kOk) {
    return std::nullopt;
  }
  if (crypto_.BindKey(session, slot) != workspace::Error::kOk ||
      crypto_.Activate(session) != workspace::Error::kOk) {
    return std::nullopt;
  }
  slots_[victim] = Slot{.peer = peer, .epoch = epoch, .last_use = clock_};
  return session;
}

}  // namespace secure_node
