// The link frame's clear header as the harness reads it, with the frame
// type in byte 3 (PROTOCOL.md, "Network link"): the harness's own model of
// the layout, so the router and the wire scan judge what nodes emit against
// the specification rather than against the firmware's library.
//
//   0 version = 1   1 source   2 destination   3 type (0 DATA, 1 ACK)
//   4 epoch (u32)   8 sequence (u32, from 1)  12 n (u16)  14 reserved = 0
//   then n bytes of ciphertext and the 16-byte tag.
//
// DATA carries message id (u32) || payload, so n >= 4; ACK carries the
// acknowledged DATA sequence (u32), so n == 4. Both take their sequence
// from the sender's one counter per (destination, epoch).
#ifndef SIM_FRAME_HEADER_H_
#define SIM_FRAME_HEADER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "absl/strings/string_view.h"
#include "wire/header.h"

namespace sim {

enum class FrameType : std::uint8_t { kData = 0, kAck = 1 };
inline constexpr int kFrameTypeCount = 2;
absl::string_view FrameTypeName(FrameType type);  // "data", "ack"

inline constexpr std::size_t kTypeByte = 3;
inline constexpr std::size_t kMessageIdBytes = 4;
inline constexpr std::size_t kAckPlaintextBytes = 4;

struct ParsedFrame {
  // Source, destination, epoch, sequence and ciphertext length; the type is
  // kept beside it.
  wire::LinkHeader header;
  FrameType type = FrameType::kData;
};

// The header of a whole decoded frame, checked the way a receiver checks it
// before any key is involved; nullopt if a receiver must call it malformed.
std::optional<ParsedFrame> ParseFrame(std::span<const std::uint8_t> frame);

// The 16 header bytes of `header` as a frame of `type`.
std::array<std::uint8_t, wire::kHeaderBytes> SerializeFrameHeader(
    const wire::LinkHeader& header, FrameType type);

}  // namespace sim

#endif  // SIM_FRAME_HEADER_H_
