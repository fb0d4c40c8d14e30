#!/usr/bin/env bash
# Runs a ct_check binary under valgrind memcheck.
#   ct_check_test.sh BINARY pass BACKEND -> succeeds iff memcheck finds nothing
#   ct_check_test.sh BINARY fail BACKEND -> succeeds iff memcheck reports an
#                                           error (the deliberately leaky build)
# BACKEND (portable or auto) is passed on to the binary: the backend its
# keys are set up for.
set -uo pipefail
binary="$1"
expect="$2"
backend="$3"
valgrind=${VALGRIND:-/usr/bin/valgrind}
if [[ ! -x "$valgrind" ]]; then
  echo "ct_check_test: valgrind not found at $valgrind" >&2
  exit 1
fi
log="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}/memcheck.log"
# Exit code 99 marks memcheck errors, distinct from functional failures (2).
"$valgrind" --tool=memcheck --error-exitcode=99 --track-origins=yes \
  --log-file="$log" "$binary" "$backend"
status=$?
cat "$log"
case "$expect:$status" in
  pass:0) echo "PASS: no secret-dependent branch or index"; exit 0 ;;
  fail:99)
    if grep -q "depends on uninitialised\|Use of uninitialised value" "$log"; then
      echo "PASS: the injected secret-indexed lookup was detected"; exit 0
    fi
    echo "FAIL: error exit without a memcheck report" >&2; exit 1 ;;
  *) echo "FAIL: expected '$expect', valgrind/binary exited $status" >&2; exit 1 ;;
esac
