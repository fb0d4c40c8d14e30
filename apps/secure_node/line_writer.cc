#include "apps/secure_node/line_writer.h"

namespace secure_node::line_writer_internal {
namespace {

void Put(Line& line, char c) {
  if (line.size < line.capacity) {
    line.buffer[line.size++] = c;
  } else if (!line.truncated) {
    line.truncated = true;
    line.buffer[line.capacity - 1] = '~';
  }
}

}  // namespace

void AppendText(Line& line, std::string_view text) {
  for (char c : text) Put(line, c);
}

void AppendDecimal(Line& line, std::uint64_t value) {
  char digits[20];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) Put(line, digits[--n]);
}

void AppendHex(Line& line, std::uint32_t value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    Put(line, "0123456789abcdef"[(value >> (4 * i)) & 0xF]);
  }
}

}  // namespace secure_node::line_writer_internal
