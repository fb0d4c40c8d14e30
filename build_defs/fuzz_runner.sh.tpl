#!/usr/bin/env bash
# Runs the libFuzzer target %{fuzzer} (written by build_defs/fuzz.bzl for
# %{name}).
#
#   (no arguments)                  bazel test: every input of %{corpus},
#                                   then new ones from seed 1 up to %{runs}
#                                   executions or %{max_seconds} s
#   --seconds=S --workdir=DIR       fuzz for S seconds (tools/fuzz.sh); new
#                                   inputs go to DIR/corpus, crashes to DIR
# Further arguments go to libFuzzer (e.g. -jobs=2); given input files, only
# those are run (reproducing a crash).
set -euo pipefail
cd "${RUNFILES_DIR:-$0.runfiles}/%{workspace}" 2>/dev/null || true

fuzzer=%{fuzzer}
corpus=%{corpus}
seconds=""
workdir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds=*) seconds="${1#*=}" ;;
    --workdir=*) workdir="${1#*=}" ;;
    *) break ;;
  esac
  shift
done

# Symbolized stack traces when LLVM's symbolizer is installed.
symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
if [[ -x "$symbolizer" ]]; then
  export ASAN_SYMBOLIZER_PATH="$symbolizer"
fi
export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# A slow input is a finding too (an unbounded loop on hostile bytes).
common=(-max_len=%{max_len} -timeout=10 -print_final_stats=1)
dict=%{dict}
if [[ -n "$dict" ]]; then
  common+=(-dict="$dict")
fi

# Input files among the arguments: run just those (reproducing a crash).
for arg in "$@"; do
  if [[ "$arg" != -* ]]; then
    exec "$fuzzer" "${common[@]}" "$@"
  fi
done

if [[ -n "$seconds" ]]; then
  [[ -n "$workdir" ]] || { echo "--seconds needs --workdir" >&2; exit 2; }
  mkdir -p "$workdir/corpus"
  # The checked-in corpus is read, never written: libFuzzer adds what it
  # finds to the first directory only.
  exec "$fuzzer" "${common[@]}" -max_total_time="$seconds" \
    -artifact_prefix="$workdir/" "$@" "$workdir/corpus" "$corpus"
fi

# bazel test: bounded, and reproducible (fixed seed) where the machine is
# fast enough for -runs to end the run; on a loaded one the time limit
# does, so that all fuzz tests together stay within a minute.
scratch="${TEST_TMPDIR:-$(mktemp -d)}/new_inputs"
mkdir -p "$scratch"
artifacts="${TEST_UNDECLARED_OUTPUTS_DIR:-$scratch}"
exec "$fuzzer" "${common[@]}" -runs=%{runs} -seed=1 -max_total_time=%{max_seconds} \
  -artifact_prefix="$artifacts/" "$@" "$scratch" "$corpus"
