// Mutual exclusion as a small interface that a library takes from its
// caller, in the manner of o1heap's critical-section hooks: the library
// says where exclusion is needed, the caller (firmware, a test) says how it
// is achieved on this platform. Base has no implementation; the board's
// (interrupt masking plus a cross-core spinlock on Cortex-R, a mutex on the
// host) lives with the code that owns the shared state
// (workspace::BoardCriticalSection).
//
//   {
//     base::CriticalSectionGuard guard(critical_section);  // Enter()
//     ...                                                  // exclusive
//   }                                                      // Leave(state)
//
// Enter() returns whatever Leave() needs to restore the previous state
// (e.g. the interrupt mask bits), so that sections nest and a section
// entered with interrupts already masked leaves them masked.
#ifndef LIBS_BASE_PUBLIC_BASE_CRITICAL_SECTION_H_
#define LIBS_BASE_PUBLIC_BASE_CRITICAL_SECTION_H_

#include <cstdint>

namespace base {

class CriticalSection {
 public:
  // Blocks every other context that uses this section; nests.
  virtual std::uint32_t Enter() = 0;
  // Undoes the matching Enter(), given what it returned.
  virtual void Leave(std::uint32_t state) = 0;

 protected:
  // Never destroyed through this interface (they are static objects).
  ~CriticalSection() = default;
};

// Holds a critical section for its scope. Templated on the section's type
// so that a caller that knows the concrete (final) type pays no virtual
// call; CriticalSectionGuard<> works with any implementation.
template <typename Section = CriticalSection>
class [[nodiscard]] CriticalSectionGuard {
 public:
  explicit CriticalSectionGuard(Section& section)
      : section_(section), state_(section.Enter()) {}
  ~CriticalSectionGuard() { section_.Leave(state_); }
  CriticalSectionGuard(const CriticalSectionGuard&) = delete;
  CriticalSectionGuard& operator=(const CriticalSectionGuard&) = delete;

 private:
  Section& section_;
  std::uint32_t state_;
};

}  // namespace base

#endif  // LIBS_BASE_PUBLIC_BASE_CRITICAL_SECTION_H_
