#!/usr/bin/env bash
# Runs a GoogleTest board image as a Bazel test:
#
#   run_board_test.sh RUN_FIRMWARE_ARGS...   (what run_firmware.sh takes)
#
# The console goes to the test log as it comes; afterwards the GoogleTest
# lines in it become Bazel's per-case test.xml ($XML_OUTPUT_FILE, through
# gtest_console_xml.py), since the program on the board has no file system
# to write one. With shard_count set, the shard index and count reach the
# board through run_firmware.sh, and this script acknowledges sharding to
# Bazel ($TEST_SHARD_STATUS_FILE), which it must do on the host side.
# When the console shows a crash report (platforms/common/crt0.cc), its pc
# and lr are symbolized into the log with addr2line (symbolize_crash.py;
# the tool is $ARM_NONE_EABI_ADDR2LINE, which the board test's launcher
# sets). With --gdb, --gdb-server or --gdb-script the run is a debugging
# session (run_firmware.sh; `bazel run <board test> -- --gdb`): no log, no
# test.xml.
set -uo pipefail
here=$(dirname "$0")
elf=""
for arg in "$@"; do
  case "$arg" in
    --gdb | --gdb-server | --gdb-server=* | --gdb-script=*)
      exec "$here/run_firmware.sh" "$@" ;;
    -*) ;;
    *) [[ -z "$elf" ]] && elf="$arg" ;;
  esac
done
log="${TEST_TMPDIR:-/tmp}/board_console.log"
[[ -n "${TEST_SHARD_STATUS_FILE:-}" ]] && touch "$TEST_SHARD_STATUS_FILE"
"$here/run_firmware.sh" "$@" | tee "$log"
status=${PIPESTATUS[0]}
if [[ -n "$elf" ]] && grep -q "^CRASH kind=" "$log"; then
  python3 "$here/symbolize_crash.py" "$elf" <"$log"
fi
if [[ -n "${XML_OUTPUT_FILE:-}" ]]; then
  python3 "$here/gtest_console_xml.py" --exit-status="$status" \
    --name="${TEST_TARGET:-board_test}" <"$log" >"$XML_OUTPUT_FILE" ||
    echo "run_board_test.sh: could not write $XML_OUTPUT_FILE" >&2
fi
exit "$status"
