#!/usr/bin/env bash
# Boots gcm_board_benchmark on BOARD under -icount (exact instruction
# counts) and passes iff the benchmark exits 0, i.e. every count it gates is
# within its limit. Usage: gcm_instruction_count_test.sh RUNNER BOARD ELF
set -euo pipefail
exec "$1" --board="$2" --icount "$3"
