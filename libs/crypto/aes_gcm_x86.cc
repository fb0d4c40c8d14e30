// AES-NI / PCLMULQDQ implementations; see aes_gcm_x86.h for the
// constant-time argument. The functions carry target attributes, so the
// rest of the library is still built for baseline x86-64 and this code only
// runs after the CPUID check in hw_dispatch.cc.
#include "libs/crypto/aes_gcm_x86.h"

#if defined(CRYPTO_HAVE_X86_AESNI)

#include <immintrin.h>

#define CRYPTO_X86_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1")))

namespace crypto::internal::x86 {
namespace {

CRYPTO_X86_TARGET inline __m128i Load(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

CRYPTO_X86_TARGET inline void Store(void* p, __m128i v) {
  _mm_storeu_si128(static_cast<__m128i*>(p), v);
}

// Up to 8 blocks through all rounds, interleaved so the AESENC latency is
// hidden. rounds is 10, 12 or 14 (public).
template <int n>
CRYPTO_X86_TARGET inline void EncryptN(const std::uint32_t* rk, unsigned rounds,
                                       __m128i b[n]) {
  __m128i k = Load(rk);
  for (int i = 0; i < n; ++i) b[i] = _mm_xor_si128(b[i], k);
  for (unsigned r = 1; r < rounds; ++r) {
    k = Load(rk + 4 * r);
    for (int i = 0; i < n; ++i) b[i] = _mm_aesenc_si128(b[i], k);
  }
  k = Load(rk + 4 * rounds);
  for (int i = 0; i < n; ++i) b[i] = _mm_aesenclast_si128(b[i], k);
}

CRYPTO_X86_TARGET inline __m128i ByteReverse(__m128i v) {
  return _mm_shuffle_epi8(
      v, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

// GHASH on byte-reversed operands (Gueron & Kounavis, Intel's "Carry-less
// multiplication and its usage for computing the GCM mode"): a 256-bit
// carry-less product (lo, hi), then a shift left by one and the reduction
// modulo x^128 + x^7 + x^2 + x + 1 in the reflected representation.
CRYPTO_X86_TARGET inline void ClMul256(__m128i a, __m128i b, __m128i& lo,
                                       __m128i& hi) {
  const __m128i l = _mm_clmulepi64_si128(a, b, 0x00);
  const __m128i h = _mm_clmulepi64_si128(a, b, 0x11);
  const __m128i m = _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x10),
                                  _mm_clmulepi64_si128(a, b, 0x01));
  lo = _mm_xor_si128(l, _mm_slli_si128(m, 8));
  hi = _mm_xor_si128(h, _mm_srli_si128(m, 8));
}

CRYPTO_X86_TARGET inline __m128i Reduce(__m128i lo, __m128i hi) {
  // (hi:lo) <<= 1.
  __m128i t7 = _mm_srli_epi32(lo, 31);
  __m128i t8 = _mm_srli_epi32(hi, 31);
  lo = _mm_slli_epi32(lo, 1);
  hi = _mm_slli_epi32(hi, 1);
  const __m128i t9 = _mm_srli_si128(t7, 12);
  t8 = _mm_slli_si128(t8, 4);
  t7 = _mm_slli_si128(t7, 4);
  lo = _mm_or_si128(lo, t7);
  hi = _mm_or_si128(hi, t8);
  hi = _mm_or_si128(hi, t9);
  // First phase of the reduction.
  t7 = _mm_xor_si128(
      _mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)),
      _mm_slli_epi32(lo, 25));
  t8 = _mm_srli_si128(t7, 4);
  t7 = _mm_slli_si128(t7, 12);
  lo = _mm_xor_si128(lo, t7);
  // Second phase.
  __m128i t2 =
      _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)),
                    _mm_srli_epi32(lo, 7));
  t2 = _mm_xor_si128(t2, t8);
  lo = _mm_xor_si128(lo, t2);
  return _mm_xor_si128(hi, lo);
}

CRYPTO_X86_TARGET inline __m128i GfMul(__m128i a, __m128i b) {
  __m128i lo, hi;
  ClMul256(a, b, lo, hi);
  return Reduce(lo, hi);
}

// The GHASH state y (big-endian words) as a byte-reversed vector and back.
CRYPTO_X86_TARGET inline __m128i LoadState(const std::uint32_t y[4]) {
  return _mm_set_epi32(static_cast<int>(y[0]), static_cast<int>(y[1]),
                       static_cast<int>(y[2]), static_cast<int>(y[3]));
}

CRYPTO_X86_TARGET inline void StoreState(std::uint32_t y[4], __m128i v) {
  y[0] = static_cast<std::uint32_t>(_mm_extract_epi32(v, 3));
  y[1] = static_cast<std::uint32_t>(_mm_extract_epi32(v, 2));
  y[2] = static_cast<std::uint32_t>(_mm_extract_epi32(v, 1));
  y[3] = static_cast<std::uint32_t>(_mm_extract_epi32(v, 0));
}

}  // namespace

CRYPTO_X86_TARGET void EncryptBlocks(const std::uint32_t* rk, unsigned rounds,
                                     const std::uint8_t* in, std::uint8_t* out,
                                     std::size_t blocks) {
  for (; blocks >= 2; blocks -= 2, in += 32, out += 32) {
    __m128i b[2] = {Load(in), Load(in + 16)};
    EncryptN<2>(rk, rounds, b);
    Store(out, b[0]);
    Store(out + 16, b[1]);
  }
  if (blocks != 0) {
    __m128i b[1] = {Load(in)};
    EncryptN<1>(rk, rounds, b);
    Store(out, b[0]);
  }
}

CRYPTO_X86_TARGET void GhashSet(const std::uint8_t h[16],
                                std::uint32_t* table) {
  const __m128i h1 = ByteReverse(Load(h));
  const __m128i h2 = GfMul(h1, h1);
  const __m128i h3 = GfMul(h2, h1);
  const __m128i h4 = GfMul(h3, h1);
  Store(table, h1);
  Store(table + 4, h2);
  Store(table + 8, h3);
  Store(table + 12, h4);
}

CRYPTO_X86_TARGET void GhashAbsorb(const std::uint32_t* table,
                                   std::uint32_t y[4], const std::uint8_t* data,
                                   std::size_t len) {
  const __m128i h1 = Load(table);
  __m128i acc = LoadState(y);
  if (len >= 64) {
    const __m128i h2 = Load(table + 4);
    const __m128i h3 = Load(table + 8);
    const __m128i h4 = Load(table + 12);
    // Aggregated reduction: ((((Y^X1)H ^ X2)H ^ X3)H ^ X4)H
    // = (Y^X1)H^4 ^ X2 H^3 ^ X3 H^2 ^ X4 H, one reduction per four blocks.
    while (len >= 64) {
      __m128i lo, hi, l, h;
      ClMul256(_mm_xor_si128(acc, ByteReverse(Load(data))), h4, lo, hi);
      ClMul256(ByteReverse(Load(data + 16)), h3, l, h);
      lo = _mm_xor_si128(lo, l);
      hi = _mm_xor_si128(hi, h);
      ClMul256(ByteReverse(Load(data + 32)), h2, l, h);
      lo = _mm_xor_si128(lo, l);
      hi = _mm_xor_si128(hi, h);
      ClMul256(ByteReverse(Load(data + 48)), h1, l, h);
      lo = _mm_xor_si128(lo, l);
      hi = _mm_xor_si128(hi, h);
      acc = Reduce(lo, hi);
      data += 64;
      len -= 64;
    }
  }
  for (; len >= 16; len -= 16, data += 16) {
    acc = GfMul(_mm_xor_si128(acc, ByteReverse(Load(data))), h1);
  }
  StoreState(y, acc);
}

CRYPTO_X86_TARGET void GhashMultiply(const std::uint32_t* table,
                                     std::uint32_t y[4]) {
  StoreState(y, GfMul(LoadState(y), Load(table)));
}

}  // namespace crypto::internal::x86

#endif  // CRYPTO_HAVE_X86_AESNI
