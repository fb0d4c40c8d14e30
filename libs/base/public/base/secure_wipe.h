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
// Zeroes kBytes at p with STM of four zero registers (r2, r3, r12, lr):
// 16 bytes per store instruction. p must be 4-byte aligned; kBytes a
// multiple of 16. Up to 256 bytes the stores are unrolled (.rept, no loop
// overhead); above, a loop of 4 STMs (64 bytes) per iteration.
template <std::size_t kBytes>
inline void ArmZeroFixed(void* p) noexcept {
  static_assert(kBytes % 16 == 0 && kBytes > 0);
  void* cursor = p;
  if constexpr (kBytes <= 256) {
    asm volatile(
        "movs r2, #0\n\t"
        "movs r3, #0\n\t"
        "mov r12, #0\n\t"
        "mov lr, #0\n\t"
        ".rept %c[n]\n\t"
        "stmia %[p]!, {r2, r3, r12, lr}\n\t"
        ".endr"
        : [p] "+r"(cursor)
        : [n] "i"(kBytes / 16)
        : "r2", "r3", "r12", "lr", "cc", "memory");
  } else {
    static_assert(kBytes % 64 == 0, "large fixed wipes come in 64 B steps");
    const void* end = static_cast<std::byte*>(p) + kBytes;
    asm volatile(
        "movs r2, #0\n\t"
        "movs r3, #0\n\t"
        "mov r12, #0\n\t"
        "mov lr, #0\n"
        "1:\n\t"
        "stmia %[p]!, {r2, r3, r12, lr}\n\t"
        "stmia %[p]!, {r2, r3, r12, lr}\n\t"
        "stmia %[p]!, {r2, r3, r12, lr}\n\t"
        "stmia %[p]!, {r2, r3, r12, lr}\n\t"
        "cmp %[p], %[end]\n\t"
        "bne 1b"
        : [p] "+r"(cursor)
        : [end] "r"(end)
        : "r2", "r3", "r12", "lr", "cc", "memory");
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
