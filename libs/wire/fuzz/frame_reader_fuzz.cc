// Fuzzes the frame splitter (wire/frame_reader.h) with an arbitrary byte
// stream, fed to a small reader (frames of up to 16 encoded bytes, so
// overflows are common) and to one the node's size. Each must hand out
// exactly the frames a reference split at the delimiters gives, drop every
// frame longer than its buffer whole, and count frames, overflows and
// empty frames as the reference does. Each frame is then decoded where it
// lies, as the node does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "wire/cobs.h"
#include "wire/frame_reader.h"
#include "wire/header.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

template <std::size_t kCapacity>
void Check(std::span<const std::uint8_t> stream) {
  // The reader is about 4 KiB at the node's size: not on the stack of a
  // fuzzer that may recurse into sanitizer reports.
  auto reader = std::make_unique<wire::FrameReader<kCapacity>>();
  wire::FrameReaderStats expected;
  std::vector<std::uint8_t> pending;  // the reference's current frame
  bool overflowed = false;
  for (const std::uint8_t byte : stream) {
    const std::optional<std::span<std::uint8_t>> frame = reader->Feed(byte);
    if (byte != wire::kFrameDelimiter) {
      Require(!frame.has_value());
      if (pending.size() == kCapacity) overflowed = true;
      if (!overflowed) pending.push_back(byte);
      continue;
    }
    if (overflowed) {
      ++expected.overflows;
      Require(!frame.has_value());
    } else if (pending.empty()) {
      ++expected.empty;
      Require(!frame.has_value());
    } else {
      ++expected.frames;
      Require(frame.has_value() && frame->size() == pending.size() &&
              std::memcmp(frame->data(), pending.data(), pending.size()) == 0);
      // What the node does with it next; its refusals are fine here.
      (void)wire::CobsDecodeInPlace(*frame);
    }
    pending.clear();
    overflowed = false;
  }
  const wire::FrameReaderStats& stats = reader->stats();
  Require(stats.frames == expected.frames);
  Require(stats.empty == expected.empty);
  // An overflow is counted when it starts, not at its delimiter.
  Require(stats.overflows == expected.overflows + (overflowed ? 1 : 0));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::vector<std::uint8_t> stream(data, data + size);
  Check<16>(stream);
  Check<wire::CobsMaxEncodedSize(wire::kMaxFrameBytes)>(stream);
  return 0;
}
