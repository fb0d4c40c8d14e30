#include "sim/ack_opener.h"

#include <array>
#include <map>
#include <tuple>

#include "base/byte_order.h"
#include "crypto/aes_gcm.h"
#include "sim/frame_header.h"
#include "wire/header.h"

namespace sim {

AckContent OpenAck(const Key256& pair_key,
                   std::span<const std::uint8_t> frame) {
  AckContent content;
  content.opened = true;
  const std::optional<ParsedFrame> parsed = ParseFrame(frame);
  if (!parsed || parsed->type != FrameType::kAck) return content;
  crypto::AesGcm gcm;
  if (!gcm.SetKey(pair_key).ok()) return content;
  // The nonce does not name the type; the header (the additional data)
  // does, so the type byte is authenticated.
  const auto nonce = wire::FrameNonce(parsed->header);
  std::array<std::uint8_t, kAckPlaintextBytes> plain{};
  const auto body = frame.subspan(wire::kHeaderBytes);
  if (!gcm.Decrypt(nonce, frame.first(wire::kHeaderBytes),
                   body.first(kAckPlaintextBytes),
                   body.subspan(kAckPlaintextBytes, wire::kTagBytes), plain)
           .ok()) {
    return content;
  }
  content.authentic = true;
  content.acked_sequence = base::LoadBe32(plain.data());
  return content;
}

void OpenAckFrames(const Key256& fleet_secret,
                   std::vector<FrameRecord>* frames) {
  // Keys per (pair, epoch): a run has few of them and many ACKs.
  std::map<std::tuple<std::uint8_t, std::uint8_t, std::uint32_t>, Key256> keys;
  for (FrameRecord& f : *frames) {
    if (!f.parsed || f.type != FrameType::kAck) continue;
    const std::uint8_t a = std::min(f.header.source, f.header.destination);
    const std::uint8_t b = std::max(f.header.source, f.header.destination);
    auto it = keys.find({a, b, f.header.epoch});
    if (it == keys.end()) {
      absl::StatusOr<Key256> key =
          DerivePairKey(fleet_secret, a, b, f.header.epoch);
      if (!key.ok()) {
        f.ack.opened = true;  // no key: cannot be authentic
        continue;
      }
      it = keys.emplace(std::make_tuple(a, b, f.header.epoch), *key).first;
    }
    f.ack = OpenAck(it->second, f.ack_frame);
  }
}

}  // namespace sim
