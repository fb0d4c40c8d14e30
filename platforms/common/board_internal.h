// Hooks every bare-metal board support package implements for the shared
// start-up code (crt0.cc). Not part of the public board interface.
#ifndef PLATFORMS_COMMON_BOARD_INTERNAL_H_
#define PLATFORMS_COMMON_BOARD_INTERNAL_H_

namespace board::internal {

// Memory protection unit and caches. Runs before .data/.bss exist: it must
// not touch static storage.
void EarlyInit();

// Console and network UARTs and the clock; runs after .data/.bss, before
// constructors.
void InitPeripherals();

}  // namespace board::internal

#endif  // PLATFORMS_COMMON_BOARD_INTERNAL_H_
