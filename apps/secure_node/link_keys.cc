#include "apps/secure_node/link_keys.h"

#include "pool/secure_wipe.h"
#include "kdf/kdf.h"

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
  for (Slot& slot : slots_) {
    slot.gcm.Clear();
    slot.peer = 0;
    slot.epoch = 0;
    slot.last_use = 0;
  }
}

void LinkKeys::Wipe() {
  ForgetDerived();
  pool::SecureWipe(secret_.data(), secret_.size());
  provisioned_ = false;
  self_ = 0;
}

const crypto::AesGcm* LinkKeys::For(std::uint8_t peer, std::uint32_t epoch) {
  if (!provisioned_ || peer == 0 || peer == self_) return nullptr;
  ++clock_;
  Slot* victim = &slots_[0];
  for (Slot& slot : slots_) {
    if (slot.peer == peer && slot.epoch == epoch && slot.gcm.has_key()) {
      slot.last_use = clock_;
      return &slot.gcm;
    }
    if (slot.last_use < victim->last_use) victim = &slot;
  }
  std::array<std::uint8_t, kLinkKeyBytes> key;
  const bool derived = DerivePairKey(secret_, self_, peer, epoch, key);
  const bool keyed = derived && victim->gcm.SetKey(key.data(), key.size()) == crypto::Status::kOk;
  pool::SecureWipe(key.data(), key.size());
  if (!keyed) return nullptr;
  ++derivations_;
  victim->peer = peer;
  victim->epoch = epoch;
  victim->last_use = clock_;
  return &victim->gcm;
}

}  // namespace secure_node
