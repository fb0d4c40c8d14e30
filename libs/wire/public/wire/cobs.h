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

// Decodes one frame's encoded bytes (delimiter excluded) into `out`.
// `out` may be the same memory as `encoded` (decoding never writes ahead of
// what it has read). The value is the decoded size.
base::Result<std::size_t> CobsDecode(std::span<const std::uint8_t> encoded,
                                     std::span<std::uint8_t> out);

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_COBS_H_
