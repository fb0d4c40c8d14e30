#!/usr/bin/env bash
# The memory budget gate (tools/release:budget_report) on the real images:
#   * the declared budget (budgets/<board>.json) passes;
#   * a deliberately tiny libs/crypto flash budget fails, naming the library,
#     the size, the budget and by how much it grew;
#   * a budget that leaves out a library the image links fails too.
# Arguments: BUDGET_REPORT then, per board: BOARD ELF MAP DISASSEMBLY BUDGET
# (the middle three in any order, told apart by their names).
set -uo pipefail

budget_report="$1"
shift
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

run_gate() {  # run_gate BUDGET_FILE: sets status and output
  output=$("$budget_report" --board="$board" --elf="$elf" --map="$map" \
    --disassembly="$disassembly" --budget="$1" \
    --text_out="$TEST_TMPDIR/budget.txt" --json_out="$TEST_TMPDIR/budget.json" 2>&1)
  status=$?
}

while [[ $# -gt 0 ]]; do
  board="$1"
  elf="" map="" disassembly=""
  for file in "$2" "$3" "$4"; do
    case "$file" in
      *.elf) elf="$file" ;;
      *.map) map="$file" ;;
      *.objdump.txt) disassembly="$file" ;;
    esac
  done
  declared="$5"
  shift 5
  echo "== $board"

  run_gate "$declared"
  if [[ $status -ne 0 ]]; then
    fail "$board: the declared budget $declared fails: $output"
  elif ! grep -q '^Budget: OK$' "$TEST_TMPDIR/budget.txt"; then
    fail "$board: the report does not say the budget is OK"
  else
    echo "declared budget passes"
  fi

  run_gate tests/memory_budget/testdata/tiny_crypto_budget.json
  pattern='budget exceeded: libs/crypto flash [0-9,]+ B > budget 1,000 B \(grew by [0-9,]+ B\)'
  if [[ $status -ne 1 ]]; then
    fail "$board: tiny crypto budget: exit status $status, expected 1: $output"
  elif ! grep -Eq "$pattern" <<<"$output"; then
    fail "$board: tiny crypto budget: the message does not say what grew: $output"
  elif ! grep -Eq "$pattern" "$TEST_TMPDIR/budget.txt"; then
    fail "$board: tiny crypto budget: the report does not list the violation"
  else
    echo "tiny budget fails: $(grep -Eo "$pattern" <<<"$output")"
  fi

  run_gate tests/memory_budget/testdata/undeclared_library_budget.json
  if [[ $status -ne 1 ]] || ! grep -q 'no budget declared for libs/crypto' <<<"$output"; then
    fail "$board: a budget without libs/crypto should fail: status $status: $output"
  else
    echo "undeclared library fails"
  fi
done

if [[ $failures -ne 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
