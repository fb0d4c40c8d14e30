// Hex helpers for tests (test-only; no heap on the library side).
#ifndef LIBS_CRYPTO_TEST_UTIL_H_
#define LIBS_CRYPTO_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/backend.h"

namespace crypto::testing {

// The backend the tests set their keys up for, passed explicitly to every
// SetKey/Set/Configure. The *_portable host variants (BUILD.bazel) define
// CRYPTO_TEST_PORTABLE to run the same tests on the portable code on an
// AES-NI host; everywhere else the tests take the build's default.
#if defined(CRYPTO_TEST_PORTABLE)
inline constexpr Backend kTestBackend = Backend::kPortable;
#else
inline constexpr Backend kTestBackend = Backend::kAuto;
#endif

// The N bytes at p as a fixed-extent span, for tests that index into a
// larger buffer (Aes::EncryptBlock(Block<16>(in + 16), Block<16>(out))).
template <std::size_t N>
std::span<std::uint8_t, N> Block(std::uint8_t* p) {
  return std::span<std::uint8_t, N>(p, N);
}
template <std::size_t N>
std::span<const std::uint8_t, N> Block(const std::uint8_t* p) {
  return std::span<const std::uint8_t, N>(p, N);
}

inline std::vector<std::uint8_t> Hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(
        static_cast<std::uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

inline std::string ToHex(const std::uint8_t* p, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 15];
  }
  return s;
}

inline std::string ToHex(const std::vector<std::uint8_t>& v) {
  return ToHex(v.data(), v.size());
}

// Small deterministic PRNG (xorshift64*) so board and host tests see the
// same "random" inputs.
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : state_(seed ? seed : 1) {}
  std::uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545f4914f6cdd1dull;
  }
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(Next() % n);
  }
  void Fill(std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      p[i] = static_cast<std::uint8_t>(Next() >> 56);
  }
  std::vector<std::uint8_t> Bytes(std::size_t n) {
    std::vector<std::uint8_t> v(n);
    Fill(v.data(), n);
    return v;
  }

 private:
  std::uint64_t state_;
};

}  // namespace crypto::testing

#endif  // LIBS_CRYPTO_TEST_UTIL_H_
