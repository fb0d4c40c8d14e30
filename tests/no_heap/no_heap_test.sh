#!/usr/bin/env bash
# Fails if a node image links a heap: malloc, free, calloc, realloc (or
# newlib's reentrant _malloc_r family), operator new or operator delete.
#
# Usage: no_heap_test.sh NM CONTROL_ELF NODE_ELF...
# CONTROL_ELF is an image that does use the heap (a GoogleTest board
# image): the check must find it there, which proves the check can fail.
set -euo pipefail
nm="$1"
control="$2"
shift 2

heap_symbols() {
  "$nm" -C "$1" | grep -E ' [TtWw] (malloc|free|calloc|realloc|_malloc_r|_free_r|_calloc_r|_realloc_r|operator new|operator delete)\b' || true
}

if [[ -z "$(heap_symbols "$control")" ]]; then
  echo "FAIL: the check found no heap symbols in the control image $control" >&2
  exit 1
fi

status=0
for elf in "$@"; do
  found="$(heap_symbols "$elf")"
  if [[ -n "$found" ]]; then
    echo "FAIL: $(basename "$elf") links a heap:" >&2
    echo "$found" >&2
    status=1
  else
    echo "ok: $(basename "$elf") has no malloc/free/new/delete"
  fi
done
exit $status
