#include "workspace/spinlock.h"

namespace workspace {

#if defined(__arm__)

bool Spinlock::TryLock() {
  std::uint32_t observed;
  std::uint32_t failed = 1;
  // One LDREX/STREX attempt. A failed STREX (the reservation was lost to an
  // interrupt or the other core) counts as "not taken"; Lock() retries.
  asm volatile(
      "ldrex %[observed], [%[word]]\n\t"
      "cmp %[observed], #0\n\t"
      "itt eq\n\t"
      "strexeq %[failed], %[one], [%[word]]\n\t"
      "cmpeq %[failed], #0\n\t"
      : [observed] "=&r"(observed), [failed] "+&r"(failed)
      : [word] "r"(&word_), [one] "r"(1u)
      : "cc", "memory");
  if (observed != 0 || failed != 0) {
    // Drop a reservation left open by the LDREX when the lock was held.
    asm volatile("clrex" ::: "memory");
    return false;
  }
  // Acquire: nothing after the lock may be observed before it.
  asm volatile("dmb ish" ::: "memory");
  return true;
}

void Spinlock::Lock() {
  while (!TryLock()) {
    asm volatile("yield");
  }
}

void Spinlock::Unlock() {
  // Release: everything done under the lock is visible before it opens.
  asm volatile("dmb ish" ::: "memory");
  word_ = 0;
  asm volatile("dmb ish" ::: "memory");
}

bool Spinlock::IsLockedForTesting() const { return word_ != 0; }

#else  // host

bool Spinlock::TryLock() {
  return !flag_.test_and_set(std::memory_order_acquire);
}

void Spinlock::Lock() {
  while (flag_.test_and_set(std::memory_order_acquire)) {
    while (flag_.test(std::memory_order_relaxed)) {
    }
  }
}

void Spinlock::Unlock() { flag_.clear(std::memory_order_release); }

bool Spinlock::IsLockedForTesting() const {
  return flag_.test(std::memory_order_relaxed);
}

#endif

}  // namespace workspace
