// Volatile access to memory-mapped device registers.
#ifndef PLATFORMS_DRIVERS_MMIO_H_
#define PLATFORMS_DRIVERS_MMIO_H_

#include <cstdint>

namespace drivers {

inline std::uint32_t Read32(std::uintptr_t address) {
  return *reinterpret_cast<volatile const std::uint32_t*>(address);
}

inline void Write32(std::uintptr_t address, std::uint32_t value) {
  *reinterpret_cast<volatile std::uint32_t*>(address) = value;
}

}  // namespace drivers

#endif  // PLATFORMS_DRIVERS_MMIO_H_
