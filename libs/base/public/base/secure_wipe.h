// Secure wipe: zeroes memory in a way the compiler may not remove.
//
// A plain memset() of a buffer that is never read again is a dead store;
// GCC and Clang delete it at -O2, and with LTO also across translation units
// (e.g. a memset just before a block goes back to a pool whose storage the
// optimiser can see). Two techniques keep the stores:
//
//  * Cortex-R (bare-metal Arm): the bulk is written by a `volatile` inline
//    assembly loop of STM instructions (16 bytes per instruction) with a
//    "memory" clobber. A volatile asm statement is never deleted or merged,
//    so the stores happen whatever the optimiser knows. The unaligned head
//    and tail use volatile byte/word stores.
//  * Elsewhere: memset() (word/vector-wide, as fast as the C library
//    allows) followed by a compiler barrier `asm volatile("" :: "r"(p) :
//    "memory")`: the optimiser must assume the empty assembly reads all
//    memory reachable from p, so the preceding stores are live. This is the
//    technique of the Linux kernel's memzero_explicit() and of glibc's
//    explicit_bzero(); it survives LTO because the asm body is opaque.
//
// Non-guarantees (see libs/pool/README.md): copies of the secret in registers,
// in stack spills of the code that handled it, in caches of other bus masters,
// or in memory the caller copied it to, are out of reach of a wipe.
#ifndef LIBS_BASE_PUBLIC_BASE_SECURE_WIPE_H_
#define LIBS_BASE_PUBLIC_BASE_SECURE_WIPE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace base {

// Zeroes [data, data + size). Any alignment, any size (0 is a no-op).
void SecureWipe(void* data, std::size_t size) noexcept;

inline void SecureWipe(std::span<std::byte> bytes) noexcept {
  SecureWipe(bytes.data(), bytes.size());
}

namespace internal {

// Tells the optimiser that memory reachable from p is read here.
inline void ClobberMemory(const void* p) noexcept {
  asm volatile("" : : "r"(p) : "memory");
}

#if defined(__arm__)
// The STM zeroing of every Cortex-R wipe, written once. Four zero registers
// make 16 bytes per store instruction: up to 256 bytes the stores are
// unrolled (.rept, no loop overhead); above, a loop of 4 STMs (64 bytes) per
// iteration. The pointer must be 4-byte aligned.
//
// Two register sets. {r2, r3, r12, lr}: the wipe loads all four zeros itself
// (SecureWipe, SecureWipeFixed). {r0, r2, r12, lr}: r0 and r2 come in from
// the caller and must hold 0 -- libs/pool's release has just stored a zero
// from r0 and holds a STREX status of 0 in r2, so it loads two zeros instead
// of four (pool/internal/wipe.h).
#define BASE_INTERNAL_STM_ZERO_UNROLLED(list) \
  ".rept %c[n]\n\t"                           \
  "stmia %[p]!, {" list                       \
  "}\n\t"                                     \
  ".endr"
#define BASE_INTERNAL_STM_ZERO_LOOP(list) \
  "1:\n\t"                                \
  "stmia %[p]!, {" list                   \
  "}\n\t"                                 \
  "stmia %[p]!, {" list                   \
  "}\n\t"                                 \
  "stmia %[p]!, {" list                   \
  "}\n\t"                                 \
  "stmia %[p]!, {" list                   \
  "}\n\t"                                 \
  "cmp %[p], %[end]\n\t"                  \
  "bne 1b"

// Zeroes [p, end), end - p a non-zero multiple of 64: the loop above, with
// the zeros it loads itself.
inline void ArmZeroLoop(void* p, const void* end) noexcept {
  asm volatile(
      "movs r2, #0\n\t"
      "movs r3, #0\n\t"
      "mov r12, #0\n\t"
      "mov lr, #0\n\t" BASE_INTERNAL_STM_ZERO_LOOP("r2, r3, r12, lr")
      : [p] "+r"(p)
      : [end] "r"(end)
      : "r2", "r3", "r12", "lr", "cc", "memory");
}

// Zeroes kBytes at p (a multiple of 16; above 256 a multiple of 64).
template <std::size_t kBytes>
inline void ArmZeroFixed(void* p) noexcept {
  static_assert(kBytes % 16 == 0 && kBytes > 0);
  if constexpr (kBytes <= 256) {
    asm volatile(
        "movs r2, #0\n\t"
        "movs r3, #0\n\t"
        "mov r12, #0\n\t"
        "mov lr, #0\n\t" BASE_INTERNAL_STM_ZERO_UNROLLED("r2, r3, r12, lr")
        : [p] "+r"(p)
        : [n] "i"(kBytes / 16)
        : "r2", "r3", "r12", "lr", "cc", "memory");
  } else {
    static_assert(kBytes % 64 == 0, "large fixed wipes come in 64 B steps");
    ArmZeroLoop(p, static_cast<std::byte*>(p) + kBytes);
  }
}

// As ArmZeroFixed, with r0 and r2 given by the caller (both must be 0).
template <std::size_t kBytes>
[[gnu::always_inline]] inline void ArmZeroFixedFromR0R2(
    void* p, std::uint32_t zero_r0, std::uint32_t zero_r2) noexcept {
  static_assert(kBytes % 16 == 0 && kBytes > 0);
  register std::uint32_t r0 asm("r0") = zero_r0;
  register std::uint32_t r2 asm("r2") = zero_r2;
  if constexpr (kBytes <= 256) {
    asm volatile(
        "mov r12, #0\n\t"
        "mov lr, #0\n\t" BASE_INTERNAL_STM_ZERO_UNROLLED("r0, r2, r12, lr")
        : [p] "+r"(p)
        : [n] "i"(kBytes / 16), "r"(r0), "r"(r2)
        : "r12", "lr", "memory");
  } else {
    static_assert(kBytes % 64 == 0, "large fixed wipes come in 64 B steps");
    const void* end = static_cast<std::byte*>(p) + kBytes;
    asm volatile(
        "mov r12, #0\n\t"
        "mov lr, #0\n\t" BASE_INTERNAL_STM_ZERO_LOOP("r0, r2, r12, lr")
        : [p] "+r"(p)
        : [end] "r"(end), "r"(r0), "r"(r2)
        : "r12", "lr", "cc", "memory");
  }
}
#endif

}  // namespace internal

// Zeroes a block whose size and alignment are compile-time constants (pool
// blocks): no alignment tests, no tail handling, and on Cortex-R straight-line
// STM code for blocks up to 256 bytes. kAlignment is a guarantee the caller
// gives about data.
template <std::size_t kBytes, std::size_t kAlignment>
inline void SecureWipeFixed(void* data) noexcept {
#if defined(__arm__)
  if constexpr (kAlignment >= 4 && kBytes % 16 == 0 &&
                (kBytes <= 256 || kBytes % 64 == 0)) {
    internal::ArmZeroFixed<kBytes>(data);
    internal::ClobberMemory(data);
  } else {
    SecureWipe(data, kBytes);
  }
#else
  static_cast<void>(kAlignment);
  std::memset(data, 0, kBytes);
  internal::ClobberMemory(data);
#endif
}

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_SECURE_WIPE_H_
