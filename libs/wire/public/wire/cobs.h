// Consistent Overhead Byte Stuffing (COBS) for the link's byte stream.
//
// A frame on the wire is COBS(payload) followed by one 0x00 delimiter. COBS
// output never contains 0x00, so a receiver that lost or garbled bytes
// resynchronises at the next delimiter: one damaged frame never takes its
// neighbours with it. Overhead: at most one byte per 254 payload bytes, plus
// one.
#ifndef LIBS_WIRE_PUBLIC_WIRE_COBS_H_
#define LIBS_WIRE_PUBLIC_WIRE_COBS_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace wire {

inline constexpr std::uint8_t kFrameDelimiter = 0x00;

// Largest encoding of `size` payload bytes (delimiter not included).
constexpr std::size_t CobsMaxEncodedSize(std::size_t size) {
  return size + size / 254 + 1;
}

enum class CobsError {
  kOk = 0,
  kOutputTooSmall,  // the output span cannot hold the result
  kZeroByte,        // encoded data contains 0x00 (a delimiter inside a frame)
  kTruncated,       // a code byte points past the end of the frame
  kEmpty,           // a frame of zero encoded bytes
};

struct CobsResult {
  CobsError error;
  std::size_t size;  // bytes written to the output when error == kOk
};

// Encodes `payload` into `out` (no delimiter appended).
CobsResult CobsEncode(std::span<const std::uint8_t> payload,
                      std::span<std::uint8_t> out);

// Decodes one frame's encoded bytes (delimiter excluded) into `out`.
// `out` may be the same memory as `encoded` (decoding never writes ahead of
// what it has read).
CobsResult CobsDecode(std::span<const std::uint8_t> encoded,
                      std::span<std::uint8_t> out);

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_COBS_H_
