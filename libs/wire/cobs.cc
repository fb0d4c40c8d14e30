#include "wire/cobs.h"

namespace wire {

// Encoding: the payload is cut at each zero byte; each piece is written as
// a code byte (piece length + 1) followed by the piece's bytes, the zero
// itself being implied. A piece of 254 non-zero bytes is closed with code
// 0xff, which implies no zero. When the payload ends right after such a
// piece, no empty final piece is written (the canonical encoding).
base::Result<std::size_t> CobsEncode(std::span<const std::uint8_t> payload,
                                     std::span<std::uint8_t> out) {
  if (out.size() < CobsMaxEncodedSize(payload.size()))
    return CobsCode::kOutputTooSmall;
  std::size_t code_at = 0;  // where the current piece's code byte goes
  std::size_t write = 1;
  std::uint8_t code = 1;
  bool after_full_piece = false;
  for (const std::uint8_t byte : payload) {
    after_full_piece = false;
    if (byte == 0) {
      out[code_at] = code;
      code_at = write++;
      code = 1;
      continue;
    }
    out[write++] = byte;
    if (++code == 0xff) {
      out[code_at] = code;
      code_at = write++;
      code = 1;
      after_full_piece = true;
    }
  }
  if (after_full_piece) return write - 1;
  out[code_at] = code;
  return write;
}

base::Result<std::size_t> CobsDecode(std::span<const std::uint8_t> encoded,
                                     std::span<std::uint8_t> out) {
  if (encoded.empty()) return CobsCode::kEmpty;
  std::size_t read = 0;
  std::size_t write = 0;
  while (read < encoded.size()) {
    const std::uint8_t code = encoded[read++];
    if (code == 0) return CobsCode::kZeroByte;
    const std::size_t run = code - 1u;
    if (run > encoded.size() - read) return CobsCode::kTruncated;
    if (run > out.size() - write) return CobsCode::kOutputTooSmall;
    for (std::size_t i = 0; i < run; ++i) {
      const std::uint8_t byte = encoded[read++];
      if (byte == 0) return CobsCode::kZeroByte;
      out[write++] = byte;
    }
    // Each piece but the last, and but one that was a full 254 bytes, stood
    // for a zero byte in the payload.
    if (code != 0xff && read < encoded.size()) {
      if (write >= out.size()) return CobsCode::kOutputTooSmall;
      out[write++] = 0;
    }
  }
  return write;
}

}  // namespace wire
