#include "wire/header.h"

#include "base/byte_order.h"

namespace wire {

std::array<std::uint8_t, kHeaderBytes> SerializeHeader(
    const LinkHeader& header) {
  std::array<std::uint8_t, kHeaderBytes> out{};
  out[0] = kProtocolVersion;
  out[1] = header.source;
  out[2] = header.destination;
  out[3] = static_cast<std::uint8_t>(header.type);
  base::StoreBe32(&out[4], header.epoch);
  base::StoreBe32(&out[8], header.sequence);
  base::StoreBe16(&out[12], header.ciphertext_length);
  return out;
}

base::Result<LinkHeader> ParseFrameHeader(std::span<const std::uint8_t> frame) {
  if (frame.size() < kHeaderBytes + kTagBytes) return HeaderCode::kTooShort;
  if (frame[0] != kProtocolVersion) return HeaderCode::kBadVersion;
  if (frame[14] != 0 || frame[15] != 0) return HeaderCode::kReservedNotZero;
  if (frame[3] != static_cast<std::uint8_t>(FrameType::kData) &&
      frame[3] != static_cast<std::uint8_t>(FrameType::kAck)) {
    return HeaderCode::kUnknownType;
  }
  LinkHeader h;
  h.type = static_cast<FrameType>(frame[3]);
  h.source = frame[1];
  h.destination = frame[2];
  h.epoch = base::LoadBe32(&frame[4]);
  h.sequence = base::LoadBe32(&frame[8]);
  h.ciphertext_length = base::LoadBe16(&frame[12]);
  if (h.sequence == 0) return HeaderCode::kZeroSequence;
  if (h.ciphertext_length > kMaxCiphertextBytes ||
      frame.size() != kHeaderBytes + h.ciphertext_length + kTagBytes) {
    return HeaderCode::kLengthMismatch;
  }
  return h;
}

std::array<std::uint8_t, kNonceBytes> FrameNonce(const LinkHeader& header) {
  std::array<std::uint8_t, kNonceBytes> nonce{};
  nonce[0] = header.source;
  nonce[1] = header.destination;
  base::StoreBe64(&nonce[4], FrameInvocation(header));
  return nonce;
}

}  // namespace wire
