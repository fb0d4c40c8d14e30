#!/usr/bin/env bash
# The memory budget gate on the node built at sizings other than its board's
# defaults (apps/release/sizing_gate.bzl builds the images):
#   * each image's apps/secure_node RAM moved from the default image's by
#     what its pool blocks add or remove (plus at most 64 B of pool
#     metadata and alignment per block), and beyond that in the direction
#     its key slots moved: so the flags reached the image;
#   * the gate, run as a release bundle runs it (the budget report with the
#     board's declared budget), passes a sizing within the budget and fails
#     one over it with its usual message, naming the measured RAM.
# Arguments: BUDGET_REPORT then, per image, BOARD SIZING EXPECT BUDGET
# BLOCK_SIZES BLOCK_COUNTS KEY_SLOTS and its ELF, map and disassembly (in any
# order); EXPECT is "over" or "within" the budget, and each board's first
# image is its default sizing.
set -uo pipefail

budget_report="$1"
shift
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

run_gate() {  # sets status, output, ram, ram_budget
  rm -f "$TEST_TMPDIR/budget.txt" "$TEST_TMPDIR/budget.json"
  ram="" ram_budget=""
  output=$("$budget_report" --board="$board" --elf="$elf" --map="$map" \
    --disassembly="$disassembly" --budget="$budget" \
    --text_out="$TEST_TMPDIR/budget.txt" --json_out="$TEST_TMPDIR/budget.json" 2>&1)
  status=$?
  read -r ram ram_budget < <(awk '$1 == "apps/secure_node" {
    gsub(",", ""); print $4, $5 }' "$TEST_TMPDIR/budget.txt" 2>/dev/null)
}

sum_products() {  # sum_products 64,256 16,16 -> 5120
  local -a a b
  IFS=, read -ra a <<<"$1"
  IFS=, read -ra b <<<"$2"
  local i total=0
  for i in "${!a[@]}"; do total=$((total + a[i] * b[i])); done
  echo "$total"
}

abs() { echo $(($1 < 0 ? -$1 : $1)); }

while [[ $# -gt 0 ]]; do
  board="$1" sizing="$2" expect="$3" budget="$4"
  sizes="$5" counts="$6" key_slots="$7"
  elf="" map="" disassembly=""
  for file in "$8" "$9" "${10}"; do
    case "$file" in
      *.elf) elf="$file" ;;
      *.map) map="$file" ;;
      *.objdump.txt) disassembly="$file" ;;
    esac
  done
  shift 10
  pool_bytes=$(sum_products "$sizes" "$counts")

  run_gate
  if [[ -z "$ram" ]]; then
    fail "$board $sizing: no apps/secure_node line in the report: $output"
    continue
  fi
  echo "== $board $sizing: blocks $counts of $sizes B, $key_slots key slots:" \
    "apps/secure_node RAM $ram B (budget $ram_budget B)"

  if [[ "$sizing" == default ]]; then
    default_ram=$ram default_pool_bytes=$pool_bytes
    default_counts=$counts default_key_slots=$key_slots
  else
    delta=$((ram - default_ram))
    pool_delta=$((pool_bytes - default_pool_bytes))
    IFS=, read -ra now <<<"$counts"
    IFS=, read -ra before <<<"$default_counts"
    slack=0
    for i in "${!now[@]}"; do
      slack=$((slack + 64 * $(abs $((now[i] - before[i])))))
    done
    echo "   RAM $delta B from the default; the pool blocks alone $pool_delta B"
    if ((key_slots == default_key_slots)); then
      (($(abs $((delta - pool_delta))) <= slack)) ||
        fail "$board $sizing: RAM moved by $delta B, not by the pools' $pool_delta B (+/- $slack B)"
    elif ((key_slots < default_key_slots)); then
      ((delta < pool_delta - slack)) ||
        fail "$board $sizing: fewer key slots, yet RAM moved by $delta B, no less than the pools' $pool_delta B (- $slack B)"
    else
      ((delta > pool_delta + slack)) ||
        fail "$board $sizing: more key slots, yet RAM moved by $delta B, no more than the pools' $pool_delta B (+ $slack B)"
    fi
  fi

  case "$expect" in
    within)
      if [[ $status -ne 0 ]] || ! grep -q '^Budget: OK$' "$TEST_TMPDIR/budget.txt"; then
        fail "$board $sizing: the gate should pass (RAM $ram B, budget $ram_budget B): status $status: $output"
      else
        echo "   the gate passes"
      fi
      ;;
    over)
      pattern='budget exceeded: apps/secure_node ram [0-9,]+ B > budget [0-9,]+ B \(grew by [0-9,]+ B\)'
      message=$(grep -Eo "$pattern" <<<"$output")
      reported=$(sed -E 's/.* ram ([0-9,]+) B .*/\1/' <<<"$message" | tr -d ,)
      if ((ram <= ram_budget)); then
        fail "$board $sizing: meant to be over the budget, but RAM $ram B <= $ram_budget B"
      elif [[ $status -ne 1 ]]; then
        fail "$board $sizing: the gate should fail: exit status $status: $output"
      elif [[ -z "$message" || "$reported" != "$ram" ]]; then
        fail "$board $sizing: the gate's message does not name the RAM measured ($ram B): $output"
      else
        echo "   the gate fails: $message"
      fi
      ;;
    *) fail "$board $sizing: unknown expectation '$expect'" ;;
  esac
done

if [[ $failures -ne 0 ]]; then
  echo "$failures failure(s)"
  exit 1
fi
