#!/usr/bin/env bash
# Boots idle_clock_check under -icount, where a sleeping core lets QEMU jump
# virtual time ahead: two idle hours take milliseconds. Exit status is the
# program's. Usage: idle_clock_test.sh RUNNER ELF
set -euo pipefail
exec "$1" --board=versatilepb_r5f --icount "$2"
