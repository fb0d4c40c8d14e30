#!/usr/bin/env bash
# Fails if aes_pair_arm.S differs from what the generator emits, or if the
# emitted code, simulated, disagrees with a textbook AES.
set -euo pipefail
gen="$1"
checked_in="$2"
if ! python3 "$gen" | diff -u "$checked_in" - > "${TEST_TMPDIR:-/tmp}/regen.diff" 2>&1; then
  head -50 "${TEST_TMPDIR:-/tmp}/regen.diff"
  echo "aes_pair_arm.S is stale: run python3 libs/crypto/tools/gen_aes_pair_arm.py > libs/crypto/aes_pair_arm.S" >&2
  exit 1
fi
python3 "$gen" --check
