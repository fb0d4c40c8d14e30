// Splits the link's byte stream into COBS frames at 0x00 delimiters.
//
// Robust by construction: bytes are only ever accumulated up to the next
// delimiter, so dropped, inserted or flipped bytes damage at most the frame
// they fall in. A frame longer than the buffer is discarded up to its
// delimiter (counted), never truncated into something that looks valid.
#ifndef LIBS_WIRE_PUBLIC_WIRE_FRAME_READER_H_
#define LIBS_WIRE_PUBLIC_WIRE_FRAME_READER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "wire/cobs.h"

namespace wire {

struct FrameReaderStats {
  std::uint32_t frames = 0;     // complete frames handed out
  std::uint32_t overflows = 0;  // frames discarded for being too long
  std::uint32_t empty = 0;      // delimiters with nothing before them
};

template <std::size_t kMaxEncodedBytes>
class FrameReader {
 public:
  // Feeds one received byte. Returns the frame's encoded bytes (delimiter
  // excluded) when `byte` completes one; the span stays valid until the
  // next call.
  std::optional<std::span<std::uint8_t>> Feed(std::uint8_t byte) {
    if (byte != kFrameDelimiter) {
      if (discarding_) {
        ++discarded_;
        return std::nullopt;
      }
      if (size_ == buffer_.size()) {
        discarding_ = true;
        ++stats_.overflows;
        discarded_ += size_ + 1;
        size_ = 0;
        return std::nullopt;
      }
      buffer_[size_++] = byte;
      return std::nullopt;
    }
    const bool was_discarding = discarding_;
    discarding_ = false;
    const std::size_t size = size_;
    size_ = 0;
    // Counted per delimiter, not per byte: the byte path stays as it was.
    fed_before_ += size + discarded_ + 1;
    discarded_ = 0;
    if (was_discarding) return std::nullopt;
    if (size == 0) {
      ++stats_.empty;
      return std::nullopt;
    }
    ++stats_.frames;
    return std::span<std::uint8_t>(buffer_.data(), size);
  }

  const FrameReaderStats& stats() const { return stats_; }
  // Every byte fed so far, delimiters and discarded bytes included: a
  // caller that compares it with what it sent knows whether all of it has
  // been handled.
  std::uint64_t bytes_fed() const { return fed_before_ + discarded_ + size_; }

 private:
  std::array<std::uint8_t, kMaxEncodedBytes> buffer_{};
  std::size_t size_ = 0;
  bool discarding_ = false;
  std::uint64_t fed_before_ = 0;  // bytes up to the last delimiter
  std::size_t discarded_ = 0;     // bytes of the frame being discarded
  FrameReaderStats stats_;
};

}  // namespace wire

#endif  // LIBS_WIRE_PUBLIC_WIRE_FRAME_READER_H_
