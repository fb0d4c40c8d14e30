#!/usr/bin/env bash
# Boots a firmware ELF on an emulated board under QEMU.
#
#   run_firmware.sh --board=BOARD [--icount] [--network=ID |
#                   --network-socket=PATH | --network-input=FILE]
#                   [--storage=FILE] [--arg=WORD...]
#                   [--gdb | --gdb-server[=PORT] | --gdb-script=FILE]
#                   ELF [--gtest_*...] [QEMU_ARG...]
#
# The console UART is QEMU's stdio. The program's exit status (semihosting
# SYS_EXIT_EXTENDED) becomes this script's exit status, so a board test fails
# exactly when the test program fails. --icount runs QEMU with -icount
# shift=0: one instruction per virtual nanosecond, deterministic counts.
# The network link carries the nodes' byte stream. versatilepb_r5f: its
# network UART (PL011 UART1). mps3_an536: its LAN9118 Ethernet controller,
# each packet on the socket being QEMU's netdev stream framing (a 4-byte
# big-endian length, then the Ethernet frame) of a frame that carries stream
# bytes (platforms/README.md, "The network link over Ethernet"): its CMSDK
# UART takes one byte per round trip through QEMU's main loop, far too slow.
# --network=ID attaches an existing backend ID (given among QEMU_ARGs) to the
# link: a chardev (versatilepb_r5f), a netdev (mps3_an536).
# --network-socket=PATH connects the link to the Unix socket PATH, where
# someone listens (the fleet harness, a test): a chardev socket or a netdev
# stream, whichever the board needs.
# --network-input=FILE feeds FILE's bytes into the network link as fast as
# the board takes them and discards what the firmware sends. For tests of
# the receive path. versatilepb_r5f: a file chardev with input-path.
# mps3_an536: a helper here listens on a socket, sends FILE as stream
# frames within the link's credit window and exits when QEMU does.
# --storage=FILE backs the board's non-volatile storage (board/storage.h)
# with FILE, created at the board's size if missing (an existing file of
# another size is refused). versatilepb_r5f: FILE is the drive of the CFI
# NOR flash (64 MiB); mps3_an536: the firmware opens FILE by semihosting
# (256 KiB). Either way the firmware is told through the semihosting command
# line `firmware --storage=FILE`. Without it storage is volatile.
# --arg=WORD (repeatable) is a program argument, argv[1...] in that order,
# ahead of the --gtest_* ones; WORD must not contain white space.
# --gdb (before or after ELF, so `bazel run TARGET -- --gdb` works) starts
# QEMU halted at reset with its gdb stub on a Unix socket of a fresh
# directory (no port to collide with a parallel run) and attaches
# gdb-multiarch ($GDB) with ELF's symbols, stopped at main (break main,
# continue), sources found in the workspace under `bazel run`
# ($BUILD_WORKSPACE_DIRECTORY). The console goes to stdout; gdb has the terminal. Quitting gdb
# ends QEMU; the exit status is gdb's.
# --gdb-server[=PORT] starts QEMU halted with its gdb stub on 127.0.0.1:PORT
# (default: a free port the kernel picks, taken again if QEMU finds it
# taken) and prints the gdb command that attaches (for an IDE: ELF, remote
# target 127.0.0.1:PORT); QEMU runs in the foreground, its exit status is
# the program's.
# --gdb-script=FILE is --gdb with gdb in batch mode: after break main and
# continue it runs the commands in FILE (tests).
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
network_socket=""
storage=""
extra_program_args=()
gdb_mode=""     # "", gdb (attach gdb-multiarch here) or server (print how)
gdb_port=""     # --gdb-server=PORT
gdb_script=""   # --gdb-script=FILE: gdb in batch mode, for tests
while [[ $# -gt 0 ]]; do
  case "$1" in
    --board=*) board="${1#--board=}"; shift ;;
    --icount) icount=1; shift ;;
    --network=*) network="${1#--network=}"; shift ;;
    --network-input=*) network_input="${1#--network-input=}"; shift ;;
    --network-socket=*) network_socket="${1#--network-socket=}"; shift ;;
    --storage=*) storage="${1#--storage=}"; shift ;;
    --arg=*) extra_program_args+=("${1#--arg=}"); shift ;;
    --gdb) gdb_mode=gdb; shift ;;
    --gdb-server) gdb_mode=server; shift ;;
    --gdb-server=*) gdb_mode=server; gdb_port="${1#--gdb-server=}"; shift ;;
    --gdb-script=*) gdb_mode=gdb; gdb_script="${1#--gdb-script=}"; shift ;;
    --) shift; break ;;
    -*) echo "run_firmware.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 1 ]]; then
  echo "usage: run_firmware.sh --board=BOARD [--icount] [--network=ID | --network-socket=PATH | --network-input=FILE] [--storage=FILE] [--arg=WORD...] [--gdb | --gdb-server[=PORT] | --gdb-script=FILE] ELF [--gtest_*...] [QEMU_ARG...]" >&2
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
    --gdb) gdb_mode=gdb ;;
    --gdb-server) gdb_mode=server ;;
    --gdb-server=*) gdb_mode=server; gdb_port="${arg#--gdb-server=}" ;;
    --gdb-script=*) gdb_mode=gdb; gdb_script="${arg#--gdb-script=}" ;;
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
given=0
for option in "$network" "$network_input" "$network_socket"; do
  [[ -n "$option" ]] && given=$((given + 1))
done
if [[ "$given" -gt 1 ]]; then
  echo "run_firmware.sh: --network, --network-socket and --network-input exclude each other" >&2
  exit 2
fi
if [[ -n "$network_input" && ! -f "$network_input" ]]; then
  echo "run_firmware.sh: no such network input file: $network_input" >&2
  exit 2
fi
ethernet=0
[[ "$board" == mps3_an536 ]] && ethernet=1
if [[ "$ethernet" == 1 && -n "$network_input" ]]; then
  # The feeder: listens on a socket of a fresh directory (removed once QEMU
  # connected), sends FILE as stream frames of at most 1498 bytes once the
  # node's first credit frame came (probing every 50 ms until then), never
  # more than 6 frames beyond what the node credited, and reads (and drops)
  # what the node sends until QEMU closes the connection.
  feed_dir=$(mktemp -d /tmp/fw-net.XXXXXX)
  network_socket="$feed_dir/net.sock"
  python3 -c '
import os, socket, struct, sys
path, name = sys.argv[1:3]
data = open(name, "rb").read()
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(path)
listener.listen(1)
listener.settimeout(60)
try:
    link, _ = listener.accept()
finally:
    listener.close()
    os.unlink(path)
    os.rmdir(os.path.dirname(path))
header = b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x88\xb5"
probe = b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x88\xb6" + bytes(46)
link.settimeout(0.05)
sent = 0
credited = None
at = 0
received = b""
while True:
    while (at < len(data) and credited is not None and
           (sent - credited) % 2**32 < 6):
        chunk = data[at:at + 1498]
        at += len(chunk)
        frame = header + struct.pack(">H", len(chunk)) + chunk
        frame += bytes(max(0, 60 - len(frame)))
        link.sendall(struct.pack(">I", len(frame)) + frame)
        sent += 1
    if credited is None:
        link.sendall(struct.pack(">I", len(probe)) + probe)
    try:
        more = link.recv(65536)
    except socket.timeout:
        continue
    if not more:
        break
    received += more
    while len(received) >= 4:
        size = struct.unpack(">I", received[:4])[0]
        if len(received) < 4 + size:
            break
        frame, received = received[4:4 + size], received[4 + size:]
        if frame[12:14] == b"\x88\xb6":
            credited = struct.unpack(">I", frame[14:18])[0]
' "$network_socket" "$network_input" </dev/null &
  for _ in $(seq 100); do
    [[ -S "$network_socket" ]] && break
    sleep 0.05
  done
elif [[ -n "$network_input" ]]; then
  network=network_input
  network_args=(-chardev "file,id=$network,path=/dev/null,input-path=${network_input//,/,,}")
fi
if [[ -n "$network_socket" ]]; then
  network=network
  if [[ "$ethernet" == 1 ]]; then
    network_args=(-netdev "stream,id=$network,server=off,addr.type=unix,addr.path=${network_socket//,/,,}")
  else
    network_args=(-chardev "socket,id=$network,path=${network_socket//,/,,}")
  fi
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
    machine=(-machine mps3-an536)
    # The R52 model's PMU cycle counter does not count; the generic timer is
    # the instruction counter, at 1 GHz = one tick per instruction.
    icount_args=(-global cortex-r52-arm-cpu.cntfrq=1000000000)
    # The network link is the LAN9118 Ethernet controller (0xe0300000,
    # SPI 18 = INTID 50), attached to netdev $network.
    serials=(-serial stdio)
    [[ -n "$network" ]] && serials+=(-net "nic,netdev=$network,model=lan9118")
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

if [[ -z "$gdb_mode" ]]; then
  exec "$qemu" "${args[@]}" "${qemu_args[@]}" -kernel "$elf"
fi

# --- Debugging: QEMU halted at reset (-S) with its gdb stub ----------------
elf_path=$(realpath "$elf")  # what gdb loads, whatever its cwd
# The images' debug information names sources relative to /proc/self/cwd,
# Bazel's compile directory: external code (external/...) is in the
# execroot the ELF was built in, the project's own in the workspace, which
# `bazel run` names ($BUILD_WORKSPACE_DIRECTORY).
source_maps=()
if [[ "$elf_path" == */bazel-out/* && -d "${elf_path%%/bazel-out/*}/external" ]]; then
  source_maps+=("set substitute-path /proc/self/cwd/external ${elf_path%%/bazel-out/*}/external")
fi
[[ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]] &&
  source_maps+=("set substitute-path /proc/self/cwd $BUILD_WORKSPACE_DIRECTORY")
source_args=()
source_text=""
for command in "${source_maps[@]}"; do
  source_args+=(-ex "$command")
  source_text+=" -ex '$command'"
done
qemu_pid=""
work=""
stop_qemu() {
  if [[ -n "$qemu_pid" ]]; then
    kill "$qemu_pid" 2>/dev/null || true
    wait "$qemu_pid" 2>/dev/null || true
  fi
  if [[ -n "$work" ]]; then rm -rf "$work"; fi
  return 0  # keeps the exit status
}
trap stop_qemu EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$gdb_mode" == server ]]; then
  # True once QEMU ($qemu_pid) itself listens on 127.0.0.1:$1: a listening
  # socket (state 0A) in /proc/net/tcp whose inode is one of QEMU's files.
  listening() {
    local hex inode
    hex=$(printf '0100007F:%04X' "$1")
    for inode in $(awk -v a="$hex" '$2 == a && $4 == "0A" { print $10 }' /proc/net/tcp); do
      find "/proc/$qemu_pid/fd" -lname "socket:\[$inode\]" 2>/dev/null | grep -q . && return 0
    done
    return 1
  }
  for attempt in 1 2 3 4 5; do
    port=$gdb_port
    if [[ -z "$port" ]]; then
      port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    "$qemu" "${args[@]}" "${qemu_args[@]}" -S -gdb "tcp:127.0.0.1:$port" -kernel "$elf" 0<&0 &
    qemu_pid=$!
    for _ in $(seq 100); do
      listening "$port" && break
      kill -0 "$qemu_pid" 2>/dev/null || break
      sleep 0.1
    done
    if listening "$port"; then
      cat >&2 <<EOT
run_firmware.sh: $board halted at reset; its gdb stub listens on 127.0.0.1:$port.
Attach with:
  gdb-multiarch $elf_path$source_text -ex 'target remote 127.0.0.1:$port' -ex 'break main' -ex continue
(an IDE: program $elf_path, remote target 127.0.0.1:$port). Ctrl-C here ends QEMU.
EOT
      status=0
      wait "$qemu_pid" || status=$?
      qemu_pid=""
      exit "$status"
    fi
    wait "$qemu_pid" 2>/dev/null || true
    qemu_pid=""
    # A port of our own choosing that someone took meanwhile: another one.
    [[ -n "$gdb_port" ]] && break
  done
  echo "run_firmware.sh: QEMU did not start its gdb stub on 127.0.0.1:$port" >&2
  exit 2
fi

gdb=${GDB:-gdb-multiarch}
if ! command -v "$gdb" >/dev/null 2>&1; then
  echo "run_firmware.sh: $gdb not found: run tools/setup.sh" >&2
  exit 2
fi
if [[ -n "$gdb_script" && ! -f "$gdb_script" ]]; then
  echo "run_firmware.sh: no such gdb script: $gdb_script" >&2
  exit 2
fi
# A short path: a Unix socket's must fit in 108 bytes, TMPDIR's may not.
work=$(mktemp -d /tmp/fw-gdb.XXXXXX)
socket="$work/gdb.sock"
# Its own session, so Ctrl-C in gdb interrupts the program instead of
# ending QEMU; the terminal is gdb's.
setsid "$qemu" "${args[@]}" "${qemu_args[@]}" -S \
  -chardev "socket,id=gdbstub,path=$socket,server=on,wait=off" \
  -gdb chardev:gdbstub -kernel "$elf" </dev/null &
qemu_pid=$!
for _ in $(seq 100); do
  [[ -S "$socket" ]] && break
  kill -0 "$qemu_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ ! -S "$socket" ]]; then
  echo "run_firmware.sh: QEMU did not start its gdb stub" >&2
  exit 2
fi
gdb_args=(-q "$elf_path" "${source_args[@]}" -ex "target remote $socket" -ex "break main" -ex continue)
status=0
if [[ -n "$gdb_script" ]]; then
  "$gdb" -nx -batch "${gdb_args[@]}" -x "$gdb_script" || status=$?
else
  "$gdb" "${gdb_args[@]}" || status=$?
fi
exit "$status"
