// The link header: who sent a frame to whom, under which key epoch, with
// which sequence number, and how long its ciphertext is. It travels in clear
// and is authenticated as the AES-GCM additional data, so any change to it
// makes the frame fail authentication.
//
// Wire layout (16 bytes, big-endian):
//   0  version (1)      1  source      2  destination   3  frame type
//   4  epoch (u32)      8  sequence (u32)
//  12  ciphertext length (u16)        14  reserved (0, u16)
// The frame is header || ciphertext || 16-byte tag. The frame type is in
// the authenticated header, so nobody can turn a message into an
// acknowledgement or back without failing authentication.
#ifndef LIBS_WIRE_PUBLIC_WIRE_HEADER_H_
#define LIBS_WIRE_PUBLIC_WIRE_HEADER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"

namespace wire {

inline constexpr std::uint8_t kProtocolVersion = 1;
inline constexpr std::size_t kHeaderBytes = 16;
inline constexpr std::size_t kTagBytes = 16;
inline constexpr std::size_t kNonceBytes = 12;
// The largest ciphertext a frame carries: a 4 KiB message plus its 4-byte
// message id.
inline constexpr std::size_t kMaxCiphertextBytes = 4096 + 4;
inline constexpr std::size_t kMaxFrameBytes =
    kHeaderBytes + kMaxCiphertextBytes + kTagBytes;

using NodeId = std::uint8_t;

// What a frame carries (header byte 3). Every frame, whatever its type, is
// sealed under the link key with a sequence of its sender's one send counter,
// so types share the nonce space and never collide in it.
enum class FrameType : std::uint8_t {
  // A message: plaintext = message id (u32) || payload.
  kData = 0,
  // An acknowledgement: plaintext = the acknowledged DATA sequence (u32).
  kAck = 1,
};
inline constexpr std::size_t kAckPlaintextBytes = 4;

struct LinkHeader {
  NodeId source = 0;
  NodeId destination = 0;
  std::uint32_t epoch = 0;
  std::uint32_t sequence = 0;  // starts at 1; 0 is never valid
  std::uint16_t ciphertext_length = 0;
  FrameType type = FrameType::kData;

  friend bool operator==(const LinkHeader&, const LinkHeader&) = default;
};

std::array<std::uint8_t, kHeaderBytes> SerializeHeader(
    const LinkHeader& header);

// The refusals of ParseFrameHeader (domain "header").
enum class HeaderCode : std::uint8_t {
  kTooShort = 1,     // fewer than kHeaderBytes + kTagBytes
  kBadVersion,       // not kProtocolVersion
  kReservedNotZero,  // reserved bytes (14, 15) not zero
  kZeroSequence,     // sequence 0
  kLengthMismatch,   // frame size disagrees with the ciphertext length
  kUnknownType,      // byte 3 is not a FrameType
};

constexpr base::Domain StatusDomain(HeaderCode) {
  return base::Domain::kHeader;
}

constexpr std::string_view CodeName(HeaderCode code) {
  switch (code) {
    case HeaderCode::kTooShort:
      return "header.too_short";
    case HeaderCode::kBadVersion:
      return "header.bad_version";
    case HeaderCode::kReservedNotZero:
      return "header.reserved_not_zero";
    case HeaderCode::kZeroSequence:
      return "header.zero_sequence";
    case HeaderCode::kLengthMismatch:
      return "header.length_mismatch";
    case HeaderCode::kUnknownType:
      return "header.unknown_type";
  }
  return "";
}

// Parses and checks the header of a whole decoded frame (header, ciphertext
// and tag): the length field must match the frame's size exactly.
base::Result<LinkHeader> ParseFrameHeader(std::span<const std::uint8_t> frame);

// The invocation part of a frame's nonce, epoch || sequence: what the link
// passes to the workspace (which holds the fixed part with the key).
constexpr std::uint64_t FrameInvocation(const LinkHeader& header) {
  return std::uint64_t{header.epoch} << 32 | header.sequence;
}

// The AES-GCM nonce of a frame: source || destination || 0x0000 || epoch ||
// sequence, i.e. the fixed field (source, destination, 0x0000) followed by
// FrameInvocation big-endian. Unique under a key as long as (source, sequence)
// never repeats within an epoch: each sender's sequence only increases, and a
// pairwise key is never used by more than the two nodes it belongs to.
std::array<std::uint8_t, kNonceBytes> FrameNonce(const LinkHeader& header);

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_HEADER_H_
