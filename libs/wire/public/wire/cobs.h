// Consistent Overhead Byte Stuffing (COBS) for the link's byte stream.
//
// A frame on the wire is COBS(payload) followed by one 0x00 delimiter. COBS
// output never contains 0x00, so a receiver that lost or garbled bytes
// resynchronises at the next delimiter: one damaged frame never takes its
// neighbours with it. Overhead: at most one byte per 254 payload bytes, plus
// one.
//
// One buffer per message: a sender can stream the encoding of a frame
// straight to the UART (CobsEncodeTo: no encoded copy), and a receiver can
// decode a frame where it was received (CobsDecodeInPlace: no decoded
// copy).
#ifndef LIBS_WIRE_PUBLIC_WIRE_COBS_H_
#define LIBS_WIRE_PUBLIC_WIRE_COBS_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"

namespace wire {

inline constexpr std::uint8_t kFrameDelimiter = 0x00;

// Largest encoding of `size` payload bytes (delimiter not included).
constexpr std::size_t CobsMaxEncodedSize(std::size_t size) {
  return size + size / 254 + 1;
}

// The refusals of the COBS codec (domain "cobs"). Success is
// base::OkStatus(); a Result's value is the number of bytes written.
enum class CobsCode : std::uint8_t {
  kOutputTooSmall = 1,  // the output span cannot hold the result
  kZeroByte,            // encoded data contains 0x00 (a delimiter inside)
  kTruncated,           // a code byte points past the end of the frame
  kEmpty,               // a frame of zero encoded bytes
};

constexpr base::Domain StatusDomain(CobsCode) { return base::Domain::kCobs; }

constexpr std::string_view CodeName(CobsCode code) {
  switch (code) {
    case CobsCode::kOutputTooSmall:
      return "cobs.output_too_small";
    case CobsCode::kZeroByte:
      return "cobs.zero_byte";
    case CobsCode::kTruncated:
      return "cobs.truncated";
    case CobsCode::kEmpty:
      return "cobs.empty";
  }
  return "";
}

// Encodes `payload` into `out` (no delimiter appended).
// The value is the encoded size.
base::Result<std::size_t> CobsEncode(std::span<const std::uint8_t> payload,
                                     std::span<std::uint8_t> out);

// The encoding CobsEncode writes, handed out in pieces instead of written
// to a buffer: emit(std::span<const std::uint8_t>) is called, in order, with
// each code byte (a one-byte span valid only during that call) and with
// each run of non-zero payload bytes as a span into `payload` itself, so no
// payload byte is copied. Concatenated, the pieces are exactly
// CobsEncode(payload); the caller sends the delimiter after them. For a
// sender that writes the frame to its UART as it is encoded.
template <typename Emit>
void CobsEncodeTo(std::span<const std::uint8_t> payload, Emit&& emit) {
  const std::size_t size = payload.size();
  std::size_t start = 0;  // first byte of the current piece
  for (;;) {
    // A piece is the non-zero bytes up to the next zero, at most 254: the
    // code byte that leads it (its length + 1) must be known first.
    const std::size_t limit = size - start < 254 ? size : start + 254;
    std::size_t end = start;
    while (end < limit && payload[end] != 0) ++end;
    const std::size_t run = end - start;
    const std::uint8_t code = static_cast<std::uint8_t>(run + 1);
    emit(std::span<const std::uint8_t>(&code, 1));
    if (run != 0) emit(payload.subspan(start, run));
    // The payload's last piece. After a full piece that ends the payload
    // no empty piece follows (the canonical encoding, as CobsEncode).
    if (end == size) return;
    // A full piece (code 0xff) stands for no zero; any other for the zero
    // at `end`, which is skipped.
    start = run == 254 ? end : end + 1;
  }
}

// Decodes one frame's encoded bytes (delimiter excluded) into `out`.
// `out` may be the same memory as `encoded` (see CobsDecodeInPlace). The
// value is the decoded size.
base::Result<std::size_t> CobsDecode(std::span<const std::uint8_t> encoded,
                                     std::span<std::uint8_t> out);

// Decodes a frame where it lies: the payload ends up in
// frame[0, decoded size). Safe because decoding never writes ahead of what
// it has read: each piece's code byte is read before any of the piece's
// bytes is written, so the write position stays at least one byte behind
// the read position and every byte is read before it is overwritten. For
// the same reason the output always fits, so kOutputTooSmall never occurs.
// On a refusal the frame holds a partly decoded prefix: drop it.
inline base::Result<std::size_t> CobsDecodeInPlace(
    std::span<std::uint8_t> frame) {
  return CobsDecode(frame, frame);
}

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_COBS_H_
