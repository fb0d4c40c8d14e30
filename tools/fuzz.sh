#!/usr/bin/env bash
# Runs one libFuzzer target (a fuzz_test, build_defs/fuzz.bzl) for a long
# time, keeping what it finds.
#
# Usage (from anywhere in the tree):
#   tools/fuzz.sh                          list the fuzz targets
#   tools/fuzz.sh TARGET [SECONDS] [FLAG...]
#       fuzz TARGET for SECONDS (default 600; 0: until a FLAG such as
#       -runs=1000000 stops it). TARGET is a label or a name without its
#       _fuzz_test suffix (cobs, record_store, session, ...). New inputs go
#       to fuzz-out/NAME/corpus, a crash to fuzz-out/NAME/crash-*; the
#       checked-in corpus is read, not changed. FLAGs go to libFuzzer, e.g.
#       -jobs=2, or a crash file to reproduce it.
#
# An input worth keeping (a crash once fixed, a new shape of input) is
# copied into the target's checked-in corpus directory: bazel test runs
# every input there.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$root"

targets() {
  bazel query --noshow_progress 'kind("_fuzz_test rule", //...)' 2>/dev/null
}

if [[ $# -eq 0 ]]; then
  targets
  exit 0
fi

target=$1
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
if [[ "$target" != //* ]]; then
  label=$(targets | grep -E ":${target}(_fuzz_test)?\$" || true)
  if [[ $(grep -c . <<<"$label") -ne 1 ]]; then
    echo "fuzz.sh: no single fuzz target named '$target'; these exist:" >&2
    targets >&2
    exit 2
  fi
  target=$label
fi
name=${target##*:}
name=${name%_fuzz_test}
workdir="$root/fuzz-out/$name"
echo "fuzz.sh: $target for ${seconds}s; new inputs in $workdir/corpus" >&2
# bazel run starts the fuzzer in its runfiles: input files by full path.
flags=()
for arg in "$@"; do
  if [[ "$arg" != -* && -e "$arg" ]]; then
    flags+=("$(readlink -f "$arg")")
  else
    flags+=("$arg")
  fi
done
# No bazel-* output links: a tree checked out under another name than the
# one .bazelignore lists would otherwise glob them into //:format_sources.
exec bazel run --noshow_progress --experimental_convenience_symlinks=ignore \
  "$target" -- \
  --seconds="$seconds" --workdir="$workdir" ${flags[@]+"${flags[@]}"}
