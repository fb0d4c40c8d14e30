#include "wire/header.h"

namespace wire {
namespace {

void Put32(std::uint8_t* out, std::uint32_t value) {
  out[0] = static_cast<std::uint8_t>(value >> 24);
  out[1] = static_cast<std::uint8_t>(value >> 16);
  out[2] = static_cast<std::uint8_t>(value >> 8);
  out[3] = static_cast<std::uint8_t>(value);
}

std::uint32_t Get32(const std::uint8_t* in) {
  return (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) |
         (std::uint32_t{in[2]} << 8) | in[3];
}

}  // namespace

std::array<std::uint8_t, kHeaderBytes> SerializeHeader(const LinkHeader& header) {
  std::array<std::uint8_t, kHeaderBytes> out{};
  out[0] = kProtocolVersion;
  out[1] = header.source;
  out[2] = header.destination;
  out[3] = 0;
  Put32(&out[4], header.epoch);
  Put32(&out[8], header.sequence);
  out[12] = static_cast<std::uint8_t>(header.ciphertext_length >> 8);
  out[13] = static_cast<std::uint8_t>(header.ciphertext_length);
  return out;
}

ParsedHeader ParseFrameHeader(std::span<const std::uint8_t> frame) {
  ParsedHeader result{HeaderError::kOk, {}};
  if (frame.size() < kHeaderBytes + kTagBytes) {
    result.error = HeaderError::kTooShort;
    return result;
  }
  if (frame[0] != kProtocolVersion) {
    result.error = HeaderError::kBadVersion;
    return result;
  }
  if (frame[3] != 0 || frame[14] != 0 || frame[15] != 0) {
    result.error = HeaderError::kReservedNotZero;
    return result;
  }
  LinkHeader& h = result.header;
  h.source = frame[1];
  h.destination = frame[2];
  h.epoch = Get32(&frame[4]);
  h.sequence = Get32(&frame[8]);
  h.ciphertext_length = static_cast<std::uint16_t>((frame[12] << 8) | frame[13]);
  if (h.sequence == 0) {
    result.error = HeaderError::kZeroSequence;
  } else if (h.ciphertext_length > kMaxCiphertextBytes ||
             frame.size() != kHeaderBytes + h.ciphertext_length + kTagBytes) {
    result.error = HeaderError::kLengthMismatch;
  }
  return result;
}

std::array<std::uint8_t, kNonceBytes> FrameNonce(const LinkHeader& header) {
  std::array<std::uint8_t, kNonceBytes> nonce{};
  nonce[0] = header.source;
  nonce[1] = header.destination;
  Put32(&nonce[4], header.epoch);
  Put32(&nonce[8], header.sequence);
  return nonce;
}

}  // namespace wire
