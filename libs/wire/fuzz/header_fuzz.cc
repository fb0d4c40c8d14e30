// Fuzzes the link header parser (wire/header.h) with arbitrary decoded
// frames. ParseFrameHeader must accept exactly the frames the layout allows
// (checked against the rules written out again below), refuse every other
// one with the code of a rule it breaks, and a parsed header must serialize
// back to the frame's first 16 bytes and give the nonce the header file
// describes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "base/status.h"
#include "wire/header.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

std::uint32_t Be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
         std::uint32_t{p[2]} << 8 | p[3];
}

// Which rule of the layout (header.h) a frame breaks, if any; several may.
struct Broken {
  bool too_short = false;
  bool version = false;
  bool reserved = false;
  bool type = false;
  bool zero_sequence = false;
  bool length = false;
  bool any() const {
    return too_short || version || reserved || type || zero_sequence || length;
  }
};

Broken Judge(const std::vector<std::uint8_t>& frame) {
  Broken broken;
  if (frame.size() < wire::kHeaderBytes + wire::kTagBytes) {
    broken.too_short = true;
    return broken;  // the other fields are not there to judge
  }
  broken.version = frame[0] != wire::kProtocolVersion;
  broken.reserved = frame[14] != 0 || frame[15] != 0;
  broken.type = frame[3] > 1;
  broken.zero_sequence = Be32(&frame[8]) == 0;
  const std::size_t length = std::size_t{frame[12]} << 8 | frame[13];
  broken.length = length > wire::kMaxCiphertextBytes ||
                  frame.size() != wire::kHeaderBytes + length + wire::kTagBytes;
  return broken;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::vector<std::uint8_t> frame(data, data + size);
  const base::Result<wire::LinkHeader> parsed = wire::ParseFrameHeader(frame);
  const Broken broken = Judge(frame);
  if (!parsed.ok()) {
    Require(broken.any());
    const base::Status s = parsed.status();
    Require((s == wire::HeaderCode::kTooShort && broken.too_short) ||
            (s == wire::HeaderCode::kBadVersion && broken.version) ||
            (s == wire::HeaderCode::kReservedNotZero && broken.reserved) ||
            (s == wire::HeaderCode::kUnknownType && broken.type) ||
            (s == wire::HeaderCode::kZeroSequence && broken.zero_sequence) ||
            (s == wire::HeaderCode::kLengthMismatch && broken.length));
    return 0;
  }
  Require(!broken.any());
  const wire::LinkHeader& header = parsed.value();
  Require(header.sequence != 0);
  Require(frame.size() ==
          wire::kHeaderBytes + header.ciphertext_length + wire::kTagBytes);

  const auto serialized = wire::SerializeHeader(header);
  for (std::size_t i = 0; i < wire::kHeaderBytes; ++i) {
    Require(serialized[i] == frame[i]);
  }
  // Nonce: source || destination || 0x0000 || epoch || sequence.
  const auto nonce = wire::FrameNonce(header);
  Require(nonce[0] == frame[1] && nonce[1] == frame[2]);
  Require(nonce[2] == 0 && nonce[3] == 0);
  for (std::size_t i = 0; i < 8; ++i) Require(nonce[4 + i] == frame[4 + i]);
  Require(wire::FrameInvocation(header) ==
          (std::uint64_t{Be32(&frame[4])} << 32 | Be32(&frame[8])));
  return 0;
}
