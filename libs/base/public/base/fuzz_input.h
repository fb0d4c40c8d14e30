// A libFuzzer input read as a stream of choices: bytes, and big-endian
// words made of them. Past its end it reads zeros, so every input, however
// short, drives a complete run and a mutation changes one choice at a time.
// Shared by the fuzz targets (libs/*/fuzz, apps/secure_node/fuzz), whose
// checked-in corpora and regression inputs are written in this encoding.
#ifndef LIBS_BASE_PUBLIC_BASE_FUZZ_INPUT_H_
#define LIBS_BASE_PUBLIC_BASE_FUZZ_INPUT_H_

#include <cstddef>
#include <cstdint>

namespace base {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size)
      : data_(data), size_(size) {}

  bool empty() const { return at_ == size_; }
  std::uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint16_t Word16() {
    const std::uint16_t high = Byte();
    return static_cast<std::uint16_t>(high << 8 | Byte());
  }
  std::uint32_t Word() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = value << 8 | Byte();
    return value;
  }
  std::uint64_t Word64() {
    const std::uint64_t high = Word();  // read first: `|` does not sequence
    return high << 32 | Word();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_FUZZ_INPUT_H_
