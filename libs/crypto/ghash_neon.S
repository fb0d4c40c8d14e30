// GHASH block absorption with Advanced SIMD (NEON) polynomial multiplies,
// for cores that have them (Cortex-R52 with -mfpu=neon-fp-armv8). Empty
// where __ARM_NEON is not defined (Cortex-R5), so BUILD.bazel can list it
// for every bare-metal board.
//
//   void crypto_ghash_neon_absorb(uint32_t y[4], const uint8_t* data,
//                                 size_t blocks, const uint8_t key[24]);
//
// For each 16-byte block X: Y = (Y ^ X) * H. y[] as GhashKey::State
// (big-endian words); data any alignment. key (internal::GhashNeonKey): the
// 128-bit reflected integer H' = H * x^-1 as three little-endian 64-bit
// words: low half, high half, low ^ high (ghash.cc explains x^-1: the
// integer product then needs no 1-bit shift).
//
// Why constant-time: straight-line block body, the only branch is the loop
// over the public block count, no address depends on data, Y or H, and no
// memory is written but y[]. VMULL.P8 and the other Advanced SIMD
// instructions used have operand-independent timing on Cortex-R52 (TRM
// instruction timing tables; no early termination for polynomial
// multiplies). Secret-holding NEON registers are zeroed before returning;
// d8-d15 (callee-saved) are not used.
//
// 64x64 carry-less product from VMULL.P8 (8 lanes of 8x8 -> 16 bits): with
// A = bytes a0..a7, B = b0..b7 (byte i = bits 8i..8i+7), the product is the
// XOR of a_i * b_j at bit 8(i + j). VMULL.P8(A, B) puts a_i * b_i at bit 16i:
// the diagonal j = i, in place. For 1 <= k <= 7, S_k(V) = V shifted down by
// k bytes (lane i = v_(i+k), zero above): VMULL.P8(A, S_k B) has a_i b_(i+k)
// at bit 16i, VMULL.P8(S_k A, B) has a_(i+k) b_i at bit 16i, and both belong
// at 16i + 8k, so they are XORed and shifted up by k bytes together.
// 15 VMULLs, 14 VEXTs for the S_k, 7 VEXTs for the placement and 14 VEORs:
// 50 instructions per 64x64 product.
//
// 128x128 by Karatsuba (3 products, 4 VEORs), reduction as in the scalar
// routine with 64-bit lanes (14), load/byte-reverse/XOR 6, loop 2: about 175
// instructions per block.

#if defined(__ARM_NEON)

    .syntax unified
    .thumb
    .fpu    neon-fp-armv8
    .text

// accq = carry-less ad * bd (ad, bd: d registers; accq a q register).
// Uses q8, q9, q11, d20, d21; q0 must be zero.
.macro MUL64 accq, ad, bd
    vmull.p8 \accq, \ad, \bd
    .irp k, 1, 2, 3, 4, 5, 6, 7
    vext.8  d20, \ad, d0, #\k           // S_k A
    vext.8  d21, \bd, d0, #\k           // S_k B
    vmull.p8 q8, \ad, d21
    vmull.p8 q9, d20, \bd
    veor    q8, q8, q9
    vext.8  q11, q0, q8, #(16 - \k)     // << k bytes
    veor    \accq, \accq, q11
    .endr
.endm

    .align  2
    .global crypto_ghash_neon_absorb
    .type   crypto_ghash_neon_absorb, %function
    .thumb_func
crypto_ghash_neon_absorb:
    cbnz    r2, 1f
    bx      lr
1:
    vmov.i8 q0, #0
    vld1.64 {d2, d3, d4}, [r3]          // B lo, B hi, B lo ^ hi
    // Y: y[0] most significant. As 64-bit little-endian words: d27 = high
    // half (y[0] << 32 | y[1]), d26 = low half.
    vld1.32 {d26, d27}, [r0]
    vrev64.32 q13, q13
    vswp    d26, d27

.Lneon_block:
    // X: bytes 0..15 big-endian; reversed within each half, d16 = high 64
    // bits, d17 = low 64 bits.
    vld1.8  {d16, d17}, [r1]!
    vrev64.8 q8, q8
    veor    d6, d27, d16                // A hi
    veor    d7, d26, d17                // A lo
    veor    d5, d6, d7                  // A lo ^ hi

    MUL64   q12, d7, d2                 // L = A lo * B lo
    MUL64   q13, d6, d3                 // H = A hi * B hi
    MUL64   q14, d5, d4                 // M
    veor    q14, q14, q12
    veor    q14, q14, q13               // middle = M ^ L ^ H
    // P = L + middle << 64 + H << 128, 64-bit words p0..p3:
    // p0 d24, p1 d25 ^ d28, p2 d26 ^ d29, p3 d27.
    veor    d25, d25, d28
    veor    d26, d26, d29

    // Reduction (see ghash_arm.S; bit k of P is the coefficient of
    // x^(255 - k)). D = (p1 p0) in q12, the result goes into (p3 p2) = q13.
    // c(v) = v << 63 ^ v << 62 ^ v << 57 folds the bits that a right shift
    // of D by 1, 2, 7 would lose: p1 ^= c(p0) first; the low word then
    // takes c(p1) unshifted (c(p1 ^ c(p0)) = c(p1): c(p0) has no bit below
    // 57, so shifting it up by 57 or more leaves nothing).
    vshl.i64 q8, q12, #63
    vshl.i64 q9, q12, #62
    veor    q8, q8, q9
    vshl.i64 q9, q12, #57
    veor    q8, q8, q9                  // d16 = c(p0), d17 = c(p1)
    veor    d25, d25, d16
    veor    q13, q13, q12
    vshr.u64 q9, q12, #1
    veor    q13, q13, q9
    vshr.u64 q9, q12, #2
    veor    q13, q13, q9
    vshr.u64 q9, q12, #7
    veor    q13, q13, q9
    veor    d26, d26, d17               // Y: d26 low, d27 high

    subs    r2, r2, #1
    bne     .Lneon_block

    vswp    d26, d27
    vrev64.32 q13, q13
    vst1.32 {d26, d27}, [r0]
    // Zero what held H, Y, X and products.
    vmov.i8 q1, #0
    vmov.i8 q2, #0
    vmov.i8 q3, #0
    vmov.i8 q8, #0
    vmov.i8 q9, #0
    vmov.i8 q10, #0
    vmov.i8 q11, #0
    vmov.i8 q12, #0
    vmov.i8 q13, #0
    vmov.i8 q14, #0
    bx      lr
    .size   crypto_ghash_neon_absorb, . - crypto_ghash_neon_absorb

#endif
