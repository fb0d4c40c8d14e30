// Fuzzes the COBS codec (wire/cobs.h) with arbitrary bytes, read two ways:
//  * as a received frame: CobsDecode and CobsDecodeInPlace must agree, never
//    write past their output (every buffer here is sized exactly, so ASan
//    sees any overrun), refuse any frame holding 0x00, and whatever they
//    accept must decode to the same payload after a re-encoding;
//  * as a payload: CobsEncode, CobsEncodeTo and CobsDecode must round-trip
//    it exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "base/status.h"
#include "wire/cobs.h"

namespace {

// A fuzz target reports a broken property by crashing: libFuzzer saves the
// input that did it.
void Require(bool condition) {
  if (!condition) std::abort();
}

bool Same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

std::vector<std::uint8_t> Encode(std::span<const std::uint8_t> payload) {
  std::vector<std::uint8_t> out(wire::CobsMaxEncodedSize(payload.size()));
  const base::Result<std::size_t> encoded = wire::CobsEncode(payload, out);
  Require(encoded.ok() && encoded.value() <= out.size());
  out.resize(encoded.value());
  return out;
}

void DecodeAsFrame(std::span<const std::uint8_t> frame) {
  // Decoding never grows a frame, so frame.size() bytes always suffice.
  std::vector<std::uint8_t> out(frame.size());
  const base::Result<std::size_t> decoded = wire::CobsDecode(frame, out);

  std::vector<std::uint8_t> in_place(frame.begin(), frame.end());
  const base::Result<std::size_t> decoded_in_place =
      wire::CobsDecodeInPlace(in_place);
  Require(decoded.status() == decoded_in_place.status());

  const bool has_zero =
      frame.empty() || std::memchr(frame.data(), 0, frame.size()) != nullptr;
  if (!decoded.ok()) {
    // The header promises in-place decoding never runs out of room.
    Require(decoded.status() != wire::CobsCode::kOutputTooSmall);
    return;
  }
  // A delimiter inside a frame is never accepted.
  Require(!has_zero);
  const std::size_t size = decoded.value();
  Require(size < frame.size());
  Require(decoded_in_place.value() == size);
  const std::span<const std::uint8_t> payload(out.data(), size);
  Require(Same(payload, std::span(in_place).first(size)));

  // Exactly the room it needs: it fits, and one byte less is refused.
  std::vector<std::uint8_t> exact(size);
  const base::Result<std::size_t> fitted = wire::CobsDecode(frame, exact);
  Require(fitted.ok() && fitted.value() == size && Same(exact, payload));
  if (size != 0) {
    std::vector<std::uint8_t> short_by_one(size - 1);
    Require(wire::CobsDecode(frame, short_by_one).status() ==
            wire::CobsCode::kOutputTooSmall);
  }

  // Accepted encodings need not be canonical (a full piece may be followed
  // by an empty one), but the canonical one is never longer and means the
  // same payload.
  const std::vector<std::uint8_t> canonical = Encode(payload);
  Require(canonical.size() <= frame.size());
  std::vector<std::uint8_t> again(canonical.size());
  const base::Result<std::size_t> redecoded =
      wire::CobsDecode(canonical, again);
  Require(redecoded.ok() &&
          Same(std::span(again).first(redecoded.value()), payload));
}

void RoundTripAsPayload(std::span<const std::uint8_t> payload) {
  const std::vector<std::uint8_t> encoded = Encode(payload);
  Require(std::memchr(encoded.data(), 0, encoded.size()) == nullptr);

  // The streamed encoding is the same bytes, piece by piece.
  std::vector<std::uint8_t> streamed;
  wire::CobsEncodeTo(payload, [&](std::span<const std::uint8_t> piece) {
    Require(!piece.empty());
    streamed.insert(streamed.end(), piece.begin(), piece.end());
  });
  Require(Same(streamed, encoded));

  // CobsEncode asks for the worst case up front, whatever the payload.
  std::vector<std::uint8_t> too_small(wire::CobsMaxEncodedSize(payload.size()) -
                                      1);
  Require(wire::CobsEncode(payload, too_small).status() ==
          wire::CobsCode::kOutputTooSmall);

  std::vector<std::uint8_t> decoded(payload.size());
  const base::Result<std::size_t> result = wire::CobsDecode(encoded, decoded);
  Require(result.ok() && result.value() == payload.size() &&
          Same(decoded, payload));
  std::vector<std::uint8_t> in_place = encoded;
  const base::Result<std::size_t> in_place_result =
      wire::CobsDecodeInPlace(in_place);
  Require(in_place_result.ok() &&
          Same(std::span(in_place).first(in_place_result.value()), payload));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  // Copied so that the buffer is exactly `size` bytes of this program's own
  // heap, which ASan bounds precisely.
  const std::vector<std::uint8_t> input(data, data + size);
  DecodeAsFrame(input);
  RoundTripAsPayload(input);
  return 0;
}
