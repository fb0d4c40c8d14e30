// A fixed-capacity text line for console output: strings, decimal and hex
// numbers, nothing that could allocate (newlib's printf family may pull in
// malloc, which a node image must not link).
#ifndef APPS_SECURE_NODE_LINE_WRITER_H_
#define APPS_SECURE_NODE_LINE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace secure_node {

class LineWriter {
 public:
  static constexpr std::size_t kCapacity = 384;

  LineWriter& operator<<(std::string_view text) {
    for (char c : text) Put(c);
    return *this;
  }
  LineWriter& operator<<(char c) {
    Put(c);
    return *this;
  }
  // Unsigned decimal (any unsigned integer type but char and bool).
  template <typename T>
  requires(std::is_unsigned_v<T> && !std::is_same_v<T, char> &&
           !std::is_same_v<T, bool>) LineWriter&
  operator<<(T value) {
    std::uint64_t v = value;
    char digits[20];
    std::size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) Put(digits[--n]);
    return *this;
  }
  // Exactly `digits` lowercase hex digits of value.
  LineWriter& Hex(std::uint32_t value, int digits = 8) {
    for (int i = digits - 1; i >= 0; --i)
      Put("0123456789abcdef"[(value >> (4 * i)) & 0xF]);
    return *this;
  }

  // The line so far; truncated (marked with '~') if it outgrew the buffer.
  std::string_view view() const { return {buffer_, size_}; }

 private:
  void Put(char c) {
    if (size_ < kCapacity) {
      buffer_[size_++] = c;
    } else if (!truncated_) {
      truncated_ = true;
      buffer_[kCapacity - 1] = '~';
    }
  }

  char buffer_[kCapacity];
  std::size_t size_ = 0;
  bool truncated_ = false;
};

}  // namespace secure_node

#endif  // APPS_SECURE_NODE_LINE_WRITER_H_
