// GHASH multiplication in GF(2^128), constant-time.
//
// Why constant-time: there are no tables and no data-dependent branches. The
// 128x128 carry-less product is built from 32x32 carry-less products, each
// computed with ordinary integer multiplications on operands "with holes":
// an operand is split into four parts keeping every fourth bit, so any
// column of an integer product of two parts sums at most 8 one-bit terms.
// That sum fits in 4 bits, the carries stay inside the three-bit holes, and
// the bit that matters (the column's parity, i.e. the carry-less result) is
// recovered by masking. Reduction is fixed shifts and XORs.
//
// Multiplier timing on the target cores: this relies on UMULL (32x32->64)
// taking the same time for all operands. Cortex-M3's UMULL terminates early
// on small operands, which would leak; the Cortex-R5 and Cortex-R52 TRMs give
// fixed cycle counts for MUL/UMULL with no operand-dependent early
// termination. On x86-64 the 64-bit IMUL/MUL used by the host build is
// fixed-latency on all current cores. A new core must be checked against its
// TRM before this code is trusted on it. The boards run ghash_arm.S, which
// adds products with UMLAL (32x32+64->64); the same TRM tables give it a
// fixed cycle count on both cores (UMLAL has no early termination either).
//
// This file is the host path and the reference (internal::
// GhashPortableMultiply, checked against SP 800-38D Algorithm 1 by
// ghash_test); on the boards GhashKey stores the key in the assembly's
// layout (internal::GhashArmKey) and sends whole blocks to the assembly.
#include "crypto/ghash.h"

#include "base/byte_order.h"
#include "base/secure_wipe.h"
#include "libs/crypto/aes_gcm_x86.h"
#include "libs/crypto/ghash_internal.h"
#include "libs/crypto/hw_dispatch.h"

namespace crypto {
namespace {

constexpr std::uint32_t kHoles[4] = {0x11111111u, 0x22222222u, 0x44444444u,
                                     0x88888888u};

using base::LoadBe32;
using base::StoreBe32;

inline std::uint64_t Mul(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::uint64_t>(a) * b;
}

// Carry-less 32x32 -> 64 product of x and y, where y is given pre-split:
// y[k] = y & kHoles[k]. Parts x_i and y_k contribute to result bits
// congruent to i + k (mod 4).
[[gnu::noinline]] std::uint64_t ClMul32(std::uint32_t x,
                                        const std::uint32_t y[4]) {
  const std::uint32_t x0 = x & kHoles[0];
  const std::uint32_t x1 = x & kHoles[1];
  const std::uint32_t x2 = x & kHoles[2];
  const std::uint32_t x3 = x & kHoles[3];
  // One residue class at a time, masked into the result before the next is
  // started: on a 32-bit core that keeps the live 64-bit values to two and
  // avoids spilling (16 products at once do not fit in 13 registers).
  std::uint64_t z =
      (Mul(x0, y[0]) ^ Mul(x1, y[3]) ^ Mul(x2, y[2]) ^ Mul(x3, y[1])) &
      0x1111111111111111ull;
  z |= (Mul(x0, y[1]) ^ Mul(x1, y[0]) ^ Mul(x2, y[3]) ^ Mul(x3, y[2])) &
       0x2222222222222222ull;
  z |= (Mul(x0, y[2]) ^ Mul(x1, y[1]) ^ Mul(x2, y[0]) ^ Mul(x3, y[3])) &
       0x4444444444444444ull;
  z |= (Mul(x0, y[3]) ^ Mul(x1, y[2]) ^ Mul(x2, y[1]) ^ Mul(x3, y[0])) &
       0x8888888888888888ull;
  return z;
}

inline void Split(std::uint32_t v, std::uint32_t out[4]) {
  for (int k = 0; k < 4; ++k) out[k] = v & kHoles[k];
}

// Indices into h_ of the Karatsuba operands built from H = (w3 w2 w1 w0),
// w0 least significant.
enum : int {
  kW0 = 0,
  kW1,
  kW2,
  kW3,
  kW01,    // w0 ^ w1
  kW23,    // w2 ^ w3
  kW02,    // w0 ^ w2
  kW13,    // w1 ^ w3
  kW0123,  // w0 ^ w1 ^ w2 ^ w3
};

#if CRYPTO_GHASH_ARM_ASM
// Whole blocks through the board's routine: NEON on the Cortex-R52, Thumb-2
// otherwise (the key is in that routine's layout, see GhashKey::Set).
inline void AbsorbBlocksAsm(std::uint32_t y[4], const std::uint8_t* data,
                            std::size_t blocks, const std::uint32_t* key) {
#if CRYPTO_GHASH_NEON
  crypto_ghash_neon_absorb(y, data, blocks, key);
#else
  crypto_ghash_arm_absorb(y, data, blocks, key);
#endif
}
#endif

}  // namespace

// The Thumb-2 routine without NEON is the one that needs H^2 (ghash.h decides
// the size from the same predefined macros).
static_assert(GhashKey::kKeyBytes ==
              (CRYPTO_GHASH_ARM_ASM && !CRYPTO_GHASH_NEON ? 18 : 9) * 16);

void GhashKey::RawSet(const std::uint8_t* h, [[maybe_unused]] Backend backend) {
#if defined(CRYPTO_HAVE_X86_AESNI)
  x86_pclmul_ = internal::UsesX86AesNi(backend);
  if (x86_pclmul_) {
    // H .. H^4 for PCLMULQDQ, in the first 16 of the 36 words.
    static_assert(internal::x86::kGhashWords <= sizeof(h_) / 4);
    internal::x86::GhashSet(h, &h_[0][0]);
    return;
  }
#endif
#if CRYPTO_GHASH_NEON
  static_assert(kKeyOperands == 9);
  base::SecureWipe(h_, sizeof h_);
  internal::GhashNeonKey(h, &h_[0][0]);
#elif CRYPTO_GHASH_ARM_ASM
  internal::GhashArmKey(h, h_);
#else
  internal::GhashPortableKey(h, h_);
#endif
}

void GhashKey::Clear() {
  base::SecureWipe(h_, sizeof h_);
#if defined(CRYPTO_HAVE_X86_AESNI)
  x86_pclmul_ = false;
#endif
}

void GhashKey::MultiplyByH(State y) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (x86_pclmul_) {
    internal::x86::GhashMultiply(&h_[0][0], y);
    return;
  }
#endif
#if CRYPTO_GHASH_ARM_ASM
  // (Y ^ 0) * H: the block routine with a zero block.
  static constexpr std::uint8_t kZero[kBlockBytes] = {};
  AbsorbBlocksAsm(y, kZero, 1, &h_[0][0]);
#else
  static_assert(kKeyOperands == 9);
  internal::GhashPortableMultiply(h_, y);
#endif
}

void GhashKey::RawAbsorb(State y, const std::uint8_t* data,
                         std::size_t len) const {
#if defined(CRYPTO_HAVE_X86_AESNI)
  if (x86_pclmul_) {
    const std::size_t whole = len - len % kBlockBytes;
    internal::x86::GhashAbsorb(&h_[0][0], y, data, whole);
    data += whole;
    len -= whole;
  }
#endif
#if CRYPTO_GHASH_ARM_ASM
  if (len >= kBlockBytes) {
    const std::size_t blocks = len / kBlockBytes;
    AbsorbBlocksAsm(y, data, blocks, &h_[0][0]);
    data += blocks * kBlockBytes;
    len -= blocks * kBlockBytes;
  }
#endif
  while (len >= kBlockBytes) {
    y[0] ^= LoadBe32(data);
    y[1] ^= LoadBe32(data + 4);
    y[2] ^= LoadBe32(data + 8);
    y[3] ^= LoadBe32(data + 12);
    MultiplyByH(y);
    data += kBlockBytes;
    len -= kBlockBytes;
  }
  if (len != 0) {
    std::uint8_t block[kBlockBytes] = {};
    for (std::size_t i = 0; i < len; ++i) block[i] = data[i];
    RawAbsorb(y, block, kBlockBytes);
    base::SecureWipe(block, sizeof block);
  }
}

void GhashKey::AbsorbLengths(State y, std::uint64_t aad_bits,
                             std::uint64_t text_bits) const {
  y[0] ^= static_cast<std::uint32_t>(aad_bits >> 32);
  y[1] ^= static_cast<std::uint32_t>(aad_bits);
  y[2] ^= static_cast<std::uint32_t>(text_bits >> 32);
  y[3] ^= static_cast<std::uint32_t>(text_bits);
  MultiplyByH(y);
}

void GhashKey::RawLoad(State y, const std::uint8_t* in) {
  for (int i = 0; i < 4; ++i) y[i] = LoadBe32(in + 4 * i);
}

void GhashKey::RawStore(const State y, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) StoreBe32(out + 4 * i, y[i]);
}

namespace internal {

void GhashPortableKey(const std::uint8_t h[16], GhashSplitKey key) {
  // Field elements are kept as loaded big-endian: bit 127 - i of the 128-bit
  // integer is the coefficient of x^i ("reflected" order). A carry-less
  // product of reflected operands is the reflected product, shifted by one
  // (see GhashPortableMultiply), so no bit reversal is needed.
  const std::uint32_t w3 = LoadBe32(h);
  const std::uint32_t w2 = LoadBe32(h + 4);
  const std::uint32_t w1 = LoadBe32(h + 8);
  const std::uint32_t w0 = LoadBe32(h + 12);
  Split(w0, key[kW0]);
  Split(w1, key[kW1]);
  Split(w2, key[kW2]);
  Split(w3, key[kW3]);
  Split(w0 ^ w1, key[kW01]);
  Split(w2 ^ w3, key[kW23]);
  Split(w0 ^ w2, key[kW02]);
  Split(w1 ^ w3, key[kW13]);
  Split(w0 ^ w1 ^ w2 ^ w3, key[kW0123]);
}

void GhashPortableMultiply(const GhashSplitKey key, std::uint32_t y[4]) {
  // Y as (a3 a2 a1 a0), a0 least significant.
  const std::uint32_t a3 = y[0], a2 = y[1], a1 = y[2], a0 = y[3];

  // Two-level Karatsuba: 9 products of 32-bit words instead of 16.
  // Low 64-bit halves: (a1 a0) x (w1 w0).
  const std::uint64_t l0 = ClMul32(a0, key[kW0]);
  const std::uint64_t l2 = ClMul32(a1, key[kW1]);
  const std::uint64_t l1 = ClMul32(a0 ^ a1, key[kW01]) ^ l0 ^ l2;
  // High halves: (a3 a2) x (w3 w2).
  const std::uint64_t g0 = ClMul32(a2, key[kW2]);
  const std::uint64_t g2 = ClMul32(a3, key[kW3]);
  const std::uint64_t g1 = ClMul32(a2 ^ a3, key[kW23]) ^ g0 ^ g2;
  // Sum of halves: (a1^a3 a0^a2) x (w1^w3 w0^w2).
  const std::uint32_t s0 = a0 ^ a2;
  const std::uint32_t s1 = a1 ^ a3;
  const std::uint64_t m0 = ClMul32(s0, key[kW02]);
  const std::uint64_t m2 = ClMul32(s1, key[kW13]);
  const std::uint64_t m1 = ClMul32(s0 ^ s1, key[kW0123]) ^ m0 ^ m2;

  // 128-bit products as (hi64, lo64): L = l2:l0 ^ l1<<32, etc.
  const std::uint64_t lo_lo = l0 ^ (l1 << 32);
  const std::uint64_t lo_hi = l2 ^ (l1 >> 32);
  const std::uint64_t hi_lo = g0 ^ (g1 << 32);
  const std::uint64_t hi_hi = g2 ^ (g1 >> 32);
  const std::uint64_t mid_lo = m0 ^ (m1 << 32) ^ lo_lo ^ hi_lo;
  const std::uint64_t mid_hi = m2 ^ (m1 >> 32) ^ lo_hi ^ hi_hi;

  // The 255-bit product P, as 64-bit limbs p0 (least) .. p3.
  std::uint64_t p0 = lo_lo;
  std::uint64_t p1 = lo_hi ^ mid_lo;
  std::uint64_t p2 = hi_lo ^ mid_hi;
  std::uint64_t p3 = hi_hi;

  // For reflected operands, bit k of P is the coefficient of x^(254 - k);
  // after P <<= 1, bit k is that of x^(255 - k). The upper 128 bits (p3 p2)
  // are then the low-degree half of the product in reflected order, and the
  // lower 128 bits (p1 p0) the coefficients of x^128 .. x^255: D.
  p3 = (p3 << 1) | (p2 >> 63);
  p2 = (p2 << 1) | (p1 >> 63);
  p1 = (p1 << 1) | (p0 >> 63);
  p0 <<= 1;

  // Reduce modulo x^128 + x^7 + x^2 + x + 1: x^128 * D = D * (1 + x + x^2 +
  // x^7). Multiplying by x^k is a right shift by k in reflected order; the
  // k bits shifted out are degree >= 128 again and are first folded back
  // into the top of D (left shifts by 127, 126, 121), where a second pass
  // cannot overflow.
  p1 ^= (p0 << 63) ^ (p0 << 62) ^ (p0 << 57);
  const std::uint64_t r1 = p1 ^ (p1 >> 1) ^ (p1 >> 2) ^ (p1 >> 7);
  const std::uint64_t r0 = p0 ^ ((p0 >> 1) | (p1 << 63)) ^
                           ((p0 >> 2) | (p1 << 62)) ^ ((p0 >> 7) | (p1 << 57));
  p3 ^= r1;
  p2 ^= r0;

  y[0] = static_cast<std::uint32_t>(p3 >> 32);
  y[1] = static_cast<std::uint32_t>(p3);
  y[2] = static_cast<std::uint32_t>(p2 >> 32);
  y[3] = static_cast<std::uint32_t>(p2);
}

#if CRYPTO_GHASH_ARM_ASM
// The assembly multiplies by H' = H * x^-1 so that the integer product of
// the reflected operands needs no 1-bit shift: with bit k of a 255-bit
// product of reflected operands standing for x^(254 - k), reading the same
// bits as x^(255 - k) multiplies by x, and x * X * H' = X * H (mod the GCM
// polynomial). In the reflected 128-bit integer (bit 127 - i = x^i),
// dividing by x is a left shift by one; the x^0 coefficient (bit 127)
// becomes x^-1 = x^127 + x^6 + x + 1 (as x * (x^127 + x^6 + x + 1) =
// x^128 + x^7 + x^2 + x = 1), i.e. bits 0, 121, 126 and 127. The select is
// a mask, not a branch.
namespace {
// w[0] least significant word of H * x^-1.
void TimesXInverse(const std::uint8_t h[16], std::uint32_t w[4]) {
  std::uint32_t w3 = LoadBe32(h);
  std::uint32_t w2 = LoadBe32(h + 4);
  std::uint32_t w1 = LoadBe32(h + 8);
  std::uint32_t w0 = LoadBe32(h + 12);
  const std::uint32_t carry = 0u - (w3 >> 31);
  w3 = (w3 << 1) | (w2 >> 31);
  w2 = (w2 << 1) | (w1 >> 31);
  w1 = (w1 << 1) | (w0 >> 31);
  w0 <<= 1;
  w[3] = w3 ^ (carry & 0xc2000000u);
  w[2] = w2;
  w[1] = w1;
  w[0] = w0 ^ (carry & 1u);
}
}  // namespace

namespace {
// The nine operands of v * x^-1, split, in the assembly's order.
void ArmOperands(const std::uint8_t v[16], GhashSplitKey out) {
  std::uint32_t w[4];
  TimesXInverse(v, w);
  std::uint8_t shifted[16];
  StoreBe32(shifted, w[3]);
  StoreBe32(shifted + 4, w[2]);
  StoreBe32(shifted + 8, w[1]);
  StoreBe32(shifted + 12, w[0]);
  GhashSplitKey split;
  GhashPortableKey(shifted, split);
  for (int i = 0; i < 9; ++i) {
    for (int k = 0; k < 4; ++k) out[i][k] = split[kGhashArmOperandOrder[i]][k];
  }
  base::SecureWipe(split, sizeof split);
  base::SecureWipe(shifted, sizeof shifted);
  base::SecureWipe(w, sizeof w);
}
}  // namespace

void GhashArmKey(const std::uint8_t h[16], GhashArmSplitKey out) {
  // H^2 with the portable multiplier (constant-time, key setup only); its
  // operands go first, H's second (ghash_arm.S reads them in that order).
  GhashSplitKey plain;
  GhashPortableKey(h, plain);
  std::uint32_t y[4];
  for (int i = 0; i < 4; ++i) y[i] = LoadBe32(h + 4 * i);
  GhashPortableMultiply(plain, y);
  std::uint8_t h2[16];
  for (int i = 0; i < 4; ++i) StoreBe32(h2 + 4 * i, y[i]);
  ArmOperands(h2, out);
  ArmOperands(h, out + 9);
  base::SecureWipe(plain, sizeof plain);
  base::SecureWipe(y, sizeof y);
  base::SecureWipe(h2, sizeof h2);
}
#endif

#if CRYPTO_GHASH_NEON
void GhashNeonKey(const std::uint8_t h[16], std::uint32_t out[6]) {
  std::uint32_t w[4];
  TimesXInverse(h, w);
  out[0] = w[0];
  out[1] = w[1];
  out[2] = w[2];
  out[3] = w[3];
  out[4] = w[0] ^ w[2];
  out[5] = w[1] ^ w[3];
  base::SecureWipe(w, sizeof w);
}
#endif

}  // namespace internal

}  // namespace crypto
