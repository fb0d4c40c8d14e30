// GHASH block absorption for the Cortex-R boards (Armv7-R and Armv8-R
// AArch32), Thumb-2, one source for -mcpu=cortex-r5 and -mcpu=cortex-r52.
//
//   void crypto_ghash_arm_absorb(uint32_t y[4], const uint8_t* data,
//                                size_t blocks, const uint32_t key[72]);
//
// For each 16-byte block X: Y = (Y ^ X) * H. y[] holds Y as big-endian words
// (y[0] = bytes 0..3), as GhashKey::State. key[] is in the layout built by
// internal::GhashArmKey (ghash.cc; GhashKey::h_ on the Cortex-R5F): for
// each of the nine Karatsuba operands, in the order W0, W0^W1, W2^W3,
// W0^W2, W1, W3, W2, W1^W3, W0^W1^W2^W3 (W0 the least significant word;
// internal::kGhashArmOperandOrder), its four "holes" parts (word &
// 0x11111111, & 0x22222222, & 0x44444444, & 0x88888888); words 0..35 for
// H2' = H^2 * x^-1, words 36..71 for H' = H * x^-1.
//
// Blocks go in pairs: Y = (Y ^ X1) * H^2 ^ X2 * H, which is the same as two
// single steps. The first block's nine 64-bit products (with H2') are
// stored, the second block's (with H') are added to them (XOR), and the
// Karatsuba combination and the reduction, both linear in the products,
// run once per pair. Six of the second block's products are XORed into
// their slots as they come; the three of M are instead added when the
// combination loads them (one LDM fetches both blocks' M products). An odd
// count first takes one single block with H'.
// Data may be unaligned (single LDRs; both boards run with SCTLR.A = 0 and
// Normal memory, see platforms/*/board.cc).
//
// Why constant-time: the block body is straight-line code; the only branch
// is the loop over the (public) block count. No address depends on data, Y
// or H: H parts are read in a fixed order, spills go to fixed stack slots.
// The multiplier must have operand-independent timing: UMULL and UMLAL are
// listed with fixed cycle counts (no early termination) in the Cortex-R5
// and Cortex-R52 TRMs; Cortex-M3 terminates early and must never run this.
//
// Why assembly: the metric is executed instructions. The chains below add
// products as integers (UMLAL), which is correct only by the bound proved
// here, so C++ has to XOR every product separately; and the register plan
// (Y in registers across blocks, H parts by one LDM, masks as Thumb-2
// modified immediates) avoids the spills of the compiled code. The C++
// block took ~840 instructions on the R5F, this one 531.5 (in pairs).
//
// The multiply (32x32 carry-less, "holes"): x (data side) and y (H side)
// are each split into parts x_i, y_j holding bits congruent to i (resp. j)
// mod 4, 8 bits each. The integer product x_i * y_j has at result position
// p = i + j + 4k the count f(k) = #{s + t = k, 0 <= s,t <= 7} =
// min(k, 14 - k) + 1 <= 8 of one-bit terms, and nothing elsewhere; the
// carry-less product wants the parity of that count. Result class
// c = (i + j) mod 4 gets the four products (i, c - i mod 4) whose index
// sums are c (for i <= c) or c + 4.
//
// Chain bound (why two products may share one UMLAL accumulator): at a
// class-c position p = c + 4k, a product with sum c contributes f(k) and one
// with sum c + 4 contributes f(k - 1). For 1 <= k <= 7 that is
// (k + 1) + k <= 15, for 8 <= k <= 14 (15 - k) + (16 - k) <= 15, and at
// the ends (k = 0, k = 15) it is 1. A sum <= 15 fits the four bits p..p+3, so the
// integer addition carries nothing into the next position of the class
// (p + 4) and bit p is the parity. Two products with EQUAL sums can reach
// 8 + 8 = 16 (all-ones parts) and must never share an accumulator. After a
// class accumulator is masked (AND with its class mask) every position holds
// 0 or 1, and one more product can be added: 1 + 8 = 9 <= 15. The highest
// position used is 62 (sum 6, k = 14, count 1), so a 64-bit accumulator
// never overflows. Per class:
//   c = 0: {x0y0 + x1y3} mask, + x2y2 mask, + x3y1 mask      4 mul, 6 AND
//   c = 1: {x0y1 + x2y3} ^ {x1y0 + x3y2}, mask               4 mul, 2 EOR, 2 AND
//   c = 2: {x0y2 + x3y3} mask, + x1y1 mask, + x2y0 mask      4 mul, 6 AND
//   c = 3: x0y3 mask, + x1y2 mask, + x2y1 mask, + x3y0 mask  4 mul, 8 AND
// and three 64-bit ORs to merge the classes: 16 UMULL/UMLAL + 30 others
// (22 AND, 2 EOR, 6 ORR), plus 4 AND (split x) and 1 LDM (y parts) = 51;
// the data operands of two consecutive products come from adjacent frame
// slots by one LDRD (into r7 and lr; the first product's, a0, is still in
// r9), and the last product's result STRD is skipped (it stays in r8:r9).
// Masks are Thumb-2 modified immediates, so no register holds them.
// Registers in the multiply: r0-r3 y parts, r4-r7 x parts, r8:r9 result,
// r10:r11 class accumulator, r12 key pointer, lr the next x.
//
// Per pair (1063 instructions, 531.5 per block; counted on the source and
// confirmed by the QEMU instruction count; one block per step took 551 with
// the same operand loads, 555 before them): first block: data load, byte swap and XOR
// into Y 13; the five Karatsuba operand sums and one STM 6; key pointer 1;
// nine products 9 x 51 + 4 LDRD + 9 STRD = 472 (144 of them multiplies,
// 198 class masks, 72 class merges, 36 operand splits, 22 loads and
// stores). Second block: data pointer 1, data load and byte swap 9,
// operands 6, nine products 9 x 51 + 4 LDRD + 8 STRD + 6 x (LDRD + 2 EOR)
// = 489. Once: the two blocks' M products summed 1 ADD + 1 LDM + 6 EOR,
// Karatsuba combination 2 LDM + 25 EOR (35 in all); reduction 28; loop 3.
// A single block (odd counts): 13 + 6 + 2 + 471 + 30 + 28 + 3 = 553.
// Since H' = H * x^-1, the integer product of the reflected operands is
// already X * H in the 256-bit reflected layout (no 1-bit shift), and the
// reduction modulo x^128 + x^7 + x^2 + x + 1 is 28 EORs with shifted
// operands.
//
// Stack: 140-byte frame holding the nine operands (derived from Y ^ X1 or
// X2) and eleven products, all secret; it is zeroed before returning, as
// are the scratch registers r0-r8 and r12 (r9-r11 are restored by the
// POP). H and H^2 are never written to the stack (only the key address).

    .syntax unified
    .thumb
    .text

    .equ OFF_X, 0        // 9 words: Karatsuba operands of Y ^ X (or of X2)
    .equ OFF_RES, 36     // 22 words: the 64-bit products
    .equ OFF_Y, 124      // y pointer
    .equ OFF_DATA, 128   // data pointer (next block)
    .equ OFF_END, 132    // end of data
    .equ OFF_KEY, 136    // key pointer (H^2 operands; H's follow at +144)
    .equ FRAME, 140      // + 36 bytes pushed = 176, keeps sp 8-aligned
    .equ KEY_H, 144      // byte offset of H's operands in the key

    // Operand slots, by the STM (ascending registers):
    // r0 a0^a1, r1 a2^a3, r2 a0^a2, r3 a1, r4 a1^a3, r5 a0^a1^a2^a3, r9 a0,
    // r11 a3, lr a2. (a0 is used from r9 directly.)
    .equ X_A01, OFF_X + 0
    .equ X_A23, OFF_X + 4
    .equ X_A02, OFF_X + 8
    .equ X_A1, OFF_X + 12
    .equ X_A13, OFF_X + 16
    .equ X_A0123, OFF_X + 20
    .equ X_A3, OFF_X + 28
    .equ X_A2, OFF_X + 32

    // Product slots, grouped (u, v, w) per 64-bit Karatsuba for one LDM each,
    // in the order they are loaded back:
    // M = (a1^a3 a0^a2)(W13 W02), L = (a1 a0)(W1 W0), G = (a3 a2)(W3 W2).
    // The final product of a block (M's w) stays in r8:r9; the first block
    // of a pair parks it in R_MW. The second block of a pair stores its M
    // products to their own slots (R_BMU, R_BMV), in front of the first
    // block's, so that one LDM fetches all five for the combination; its
    // L and G products are XORed into the first block's slots.
    .equ R_BMU, OFF_RES + 0
    .equ R_BMV, OFF_RES + 8
    .equ R_MU, OFF_RES + 16
    .equ R_MV, OFF_RES + 24
    .equ R_MW, OFF_RES + 32
    .equ R_LU, OFF_RES + 40
    .equ R_LV, OFF_RES + 48
    .equ R_LW, OFF_RES + 56
    .equ R_GU, OFF_RES + 64
    .equ R_GV, OFF_RES + 72
    .equ R_GW, OFF_RES + 80

    .equ M0, 0x11111111
    .equ M1, 0x22222222
    .equ M2, 0x44444444
    .equ M3, 0x88888888

// r8:r9 = carry-less x * (next four key words), x in register xr (r7, r9
// or lr); the key pointer r12 advances by 16.
.macro CLMUL_REG xr
    ldm     r12!, {r0-r3}
    and     r4, \xr, #M0
    and     r5, \xr, #M1
    and     r6, \xr, #M2
    and     r7, \xr, #M3
    // class 1: sums 1 and 5 in each of two accumulators, XORed.
    umull   r8, r9, r4, r1
    umlal   r8, r9, r6, r3
    umull   r10, r11, r5, r0
    umlal   r10, r11, r7, r2
    eor     r8, r8, r10
    eor     r9, r9, r11
    and     r8, r8, #M1
    and     r9, r9, #M1
    // class 0: sum 0 + sum 4, then two more sum-4 products after masks.
    umull   r10, r11, r4, r0
    umlal   r10, r11, r5, r3
    and     r10, r10, #M0
    and     r11, r11, #M0
    umlal   r10, r11, r6, r2
    and     r10, r10, #M0
    and     r11, r11, #M0
    umlal   r10, r11, r7, r1
    and     r10, r10, #M0
    and     r11, r11, #M0
    orr     r8, r8, r10
    orr     r9, r9, r11
    // class 2: sum 2 + sum 6, then two more sum-2 products after masks.
    umull   r10, r11, r4, r2
    umlal   r10, r11, r7, r3
    and     r10, r10, #M2
    and     r11, r11, #M2
    umlal   r10, r11, r5, r1
    and     r10, r10, #M2
    and     r11, r11, #M2
    umlal   r10, r11, r6, r0
    and     r10, r10, #M2
    and     r11, r11, #M2
    orr     r8, r8, r10
    orr     r9, r9, r11
    // class 3: four products of sum 3, one at a time between masks.
    umull   r10, r11, r4, r3
    and     r10, r10, #M3
    and     r11, r11, #M3
    umlal   r10, r11, r5, r2
    and     r10, r10, #M3
    and     r11, r11, #M3
    umlal   r10, r11, r6, r1
    and     r10, r10, #M3
    and     r11, r11, #M3
    umlal   r10, r11, r7, r0
    and     r10, r10, #M3
    and     r11, r11, #M3
    orr     r8, r8, r10
    orr     r9, r9, r11
.endm

// 64-bit Karatsuba in place: u = (ul, uh), v = (vl, vh), w = (wl, wh) are
// the products of the low words, the high words and the word sums. Result
// K0..K3 = ul, wl, wh, vh; uh and vl are free afterwards.
.macro KARATSUBA64 ul, uh, vl, vh, wl, wh
    eor     \uh, \uh, \vl           // t = uh ^ vl
    eor     \wl, \wl, \uh
    eor     \wl, \wl, \ul           // K1 = t ^ ul ^ wl
    eor     \wh, \wh, \uh
    eor     \wh, \wh, \vh           // K2 = t ^ vh ^ wh
.endm

// dst ^= d ^ (d >> 1) ^ (d >> 2) ^ (d >> 7) ^ (e << 31) ^ (e << 30) ^ (e << 25):
// one word of D ^ (D >> 1) ^ (D >> 2) ^ (D >> 7) (128-bit shifts; e is the
// next more significant word of D) added into the result.
.macro REDUCE_WORD dst, d, e
    eor     \dst, \dst, \d
    eor     \dst, \dst, \d, lsr #1
    eor     \dst, \dst, \d, lsr #2
    eor     \dst, \dst, \d, lsr #7
    eor     \dst, \dst, \e, lsl #31
    eor     \dst, \dst, \e, lsl #30
    eor     \dst, \dst, \e, lsl #25
.endm

// Y ^= X for the block at r4 (big-endian words); r4 advances and is saved.
// Y = (a3 a2 a1 a0), a0 least significant: a3 r11, a2 lr, a1 r3, a0 r9.
.macro LOAD_XOR_Y
    ldr     r0, [r4], #4
    ldr     r1, [r4], #4
    ldr     r2, [r4], #4
    ldr     r5, [r4], #4
    str     r4, [sp, #OFF_DATA]
    rev     r0, r0
    rev     r1, r1
    rev     r2, r2
    rev     r5, r5
    eor     r11, r11, r0
    eor     lr, lr, r1
    eor     r3, r3, r2
    eor     r9, r9, r5
.endm

// The block at r4 itself into the same registers (second block of a pair:
// Y was already folded into the first).
.macro LOAD_X
    ldr     r11, [r4], #4
    ldr     lr, [r4], #4
    ldr     r3, [r4], #4
    ldr     r9, [r4], #4
    str     r4, [sp, #OFF_DATA]
    rev     r11, r11
    rev     lr, lr
    rev     r3, r3
    rev     r9, r9
.endm

// The nine Karatsuba operands of (a3 a2 a1 a0), to the frame.
.macro OPERANDS
    eor     r0, r9, r3              // a0 ^ a1
    eor     r1, lr, r11             // a2 ^ a3
    eor     r2, r9, lr              // a0 ^ a2
    eor     r4, r3, r11             // a1 ^ a3
    eor     r5, r0, r1              // a0 ^ a1 ^ a2 ^ a3
    stm     sp, {r0-r5, r9, r11, lr}
.endm

// One product with x in register xr and the next four key words (r12).
// mode 0: stored to [sp, #roff]; 1: XORed into the product stored there;
// 2: left in r8:r9.
.macro PROD xr, roff, mode
    CLMUL_REG \xr
    .if \mode == 1
    ldrd    r10, r11, [sp, #\roff]
    eor     r8, r8, r10
    eor     r9, r9, r11
    .endif
    .if \mode < 2
    strd    r8, r9, [sp, #\roff]
    .endif
.endm

// The nine products with the key operands at r12, in key order: W0, W0^W1,
// W2^W3, W0^W2, W1, W3, W2, W1^W3, W0^W1^W2^W3 (the order of the operand
// slots, so that one LDRD fetches the data operands of two consecutive
// products, into r7 and lr); M's w is left in r8:r9. acc = 0: stored;
// acc = 1 (second block of a pair): L's and G's XORed into the stored
// ones, M's u and v stored to their own slots.
.macro PRODUCTS acc
    PROD    r9, R_LU, \acc          // a0 (W0)
    ldrd    r7, lr, [sp, #X_A01]
    PROD    r7, R_LW, \acc          // a0^a1 (W01)
    PROD    lr, R_GW, \acc          // a2^a3 (W23)
    ldrd    r7, lr, [sp, #X_A02]
    .if \acc
    PROD    r7, R_BMU, 0            // a0^a2 (W02)
    .else
    PROD    r7, R_MU, 0
    .endif
    PROD    lr, R_LV, \acc          // a1 (W1)
    ldrd    r7, lr, [sp, #X_A3]
    PROD    r7, R_GV, \acc          // a3 (W3)
    PROD    lr, R_GU, \acc          // a2 (W2)
    ldrd    r7, lr, [sp, #X_A13]
    .if \acc
    PROD    r7, R_BMV, 0            // a1^a3 (W13)
    .else
    PROD    r7, R_MV, 0
    .endif
    CLMUL_REG lr                    // a0^a1^a2^a3 (W0123): M's w
.endm

// Karatsuba combination of the stored products (M's w in r8:r9) and the
// reduction; the result is the new Y in r11, lr, r3, r9. pair = 1: M's
// products are the sums of the two blocks' (five slots and r8:r9).
.macro COMBINE_REDUCE pair
    // 128-bit products M, L, G (words K0..K3), then
    // P = L + (L ^ G ^ M) << 64 + G << 128 as words P0..P7:
    // P0 = L0, P1 = L1, P2 = L2^L0^G0^M0, P3 = L3^L1^G1^M1,
    // P4 = G0^L2^G2^M2, P5 = G1^L3^G3^M3, P6 = G2, P7 = G3.
    .if \pair
    add     r12, sp, #R_BMU
    ldm     r12!, {r0-r7, r10, r11}
    eor     r0, r0, r4
    eor     r1, r1, r5
    eor     r2, r2, r6
    eor     r3, r3, r7
    eor     r8, r8, r10
    eor     r9, r9, r11
    .else
    add     r12, sp, #R_MU
    ldm     r12, {r0-r3}
    add     r12, sp, #R_LU
    .endif
    KARATSUBA64 r0, r1, r2, r3, r8, r9      // M0 r0, M1 r8, M2 r9, M3 r3
    ldm     r12!, {r1, r2, r4, r5, r6, r7}
    KARATSUBA64 r1, r2, r4, r5, r6, r7      // L0 r1, L1 r6, L2 r7, L3 r5
    ldm     r12, {r2, r4, r10, r11, r12, lr}
    KARATSUBA64 r2, r4, r10, r11, r12, lr   // G0 r2, G1 r12, G2 lr, G3 r11
    eor     r7, r7, r2              // L2 ^ G0
    eor     r5, r5, r12             // L3 ^ G1
    eor     r0, r0, r7
    eor     r0, r0, r1              // P2
    eor     r9, r9, r7
    eor     r9, r9, lr              // P4
    eor     r8, r8, r5
    eor     r8, r8, r6              // P3
    eor     r3, r3, r5
    eor     r3, r3, r11             // P5
    // P0 r1, P1 r6, P2 r0, P3 r8, P4 r9, P5 r3, P6 lr, P7 r11.

    // Reduction. Bit k of P is the coefficient of x^(255 - k): (P7..P4) is
    // the low-degree half, D = (P3..P0) the coefficients of x^128..x^255.
    // x^128 = x^7 + x^2 + x + 1, and multiplying by x^m is a right shift by
    // m in this order. The bits D >> m would shift out (the low 7 bits of
    // P0) have degree >= 128 again; they are first folded into the top of
    // D (P3 ^= P0 << 31, << 30, << 25), where the second pass cannot spill.
    eor     r8, r8, r1, lsl #31
    eor     r8, r8, r1, lsl #30
    eor     r8, r8, r1, lsl #25
    eor     r11, r11, r8
    eor     r11, r11, r8, lsr #1
    eor     r11, r11, r8, lsr #2
    eor     r11, r11, r8, lsr #7    // a3
    REDUCE_WORD lr, r0, r8          // a2
    REDUCE_WORD r3, r6, r0          // a1
    REDUCE_WORD r9, r1, r6          // a0
.endm

    .align  2
    .global crypto_ghash_arm_absorb
    .type   crypto_ghash_arm_absorb, %function
    .thumb_func
crypto_ghash_arm_absorb:
    cbnz    r2, .Lstart
    bx      lr
.Lstart:
    push    {r4-r11, lr}
    sub     sp, sp, #FRAME
    tst     r2, #1                  // odd count: one single block first
    add     r2, r1, r2, lsl #4
    str     r0, [sp, #OFF_Y]
    strd    r1, r2, [sp, #OFF_DATA]
    str     r3, [sp, #OFF_KEY]
    ldr     r11, [r0]
    ldr     lr, [r0, #4]
    ldr     r3, [r0, #8]
    ldr     r9, [r0, #12]
    mov     r4, r1
    beq     .Lpair

    // Single block: Y = (Y ^ X) * H.
    LOAD_XOR_Y
    OPERANDS
    ldr     r12, [sp, #OFF_KEY]
    add     r12, r12, #KEY_H
    PRODUCTS 0
    COMBINE_REDUCE 0
    ldrd    r4, r5, [sp, #OFF_DATA]
    cmp     r4, r5
    beq     .Ldone

.Lpair:
    // Two blocks: Y = (Y ^ X1) * H^2 ^ X2 * H, one combination and one
    // reduction for both (both are linear in the nine products).
    LOAD_XOR_Y
    OPERANDS
    ldr     r12, [sp, #OFF_KEY]     // H^2 operands; H's follow
    PRODUCTS 0
    strd    r8, r9, [sp, #R_MW]
    ldr     r4, [sp, #OFF_DATA]
    LOAD_X
    OPERANDS
    PRODUCTS 1
    COMBINE_REDUCE 1
    ldrd    r4, r5, [sp, #OFF_DATA]
    cmp     r4, r5
    bne     .Lpair

.Ldone:
    ldr     r0, [sp, #OFF_Y]
    str     r11, [r0]
    str     lr, [r0, #4]
    str     r3, [r0, #8]
    str     r9, [r0, #12]
    // Wipe the operands and products (frame words 0..30) and the scratch
    // registers that held them.
    movs    r0, #0
    movs    r1, #0
    movs    r2, #0
    movs    r3, #0
    movs    r4, #0
    movs    r5, #0
    movs    r6, #0
    movs    r7, #0
    mov     r8, #0
    stm     sp, {r0-r8}
    add     r12, sp, #36
    stm     r12!, {r0-r8}
    stm     r12!, {r0-r8}
    stm     r12, {r0-r3}
    mov     r12, #0
    add     sp, sp, #FRAME
    pop     {r4-r11, pc}
    .size   crypto_ghash_arm_absorb, . - crypto_ghash_arm_absorb
