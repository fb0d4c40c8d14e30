#include "sim/frame_header.h"

#include "base/byte_order.h"

namespace sim {

absl::string_view FrameTypeName(FrameType type) {
  return type == FrameType::kAck ? "ack" : "data";
}

std::optional<ParsedFrame> ParseFrame(std::span<const std::uint8_t> frame) {
  if (frame.size() < wire::kHeaderBytes + wire::kTagBytes) return std::nullopt;
  if (frame[0] != wire::kProtocolVersion) return std::nullopt;
  if (frame[kTypeByte] > static_cast<std::uint8_t>(FrameType::kAck))
    return std::nullopt;
  if (frame[14] != 0 || frame[15] != 0) return std::nullopt;
  ParsedFrame parsed;
  parsed.type = static_cast<FrameType>(frame[kTypeByte]);
  wire::LinkHeader& h = parsed.header;
  h.source = frame[1];
  h.destination = frame[2];
  h.epoch = base::LoadBe32(&frame[4]);
  h.sequence = base::LoadBe32(&frame[8]);
  h.ciphertext_length = base::LoadBe16(&frame[12]);
  if (h.sequence == 0) return std::nullopt;
  if (h.ciphertext_length > wire::kMaxCiphertextBytes ||
      frame.size() !=
          wire::kHeaderBytes + h.ciphertext_length + wire::kTagBytes) {
    return std::nullopt;
  }
  // What each type carries fixes its smallest (and an ACK's only) length.
  if (parsed.type == FrameType::kData && h.ciphertext_length < kMessageIdBytes)
    return std::nullopt;
  if (parsed.type == FrameType::kAck &&
      h.ciphertext_length != kAckPlaintextBytes)
    return std::nullopt;
  return parsed;
}

std::array<std::uint8_t, wire::kHeaderBytes> SerializeFrameHeader(
    const wire::LinkHeader& header, FrameType type) {
  std::array<std::uint8_t, wire::kHeaderBytes> out =
      wire::SerializeHeader(header);
  out[kTypeByte] = static_cast<std::uint8_t>(type);
  return out;
}

}  // namespace sim
