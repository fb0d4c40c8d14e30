// Arm semihosting: the debugger (here QEMU, -semihosting-config enable=on)
// services requests trapped from the target. Only program exit is used: the
// console goes through the UART like on real hardware.
#ifndef PLATFORMS_COMMON_SEMIHOSTING_H_
#define PLATFORMS_COMMON_SEMIHOSTING_H_

namespace board::semihosting {

// SYS_EXIT_EXTENDED: QEMU exits with `status` as its own exit status.
// Returns only if no semihosting host is attached (e.g. real hardware
// without a debugger).
void ExitExtended(int status);

}  // namespace board::semihosting

#endif  // PLATFORMS_COMMON_SEMIHOSTING_H_
