// A fixed-capacity text line for console output: strings, decimal and hex
// numbers, nothing that could allocate (newlib's printf family may pull in
// malloc, which a node image must not link).
//
// The formatting is out of line (line_writer.cc), written once for every
// capacity: a STATS line appends forty numbers, and an inlined formatter per
// number would cost the image kilobytes of flash.
#ifndef APPS_SECURE_NODE_LINE_WRITER_H_
#define APPS_SECURE_NODE_LINE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace secure_node {
namespace line_writer_internal {

struct Line {
  char* buffer;
  std::size_t capacity;
  std::size_t size;
  bool truncated;
};

void AppendText(Line& line, std::string_view text);
void AppendDecimal(Line& line, std::uint64_t value);
void AppendHex(Line& line, std::uint32_t value, int digits);

}  // namespace line_writer_internal

template <std::size_t kCapacity>
class BasicLineWriter {
 public:
  BasicLineWriter() = default;
  // The line points into its own buffer: it is never copied or moved.
  BasicLineWriter(const BasicLineWriter&) = delete;
  BasicLineWriter& operator=(const BasicLineWriter&) = delete;

  BasicLineWriter& operator<<(std::string_view text) {
    line_writer_internal::AppendText(line_, text);
    return *this;
  }
  BasicLineWriter& operator<<(char c) {
    line_writer_internal::AppendText(line_, std::string_view(&c, 1));
    return *this;
  }
  // Unsigned decimal (any unsigned integer type but char and bool).
  template <typename T>
  requires(std::is_unsigned_v<T> && !std::is_same_v<T, char> &&
           !std::is_same_v<T, bool>) BasicLineWriter&
  operator<<(T value) {
    line_writer_internal::AppendDecimal(line_, value);
    return *this;
  }
  // Exactly `digits` lowercase hex digits of value.
  BasicLineWriter& Hex(std::uint32_t value, int digits = 8) {
    line_writer_internal::AppendHex(line_, value, digits);
    return *this;
  }

  // The line so far; truncated (marked with '~') if it outgrew the buffer.
  std::string_view view() const { return {buffer_, line_.size}; }

 private:
  char buffer_[kCapacity];
  line_writer_internal::Line line_{buffer_, kCapacity, 0, false};
};

// A console line: every reply but STATS fits in 160 characters.
using LineWriter = BasicLineWriter<192>;
// The STATS line, the one long line (about 700 characters): its own type,
// so only the call that prints it pays for the stack.
using StatsLineWriter = BasicLineWriter<768>;

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINE_WRITER_H_
