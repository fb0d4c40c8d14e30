#!/usr/bin/env bash
# Boots a firmware ELF on an emulated board under QEMU.
#
#   run_firmware.sh --board=BOARD [--icount] [--network=CHARDEV] ELF [QEMU_ARG...]
#
# The console UART is QEMU's stdio. The program's exit status (semihosting
# SYS_EXIT_EXTENDED) becomes this script's exit status, so a board test fails
# exactly when the test program fails. --icount runs QEMU with -icount
# shift=0: one instruction per virtual nanosecond, deterministic counts.
# --network=ID attaches an existing chardev ID (given among QEMU_ARGs) to the
# board's network UART.
#
# This file is the one place that knows each board's QEMU machine options.
set -euo pipefail

board=""
icount=0
network=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --board=*) board="${1#--board=}"; shift ;;
    --icount) icount=1; shift ;;
    --network=*) network="${1#--network=}"; shift ;;
    --) shift; break ;;
    -*) echo "run_firmware.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 1 ]]; then
  echo "usage: run_firmware.sh --board=BOARD [--icount] [--network=CHARDEV] ELF [QEMU_ARG...]" >&2
  exit 2
fi
elf="$1"
shift
if [[ ! -f "$elf" ]]; then
  echo "run_firmware.sh: no such firmware image: $elf" >&2
  exit 2
fi

qemu=${QEMU_SYSTEM_ARM:-qemu-system-arm}
if ! command -v "$qemu" >/dev/null 2>&1; then
  echo "run_firmware.sh: $qemu not found: run tools/setup.sh" >&2
  exit 2
fi

# Serial ports in QEMU's order: the console first, the network UART where the
# board has it.
case "$board" in
  mps3_an536)
    # serial0/1: the per-core UART0 of CPU0/CPU1 (0xe7c00000);
    # serial2: the first shared UART (0xe0205000), the network UART.
    machine=(-machine mps3-an536)
    # The R52 model's PMU cycle counter does not count; the generic timer is
    # the instruction counter, at 1 GHz = one tick per instruction.
    icount_args=(-global cortex-r52-arm-cpu.cntfrq=1000000000)
    serials=(-serial stdio)
    [[ -n "$network" ]] && serials+=(-serial null -serial "chardev:$network")
    ;;
  versatilepb_r5f)
    # serial0: PL011 UART0 (0x101f1000); serial1: UART1 (0x101f2000).
    # The machine has an AC97 codec: give it a silent audio backend.
    icount_args=()  # the PMU cycle counter already runs at 1 GHz
    machine=(-machine versatilepb,audiodev=silence -audiodev none,id=silence -cpu cortex-r5f -m 128M)
    serials=(-serial stdio)
    [[ -n "$network" ]] && serials+=(-serial "chardev:$network")
    ;;
  *)
    echo "run_firmware.sh: unknown board '$board' (mps3_an536, versatilepb_r5f)" >&2
    exit 2
    ;;
esac

args=(
  "${machine[@]}"
  -nodefaults -display none -monitor none -nic none
  "${serials[@]}"
  -semihosting-config enable=on,target=native
  -no-reboot
)
[[ "$icount" == 1 ]] && args+=(-icount shift=0,align=off,sleep=off "${icount_args[@]}")

exec "$qemu" "${args[@]}" "$@" -kernel "$elf"
