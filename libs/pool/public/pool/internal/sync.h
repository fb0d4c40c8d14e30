// Internal: the synchronisation modes of the pools and their atomic steps.
//
// A pool is either
//   kShared: used by any thread, core or interrupt handler. Read-modify-write
//            steps are atomic: hand-written LDREX/STREX sequences on
//            bare-metal Cortex-R (GCC has no LL/SC intrinsic, and its CAS
//            needs a plain load before the loop and the value recomputed
//            after it), std::atomic read-modify-writes elsewhere (x86: lock
//            cmpxchg / xchg / and).
//   kLocal:  used by one thread of execution at a time. The same steps are
//            plain (relaxed) loads and stores; the words stay std::atomic so
//            that a stats() reader elsewhere is not a data race.
//
// Arm exclusive windows hold no other memory access; an interrupt between
// LDREX and STREX clears the monitor, the STREX fails and the loop retries.
// Paths that leave a window before its STREX execute CLREX. With
// POOL_CONFIG_SMP=1 (pool/config.h) a DMB gives acquire/release ordering.
//
// Nothing here is API: pool/pool.h is.
#ifndef LIBS_POOL_PUBLIC_POOL_INTERNAL_SYNC_H_
#define LIBS_POOL_PUBLIC_POOL_INTERNAL_SYNC_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "base/status.h"
#include "pool/config.h"
#include "pool/status.h"

namespace pool::internal {

// Who may call a pool concurrently (declared in unique_block.h).
enum class Sync : std::uint8_t { kShared, kLocal };

// One machine word: 64-bit CAS on the host, 32-bit LDREX/STREX on Cortex-R.
using Word =
    std::conditional_t<(sizeof(void*) >= 8), std::uint64_t, std::uint32_t>;
static_assert(std::atomic<Word>::is_always_lock_free);
static_assert(std::atomic<std::uint8_t>::is_always_lock_free);
inline constexpr std::size_t kWordBits = 8 * sizeof(Word);

#if defined(__arm__) && !defined(__linux__)
inline constexpr bool kArmExclusives = true;
#else
inline constexpr bool kArmExclusives = false;
#endif

// True when kSync uses the hand-written exclusive sequences.
template <Sync kSync>
inline constexpr bool kUseArmAsm = kSync == Sync::kShared&& kArmExclusives;

template <Sync kSync>
inline constexpr std::memory_order kAcquireOrder =
    kSync == Sync::kShared ? kAcquire : std::memory_order_relaxed;
template <Sync kSync>
inline constexpr std::memory_order kReleaseOrder =
    kSync == Sync::kShared ? kRelease : std::memory_order_relaxed;

constexpr std::size_t RoundUp(std::size_t value, std::size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

// --- Generic read-modify-writes (std::atomic, or plain for kLocal) ---------

template <Sync kSync, typename T>
inline bool CompareExchange(std::atomic<T>& a, T& expected, T desired,
                            std::memory_order success,
                            std::memory_order failure) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return a.compare_exchange_weak(expected, desired, success, failure);
  } else {
    const T current = a.load(std::memory_order_relaxed);
    if (current != expected) {
      expected = current;
      return false;
    }
    a.store(desired, std::memory_order_relaxed);
    return true;
  }
}

template <Sync kSync, typename T>
inline T Exchange(
    std::atomic<T>& a, T value,
    std::memory_order order = std::memory_order_relaxed) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return a.exchange(value, order);
  } else {
    const T previous = a.load(std::memory_order_relaxed);
    a.store(value, std::memory_order_relaxed);
    return previous;
  }
}

template <Sync kSync>
inline void Increment(std::atomic<std::uint32_t>& counter) noexcept {
  if constexpr (kSync == Sync::kShared) {
    counter.fetch_add(1, std::memory_order_relaxed);
  } else {
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_relaxed);
  }
}

// Raises `word` to at least `value` (atomic max).
template <Sync kSync>
inline void RaiseTo(std::atomic<Word>& word, Word value) noexcept {
  Word seen = word.load(std::memory_order_relaxed);
  while (seen < value &&
         !CompareExchange<kSync>(word, seen, value, std::memory_order_relaxed,
                                 std::memory_order_relaxed)) {
  }
}

// Leaves an exclusive sequence that branched out before its STREX: clears
// the local monitor (hygiene: every STREX in the system follows its own
// LDREX, so an open monitor could not make a later STREX succeed wrongly).
template <Sync kSync>
inline void ClearExclusive() noexcept {
  if constexpr (kUseArmAsm<kSync>) {
#if defined(__arm__)
    asm volatile("clrex" ::: "memory");
#endif
  }
}

// The counters every pool keeps, after its allocation word(s).
struct Counters {
  std::atomic<std::uint32_t> allocation_failures{0};
  std::atomic<std::uint32_t> foreign_releases{0};
  std::atomic<std::uint32_t> double_releases{0};
  std::atomic<std::uint32_t> corruptions{0};
};

// Slow paths: out of line (pool/sync.cc) and cold, given only the counters,
// so that the fast paths keep just the header and block addresses in
// registers, and reached by tail calls, so that a fast path whose only calls
// are these needs no stack frame. They are plain functions, one per Sync
// mode, not templates: GCC never makes a call to a template instantiation
// (a weak symbol) a tail call on bare-metal AAPCS (a weak reference may
// resolve to nothing), and every fast path would save and restore lr.
[[gnu::noinline, gnu::cold]] base::Status ForeignReleaseShared(
    Counters* c) noexcept;
[[gnu::noinline, gnu::cold]] base::Status ForeignReleaseLocal(
    Counters* c) noexcept;
[[gnu::noinline, gnu::cold]] base::Status DoubleReleaseShared(
    Counters* c) noexcept;
[[gnu::noinline, gnu::cold]] base::Status DoubleReleaseLocal(
    Counters* c) noexcept;
[[gnu::noinline, gnu::cold]] std::byte* ExhaustedShared(
    Counters* c, base::Status* status) noexcept;
[[gnu::noinline, gnu::cold]] std::byte* ExhaustedLocal(
    Counters* c, base::Status* status) noexcept;

// Counts a foreign release; kForeignPointer.
template <Sync kSync>
[[gnu::always_inline]] inline base::Status ForeignRelease(
    Counters* c) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return ForeignReleaseShared(c);
  } else {
    return ForeignReleaseLocal(c);
  }
}

// Leaves the exclusive window (CLREX), counts a double release;
// kNotAllocated.
template <Sync kSync>
[[gnu::always_inline]] inline base::Status DoubleRelease(Counters* c) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return DoubleReleaseShared(c);
  } else {
    return DoubleReleaseLocal(c);
  }
}

// Leaves the exclusive window (CLREX), counts an allocation failure, sets
// *status (if given) to kExhausted; nullptr.
template <Sync kSync>
[[gnu::always_inline]] inline std::byte* Exhausted(
    Counters* c, base::Status* status) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return ExhaustedShared(c, status);
  } else {
    return ExhaustedLocal(c, status);
  }
}

// Hides how `p` was computed from the optimiser, so that it keeps `p` in
// one register and addresses every word of the header from it instead of
// re-deriving each address from the pool's base (zero instructions).
template <typename T>
[[gnu::always_inline]] inline T* OneBase(T* p) noexcept {
  asm("" : "+r"(p));
  return p;
}

// High water of bitmap pools (pool/bitmap_pool.h explains it): the stored
// value for a high water of `h` blocks is FillMask(h, unused_bits), bits
// [unused_bits, unused_bits + h) set (unused_bits = word bits - count).
constexpr Word FillMask(std::size_t h, unsigned unused_bits) {
  if (h == 0) return 0;
  const Word upto = unused_bits + h >= kWordBits
                        ? ~Word{0}
                        : (Word{1} << (unused_bits + h)) - 1;
  return upto & ~((Word{1} << (unused_bits % kWordBits)) - 1);
}

// Raises *high_water to FillMask(popcount(map), unused_bits) if that is
// larger (atomic max for kShared). Returns block: the allocation fast path
// tail-calls it. Out of line in pool/sync.cc (see the slow paths above).
[[gnu::noinline]] std::byte* RaiseHighWaterShared(
    std::byte* block, Word map, std::atomic<Word>* high_water,
    unsigned unused_bits) noexcept;
[[gnu::noinline]] std::byte* RaiseHighWaterLocal(std::byte* block, Word map,
                                                 std::atomic<Word>* high_water,
                                                 unsigned unused_bits) noexcept;

template <Sync kSync>
[[gnu::always_inline]] inline std::byte* RaiseHighWater(
    std::byte* block, Word map, std::atomic<Word>* high_water,
    unsigned unused_bits) noexcept {
  if constexpr (kSync == Sync::kShared) {
    return RaiseHighWaterShared(block, map, high_water, unused_bits);
  } else {
    return RaiseHighWaterLocal(block, map, high_water, unused_bits);
  }
}

// --- The steps of bitmap pools (pool/bitmap_pool.h) -------------------------
//
// The words live at byte offsets from one base register (the pool header),
// so that one register addresses the allocation map, the high-water word
// and the per-block claim words (Thumb-2 LDREX/STREX/LDR take an immediate
// offset; STR takes a scaled index).

template <std::size_t kOffset>
inline std::atomic<Word>& WordAt(void* base) noexcept {
  return *reinterpret_cast<std::atomic<Word>*>(static_cast<char*>(base) +
                                               kOffset);
}

// Takes the lowest clear bit of the map word at [base + kMap] in one atomic
// step: bit = (map + kUnit) & ~map, map |= bit. Returns the new map (never
// 0) and the bit, or 0 when no bit of the used region is clear.
//   Cortex-R: 1: LDREX map,[base,#kMap]; ADDS bit,map,#unit; BICS bit,bit,map;
//             BEQ full; ORRS map,map,bit; STREX s,map,[base,#kMap];
//             CBZ s,2f; B 1b; 2: [DMB ISH if SMP]
// (the retry is a forward CBZ over a backward B: on the path without retry
// one instruction less than CMP s,#0; BNE 1b.)
template <Sync kSync, std::size_t kMap, Word kUnit>
[[gnu::always_inline]] inline Word TakeLowestClear(void* base,
                                                   Word& bit) noexcept {
  if constexpr (kUseArmAsm<kSync>) {
#if defined(__arm__)
    Word map;
    Word status;
    asm volatile goto(
        "1:\n\t"
        "ldrex %[map], [%[base], %[off]]\n\t"
        "adds %[bit], %[map], %[unit]\n\t"
        "bics %[bit], %[bit], %[map]\n\t"
        "beq %l[full]\n\t"
        "orrs %[map], %[map], %[bit]\n\t"
        "strex %[status], %[map], [%[base], %[off]]\n\t"
        "cbz %[status], 2f\n\t"
        "b 1b\n"
        "2:\n\t"
#if POOL_CONFIG_SMP
        "dmb ish\n\t"
#endif
        : [map] "=&r"(map), [bit] "=&r"(bit), [status] "=&l"(status)
        : [base] "r"(base), [off] "i"(kMap), [unit] "rI"(kUnit)
        : "cc", "memory"
        : full);
    if (map == 0) __builtin_unreachable();  // holds at least the new bit
    return map;
  full:
    return 0;
#endif
  } else {
    std::atomic<Word>& word = WordAt<kMap>(base);
    Word map = word.load(std::memory_order_relaxed);
    do {
      bit = (map + kUnit) & ~map;
      if (bit == 0) [[unlikely]] {
        return 0;
      }
    } while (!CompareExchange<kSync>(word, map, map | bit, kAcquireOrder<kSync>,
                                     std::memory_order_relaxed));
    return map | bit;
  }
}

// Zero words that the claim step of a bitmap release leaves behind for the
// rest of it. On Cortex-R they are registers: `stored` is the zero that the
// claim wrote (r0), `status` the claim's STREX status (r2: 0 once the store
// succeeded; kLocal: a zero the compiler loads). The wipe
// (pool/internal/wipe.h) stores them, with r12 and lr, instead of loading
// four zero registers; kLocal returns ok in r0. Elsewhere both are the
// constant 0. Only TakeWord (success) and the default constructor make
// them: whatever consumes them relies on both being 0.
struct Zeros {
  Word stored = 0;
  Word status = 0;
};

// The claim of a release: atomically takes the value of `slot` and leaves 0
// there. Returns the value, or 0 (and writes nothing) when it already was 0:
// of two racing claims exactly one gets the value. On success `zeros` holds
// the registers described above.
//   Cortex-R: [MOVS r0,#0] 1: LDREX v,[slot]; CBZ v,3f; STREX r2,r0,[slot];
//             CBZ r2,2f; B 1b; 3: B refused; 2: [DMB ISH if SMP]
template <Sync kSync>
[[gnu::always_inline]] inline Word TakeWord(std::atomic<Word>& slot,
                                            Zeros& zeros) noexcept {
  if constexpr (kUseArmAsm<kSync>) {
#if defined(__arm__)
    Word value;
    // Fixed registers: what the wipe's STM list names (see Zeros).
    register Word zero asm("r0") = 0;
    register Word status asm("r2");
    // The slot address in r12 (the wipe clobbers it anyway): left to
    // itself, GCC computes it into r2 and then copies it out of the way.
    register std::atomic<Word>* slot_address asm("r12") = &slot;
    asm volatile goto(
        "1:\n\t"
        "ldrex %[value], [%[slot]]\n\t"
        "cbz %[value], 3f\n\t"
        "strex %[status], %[zero], [%[slot]]\n\t"
        "cbz %[status], 2f\n\t"
        "b 1b\n"
        "3:\n\t"
        "b %l[refused]\n"
        "2:\n\t"
#if POOL_CONFIG_SMP
        "dmb ish\n\t"
#endif
        // zero is in-out only so that the compiler keeps this register
        // (rather than loading another 0) for the zero's later uses.
        : [value] "=&l"(value), [status] "=&l"(status), [zero] "+l"(zero)
        : [slot] "r"(slot_address)
        : "cc", "memory"
        : refused);
    if (value == 0) __builtin_unreachable();  // the CBZ refused 0
    zeros.stored = zero;
    zeros.status = status;  // the CBZ passed: 0
    return value;
  refused:
    return 0;
#endif
  } else if constexpr (kArmExclusives && kSync == Sync::kLocal) {
#if defined(__arm__)
    // Plain LDR/STR; written out because GCC does not fold addresses into
    // the (relaxed) atomic accesses.
    Word value;
    register Word zero asm("r0") = 0;
    asm volatile goto(
        "ldr %[value], [%[slot]]\n\t"
        "cbnz %[value], 2f\n\t"
        "b %l[local_refused]\n"
        "2:\n\t"
        "str %[zero], [%[slot]]"
        : [value] "=&l"(value), [zero] "+l"(zero)
        : [slot] "r"(&slot)
        : "memory"
        : local_refused);
    if (value == 0) __builtin_unreachable();
    zeros.stored = zero;
    zeros.status = 0;
    return value;
  local_refused:
    return 0;
#endif
  } else {
    if constexpr (kSync == Sync::kShared) {
      // Most refusals are of a long-free block: no write (and no exclusive
      // cache line) for them.
      if (slot.load(std::memory_order_relaxed) == 0) return 0;
    }
    zeros = Zeros{};
    return Exchange<kSync>(slot, Word{0}, kAcquireOrder<kSync>);
  }
}

// Clears `bits` of the word at [base + kMap] in one atomic step, with
// release ordering (everything written before, e.g. a wipe, is visible
// before the bits clear). Returns a word that is 0, for the caller's ok
// Status: Cortex-R kShared: the STREX status (0 once the store succeeded);
// otherwise `zero` (a Zeros word), passed through.
//   Cortex-R: [DMB ISH if SMP] 1: LDREX m,[base,#kMap]; BICS m,m,bits;
//             STREX s,m,[base,#kMap]; CBZ s,2f; B 1b; 2:
template <Sync kSync, std::size_t kMap>
[[gnu::always_inline]] inline Word ClearBits(void* base, Word bits,
                                             Word zero) noexcept {
  if constexpr (kUseArmAsm<kSync>) {
#if defined(__arm__)
    static_cast<void>(zero);
    Word map;
    Word status;
    asm volatile(
#if POOL_CONFIG_SMP
        "dmb ish\n\t"
#endif
        "1:\n\t"
        "ldrex %[map], [%[base], %[off]]\n\t"
        "bics %[map], %[map], %[bits]\n\t"
        "strex %[status], %[map], [%[base], %[off]]\n\t"
        "cbz %[status], 2f\n\t"
        "b 1b\n"
        "2:"
        : [map] "=&r"(map), [status] "=&l"(status)
        : [base] "r"(base), [off] "i"(kMap), [bits] "r"(bits)
        : "cc", "memory");
    return status;
#endif
  } else if constexpr (kArmExclusives && kSync == Sync::kLocal) {
#if defined(__arm__)
    Word map;
    // The zero passes through r0 (in-out), so that it is returned there.
    register Word zero0 asm("r0") = zero;
    asm volatile(
        "ldr %[map], [%[base], %[off]]\n\t"
        "bics %[map], %[map], %[bits]\n\t"
        "str %[map], [%[base], %[off]]"
        : [map] "=&r"(map), [zero] "+r"(zero0)
        : [base] "r"(base), [off] "i"(kMap), [bits] "r"(bits)
        : "cc", "memory");
    return zero0;
#endif
  } else if constexpr (kSync == Sync::kShared) {
    WordAt<kMap>(base).fetch_and(~bits, kReleaseOrder<kSync>);
    return zero;
  } else {
    std::atomic<Word>& word = WordAt<kMap>(base);
    word.store(word.load(std::memory_order_relaxed) & ~bits,
               std::memory_order_relaxed);
    return zero;
  }
}

}  // namespace pool::internal

#endif  // LIBS_POOL_PUBLIC_POOL_INTERNAL_SYNC_H_
