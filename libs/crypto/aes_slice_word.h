// The word operations the bitsliced AES core is written in, for each word
// type it is instantiated with (internal to libs/crypto):
//
//   std::uint32_t  one block pair (host, Cortex-R5F, and the scalar pair on
//                  every target);
//   uint32x4_t     four independent block pairs, one per 32-bit lane, where
//                  NEON exists (Cortex-R52): every lane runs exactly what the
//                  scalar code runs on its word.
//
// The core (aes_bitslice.h, aes_fixslice.h) uses ^ & | ~ and shifts by
// constants directly, which GCC vector types support lane-wise; only the
// operations below differ per type, because NEON has cheaper forms for them.
// All are fixed sequences of logic/shift/permute instructions: no branch, no
// address depends on the data.
#ifndef LIBS_CRYPTO_AES_SLICE_WORD_H_
#define LIBS_CRYPTO_AES_SLICE_WORD_H_

#include <cstdint>

#if defined(__ARM_NEON)
#include <arm_neon.h>
#endif

namespace crypto::internal {

// x rotated right by n bits (0 < n < 32).
template <int n>
[[gnu::always_inline]] inline std::uint32_t RotateRight(std::uint32_t x) {
  static_assert(n > 0 && n < 32);
  return (x >> n) | (x << (32 - n));
}

// Every byte lane of x rotated right by n bits (0 < n < 8): in the bitsliced
// layout that moves column c + n/2 of every row to column c. Fixed masks and
// shifts only.
template <int n>
[[gnu::always_inline]] inline std::uint32_t RotateBytesRight(std::uint32_t x) {
  static_assert(n > 0 && n < 8);
  constexpr std::uint32_t kLow = (0xffu >> n) * 0x01010101u;
  return ((x >> n) & kLow) | ((x << (8 - n)) & ~kLow);
}

// Round key word k[0] in the form it is XORed into the state.
template <typename W>
W LoadKeyWord(const std::uint32_t* k);

template <>
[[gnu::always_inline]] inline std::uint32_t LoadKeyWord<std::uint32_t>(
    const std::uint32_t* k) {
  return *k;
}

#if defined(__ARM_NEON)

// Word rotation: two instructions (VSHL, VSRI) instead of shift, shift, OR;
// by 16 a single VREV32.16 (swap the halfwords of every lane).
template <int n>
[[gnu::always_inline]] inline uint32x4_t RotateRight(uint32x4_t x) {
  static_assert(n > 0 && n < 32);
  if constexpr (n == 16) {
    return vreinterpretq_u32_u16(vrev32q_u16(vreinterpretq_u16_u32(x)));
  } else {
    return vsriq_n_u32(vshlq_n_u32(x, 32 - n), x, n);
  }
}

// NEON shifts within byte elements, so no masks are needed: VSHL.I8 puts
// the low n bits of every byte on top, VSRI.8 inserts the byte shifted
// right below them.
template <int n>
[[gnu::always_inline]] inline uint32x4_t RotateBytesRight(uint32x4_t x) {
  static_assert(n > 0 && n < 8);
  const uint8x16_t b = vreinterpretq_u8_u32(x);
  return vreinterpretq_u32_u8(vsriq_n_u8(vshlq_n_u8(b, 8 - n), b, n));
}

// The schedule is stored once for a block pair; every lane (pair) uses the
// same key, so the word is loaded and replicated in one VLD1.32 {dN[], dM[]}.
template <>
[[gnu::always_inline]] inline uint32x4_t LoadKeyWord<uint32x4_t>(
    const std::uint32_t* k) {
  return vld1q_dup_u32(k);
}

#endif  // __ARM_NEON

}  // namespace crypto::internal

#endif  // LIBS_CRYPTO_AES_SLICE_WORD_H_
