#!/usr/bin/env bash
# Host CPU time of QEMU running an idle image, interrupt-driven
# (idle_wait_<board>) and busy-polling (busy_poll_<board>):
#   bazel run //platforms/bench:idle_load_measure -- BOARD [SECONDS]
# Boots each image, waits for its banner, reads utime + stime of the QEMU
# process from /proc/<pid>/stat, waits SECONDS (default 10), reads them
# again and prints the share of one host core used meanwhile.
set -euo pipefail
board="${1:?usage: idle_load_measure.sh BOARD [SECONDS]}"
seconds="${2:-10}"
cd "${RUNFILES_DIR:-$0.runfiles}/cortex_r_secure" 2>/dev/null || true
runner=platforms/qemu/run_firmware.sh
ticks_per_s=$(getconf CLK_TCK)

cpu_ticks() {  # utime + stime (fields 14, 15) of pid $1
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

for image in idle_wait busy_poll; do
  elf="platforms/bench/${image}_${board}.elf"
  log=$(mktemp)
  # No stdin: the console sees no input. exec: the pid is QEMU's.
  "$runner" --board="$board" "$elf" </dev/null >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "idle load: running" "$log" && break
    sleep 0.1
  done
  before=$(cpu_ticks "$pid")
  sleep "$seconds"
  after=$(cpu_ticks "$pid")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  awk -v b="$before" -v a="$after" -v hz="$ticks_per_s" -v s="$seconds" \
      -v name="$image" -v board="$board" \
      'BEGIN { printf "%s %s: %.2f s CPU in %d s = %.1f %% of a host core\n",
               board, name, (a - b) / hz, s, 100 * (a - b) / hz / s }'
done
