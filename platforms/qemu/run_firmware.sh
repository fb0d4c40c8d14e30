#!/usr/bin/env bash
# Boots a firmware ELF on an emulated board under QEMU.
#
#   run_firmware.sh --board=BOARD [--icount] [--network=CHARDEV |
#                   --network-input=FILE] [--storage=FILE] [--arg=WORD...]
#                   ELF [--gtest_*...] [QEMU_ARG...]
#
# The console UART is QEMU's stdio. The program's exit status (semihosting
# SYS_EXIT_EXTENDED) becomes this script's exit status, so a board test fails
# exactly when the test program fails. --icount runs QEMU with -icount
# shift=0: one instruction per virtual nanosecond, deterministic counts.
# --network=ID attaches an existing chardev ID (given among QEMU_ARGs) to the
# board's network UART.
# --network-input=FILE feeds FILE's bytes into the network UART (a file
# chardev with input-path; QEMU hands them over as fast as the UART takes
# them) and discards what the firmware sends. For tests of the receive path.
# --storage=FILE backs the board's non-volatile storage (board/storage.h)
# with FILE, created at the board's size if missing (an existing file of
# another size is refused). versatilepb_r5f: FILE is the drive of the CFI
# NOR flash (64 MiB); mps3_an536: the firmware opens FILE by semihosting
# (256 KiB). Either way the firmware is told through the semihosting command
# line `firmware --storage=FILE`. Without it storage is volatile.
# --arg=WORD (repeatable) is a program argument, argv[1...] in that order,
# ahead of the --gtest_* ones; WORD must not contain white space.
# --gtest_* after ELF (e.g. --gtest_filter=Suite.Case) are the program's
# arguments, as are TESTBRIDGE_TEST_ONLY, GTEST_TOTAL_SHARDS and
# GTEST_SHARD_INDEX from the environment (as NAME=VALUE words): that is how
# `bazel test --test_arg=--gtest_filter=...`, `--test_filter` and
# shard_count reach a board test.
#
# This file is the one place that knows each board's QEMU machine options.
set -euo pipefail

board=""
icount=0
network=""
network_input=""
storage=""
extra_program_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --board=*) board="${1#--board=}"; shift ;;
    --icount) icount=1; shift ;;
    --network=*) network="${1#--network=}"; shift ;;
    --network-input=*) network_input="${1#--network-input=}"; shift ;;
    --storage=*) storage="${1#--storage=}"; shift ;;
    --arg=*) extra_program_args+=("${1#--arg=}"); shift ;;
    --) shift; break ;;
    -*) echo "run_firmware.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 1 ]]; then
  echo "usage: run_firmware.sh --board=BOARD [--icount] [--network=CHARDEV | --network-input=FILE] [--storage=FILE] [--arg=WORD...] ELF [--gtest_*...] [QEMU_ARG...]" >&2
  exit 2
fi
elf="$1"
shift
# After the image: --gtest_* arguments are the program's own (they reach it
# through the semihosting command line); everything else goes to QEMU.
program_args=("${extra_program_args[@]}")
qemu_args=()
for arg in "$@"; do
  case "$arg" in
    --gtest_*) program_args+=("$arg") ;;
    *) qemu_args+=("$arg") ;;
  esac
done
# What a test runner says through the environment (Bazel's --test_filter and
# sharding) reaches the program as NAME=VALUE words, which the start-up code
# puts in its environment (platforms/common/crt0.cc).
for name in TESTBRIDGE_TEST_ONLY GTEST_TOTAL_SHARDS GTEST_SHARD_INDEX; do
  [[ -n "${!name:-}" ]] && program_args+=("$name=${!name}")
done
if [[ ! -f "$elf" ]]; then
  echo "run_firmware.sh: no such firmware image: $elf" >&2
  exit 2
fi

network_args=()
if [[ -n "$network_input" ]]; then
  if [[ -n "$network" ]]; then
    echo "run_firmware.sh: --network and --network-input exclude each other" >&2
    exit 2
  fi
  if [[ ! -f "$network_input" ]]; then
    echo "run_firmware.sh: no such network input file: $network_input" >&2
    exit 2
  fi
  network=network_input
  network_args=(-chardev "file,id=$network,path=/dev/null,input-path=${network_input//,/,,}")
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
    # No writable flash in the model: storage is a host file the firmware
    # opens by semihosting (platforms/mps3_an536/storage.cc).
    storage_bytes=$((256 * 1024))
    storage_drive=0
    ;;
  versatilepb_r5f)
    # serial0: PL011 UART0 (0x101f1000); serial1: UART1 (0x101f2000).
    # The machine has an AC97 codec: give it a silent audio backend.
    icount_args=()  # the PMU cycle counter already runs at 1 GHz
    # The PL031 RTC follows virtual time (-rtc clock=vm) like the SP804
    # timer, so the clock's wrap reconstruction sees two views of one time
    # base, also under -icount (platforms/versatilepb_r5f/clock_extension.h).
    machine=(-machine versatilepb,audiodev=silence -audiodev none,id=silence -cpu cortex-r5f -m 128M -rtc clock=vm)
    # serial2: PL011 UART2 (0x101f3000) on a null backend, the firmware's
    # doorbell to QEMU's main loop after each flash write (a data register
    # read wakes the main loop only when the UART has a backend; see
    # platforms/versatilepb_r5f/storage.cc). serial1 needs one to be there.
    serials=(-serial stdio)
    if [[ -n "$network" ]]; then
      serials+=(-serial "chardev:$network")
    else
      serials+=(-serial null)
    fi
    serials+=(-serial null)
    # The CFI NOR flash at 0x34000000 (64 MiB) keeps its contents in the
    # drive's file, which must be exactly the flash's size.
    storage_bytes=$((64 * 1024 * 1024))
    storage_drive=1
    ;;
  *)
    echo "run_firmware.sh: unknown board '$board' (mps3_an536, versatilepb_r5f)" >&2
    exit 2
    ;;
esac

semihosting=enable=on,target=native
storage_args=()
if [[ -n "$storage" ]]; then
  # The firmware reads the path from its semihosting command line, split at
  # spaces.
  if [[ "$storage" =~ [[:space:]] ]]; then
    echo "run_firmware.sh: --storage path must not contain white space: $storage" >&2
    exit 2
  fi
  if [[ ! -e "$storage" ]]; then
    # Sparse: a new storage file reads as zeros until erased.
    truncate -s "$storage_bytes" "$storage"
  fi
  storage=$(realpath "$storage")  # the very file checked here, whatever the cwd
  size=$(stat -L -c %s "$storage")
  if [[ "$size" != "$storage_bytes" ]]; then
    echo "run_firmware.sh: $storage has $size bytes; $board storage needs $storage_bytes" >&2
    exit 2
  fi
  # QEMU option values escape a comma by doubling it.
  [[ "$storage_drive" == 1 ]] &&
    storage_args=(-drive "if=pflash,format=raw,file=${storage//,/,,}")
  program_args+=("--storage=$storage")
fi
if [[ ${#program_args[@]} -gt 0 ]]; then
  semihosting+=",arg=firmware"
  for arg in "${program_args[@]}"; do
    if [[ "$arg" =~ [[:space:]] ]]; then
      echo "run_firmware.sh: a program argument must not contain white space: $arg" >&2
      exit 2
    fi
    semihosting+=",arg=${arg//,/,,}"
  done
fi

args=(
  "${machine[@]}"
  -nodefaults -display none -monitor none -nic none
  "${network_args[@]}"
  "${serials[@]}"
  "${storage_args[@]}"
  -semihosting-config "$semihosting"
  -no-reboot
)
[[ "$icount" == 1 ]] && args+=(-icount shift=0,align=off,sleep=off "${icount_args[@]}")

exec "$qemu" "${args[@]}" "${qemu_args[@]}" -kernel "$elf"
