#!/usr/bin/env bash
# Checks the coverage chain after the tests on made-up gcov JSON reports:
#   - lcov_merger keeps instrumented sources only (no /usr or external/
#     files), reports a header seen through _virtual_includes under its
#     source path, and writes lines, functions and branches as LCOV;
#   - coverage_report_generator adds up two tests' counts;
#   - lcov_to_gcovr.py and gcovr turn the result into an HTML report with
#     the expected totals.
set -uo pipefail

tools=$(readlink -f "$1")
to_gcovr=$(readlink -f "$2")
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

work=$TEST_TMPDIR/work
mkdir -p "$work/bin" "$work/ws/libs/x/public/x" "$work/html"
cd "$work" || exit 1
# The tools pick their job by the name they are called by, as Bazel does.
ln -s "$tools" bin/lcov_merger
ln -s "$tools" bin/coverage_report_generator

# Sources, for gcovr's pages: a.cc has 6 lines, a.h 3.
printf 'int f(int v) {\n  if (v)\n    return 1;\n  return 0;\n}\nint g() { return 2; }\n' >ws/libs/x/a.cc
printf 'inline int h() {\n  return 3;\n}\n' >ws/libs/x/public/x/a.h

# gcov_report DIR NAME F_COUNT BRANCH_TAKEN: one test's gcov report, in
# which f ran F_COUNT times and took its "if" BRANCH_TAKEN times.
gcov_report() {
  mkdir -p "$1"
  cat <<JSON | gzip >"$1/$2.gcov.json.gz"
{"format_version": "1", "gcc_version": "12.2.0", "current_working_directory": "/proc/self/cwd",
 "files": [
  {"file": "libs/x/a.cc",
   "functions": [{"name": "_Z1fi", "demangled_name": "f(int)", "start_line": 1, "end_line": 5, "execution_count": $3},
                 {"name": "_Z1gv", "demangled_name": "g()", "start_line": 6, "end_line": 6, "execution_count": 0}],
   "lines": [{"line_number": 1, "count": $3, "unexecuted_block": false, "function_name": "_Z1fi", "branches": []},
             {"line_number": 2, "count": $3, "unexecuted_block": false, "function_name": "_Z1fi",
              "branches": [{"count": $4, "fallthrough": true, "throw": false},
                           {"count": $(($3 - $4)), "fallthrough": false, "throw": false}]},
             {"line_number": 3, "count": $4, "unexecuted_block": false, "function_name": "_Z1fi", "branches": []},
             {"line_number": 4, "count": $(($3 - $4)), "unexecuted_block": false, "function_name": "_Z1fi", "branches": []},
             {"line_number": 6, "count": 0, "unexecuted_block": true, "function_name": "_Z1gv", "branches": []}]},
  {"file": "bazel-out/k8-fastbuild/bin/libs/x/_virtual_includes/x/x/a.h",
   "functions": [{"name": "_Z1hv", "demangled_name": "h()", "start_line": 1, "end_line": 3, "execution_count": 1}],
   "lines": [{"line_number": 2, "count": 1, "unexecuted_block": false, "function_name": "_Z1hv", "branches": []}]},
  {"file": "/usr/include/c++/12/bits/move.h", "functions": [], "lines": [{"line_number": 1, "count": 1, "branches": []}]},
  {"file": "external/com_google_googletest/googletest/include/gtest/gtest.h", "functions": [],
   "lines": [{"line_number": 1, "count": 1, "branches": []}]}
 ]}
JSON
}
printf '%s\n' bazel-out/k8-fastbuild/bin/libs/x/_objs/x/a.pic.gcno libs/x/a.cc libs/x/public/x/a.h >manifest

gcov_report cov1 a.pic 2 1
gcov_report cov2 a.pic 1 0
for n in 1 2; do
  bin/lcov_merger --coverage_dir="$work/cov$n" --output_file="$work/test$n.dat" \
    --filter_sources=/usr/bin/.+ --filter_sources=/usr/lib/.+ --filter_sources=/usr/include.+ \
    --filter_sources='.*external/.+' --source_file_manifest="$work/manifest" ||
    fail "lcov_merger $n exited $?"
done

expected1='SF:libs/x/a.cc
FN:1,f(int)
FN:6,g()
FNDA:2,f(int)
FNDA:0,g()
FNF:2
FNH:1
BRDA:2,0,0,1
BRDA:2,0,1,1
BRF:2
BRH:2
DA:1,2
DA:2,2
DA:3,1
DA:4,1
DA:6,0
LH:4
LF:5
end_of_record
SF:libs/x/public/x/a.h
FN:1,h()
FNDA:1,h()
FNF:1
FNH:1
BRF:0
BRH:0
DA:2,1
LH:1
LF:1
end_of_record'
[[ "$(cat test1.dat)" == "$expected1" ]] || fail "lcov_merger wrote
$(cat test1.dat)
expected
$expected1"

printf '%s\n' "$work/test1.dat" "$work/test2.dat" >reports
bin/coverage_report_generator --reports_file=reports --output_file=combined.dat ||
  fail "coverage_report_generator exited $?"
grep -qx 'DA:1,3' combined.dat || fail "counts of two tests do not add up: $(grep '^DA:1,' combined.dat)"
grep -qx 'BRDA:2,0,0,1' combined.dat && grep -qx 'BRDA:2,0,1,2' combined.dat ||
  fail "branch counts do not add up: $(grep '^BRDA' combined.dat)"
grep -qx 'FNDA:3,f(int)' combined.dat || fail "function counts do not add up"

/usr/bin/python3 "$to_gcovr" combined.dat coverage.json || fail "lcov_to_gcovr.py exited $?"
summary=$(gcovr --root "$work/ws" --add-tracefile coverage.json \
  --html-details "$work/html/index.html" --print-summary 2>&1) || fail "gcovr: $summary"
echo "$summary"
# a.cc: lines 1-4 run, 6 not; a.h: line 2 run. f and h run, g not.
[[ "$summary" == *"lines: 83.3% (5 out of 6)"* ]] || fail "unexpected line totals"
[[ "$summary" == *"functions: 66.7% (2 out of 3)"* ]] || fail "unexpected function totals"
[[ "$summary" == *"branches: 100.0% (2 out of 2)"* ]] || fail "unexpected branch totals"
ls html/index.*a.cc*.html >/dev/null 2>&1 || fail "no page for a.cc in the HTML report"

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "PASS"
