#!/usr/bin/env bash
# Line, function and branch coverage of the host tests, as an HTML report.
#
#   tools/coverage.sh [--out=DIR] [TARGET...]     (default: //...)
#
# Runs `bazel coverage` on the host C++ tests among TARGET (board tests,
# tag "board", and other languages' tests are left out), which instruments
# the code under test with GCC's --coverage, runs each test and turns its
# gcov data into LCOV (third_party/remote_coverage_tools), and combines the
# results into one tracefile. gcovr (Debian's, tools/setup.sh) then writes
# DIR/index.html (default coverage-report/, next to WORKSPACE; not in git)
# with a page per source file, and prints a summary.
#
# Further Bazel options go in BAZEL_COVERAGE_FLAGS, e.g.
# BAZEL_COVERAGE_FLAGS=--instrumentation_filter=^//libs/crypto[/:].
# The combined LCOV file stays at bazel-out/_coverage/_coverage_report.dat
# for editors and other tools.
set -euo pipefail

workspace=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$workspace/coverage-report"
targets=()
for arg in "$@"; do
  case "$arg" in
    --out=*) out=${arg#--out=} ;;
    -h | --help)
      sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    -*) echo "coverage.sh: unknown option $arg (Bazel options: BAZEL_COVERAGE_FLAGS)" >&2; exit 2 ;;
    *) targets+=("$arg") ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(//...)
[[ "$out" == /* ]] || out="$PWD/$out"
command -v gcovr >/dev/null || { echo "coverage.sh: no gcovr (run tools/setup.sh)" >&2; exit 1; }

cd "$workspace"
# .bazelrc's "coverage" lines add --combined_report=lcov and gcov -b.
# shellcheck disable=SC2086 # BAZEL_COVERAGE_FLAGS is a list of words
bazel coverage \
  --build_tests_only \
  --test_lang_filters=cc \
  --test_tag_filters=-board \
  ${BAZEL_COVERAGE_FLAGS:-} \
  -- "${targets[@]}"

report="$(bazel info output_path 2>/dev/null)/_coverage/_coverage_report.dat"
[[ -s "$report" ]] || { echo "coverage.sh: no coverage data in $report" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/*.html "$out"/*.css
/usr/bin/python3 "$workspace/tools/coverage/lcov_to_gcovr.py" "$report" "$out/coverage.json"
gcovr --root "$workspace" --add-tracefile "$out/coverage.json" \
  --html-details "$out/index.html" --html-title "Host test coverage" \
  --print-summary
echo "coverage.sh: $out/index.html (LCOV: $report)"
