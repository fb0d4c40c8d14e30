#include "sim/keys.h"

#include <algorithm>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/byte_order.h"
#include "base/status.h"
#include "kdf/kdf.h"
#include "sim/rng.h"

namespace sim {
namespace {

constexpr absl::string_view kRootLabel = "secure-node pair root v1";
constexpr absl::string_view kLinkLabel = "secure-node link v2";

absl::StatusOr<Key256> Derive(const Key256& input, absl::string_view label,
                              std::span<const std::uint8_t> context) {
  const auto* label_bytes = reinterpret_cast<const std::uint8_t*>(label.data());
  Key256 key{};
  const base::Status status = kdf::DeriveKey(
      input, std::span<const std::uint8_t>(label_bytes, label.size()), context,
      key);
  if (!status.ok()) {
    const std::string_view name = base::StatusName<kdf::Code>(status);
    return absl::InternalError(
        absl::StrCat("key derivation failed: ",
                     absl::string_view(name.data(), name.size())));
  }
  return key;
}

}  // namespace

Key256 FleetSecretFromSeed(std::uint64_t seed) {
  SplitMix64 rng(MixSeed({seed, 0x5ec2e7}));
  Key256 key{};
  for (std::size_t i = 0; i < key.size(); i += 8) {
    base::StoreLe64(key.data() + i, rng.Next());
  }
  return key;
}

absl::StatusOr<Key256> DerivePairRoot(const Key256& fleet_secret,
                                      std::uint8_t a, std::uint8_t b) {
  const std::array<std::uint8_t, 2> context = {std::min(a, b), std::max(a, b)};
  return Derive(fleet_secret, kRootLabel, context);
}

absl::StatusOr<Key256> DerivePairKey(const Key256& fleet_secret, std::uint8_t a,
                                     std::uint8_t b, std::uint32_t epoch) {
  absl::StatusOr<Key256> root = DerivePairRoot(fleet_secret, a, b);
  if (!root.ok()) return root.status();
  return Derive(*root, kLinkLabel, base::Be32Bytes(epoch));
}

std::string ToHex(const Key256& key) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

}  // namespace sim
