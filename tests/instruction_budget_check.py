#!/usr/bin/env python3
"""Gates the boards' instruction counts against one reviewed table.

Boots each benchmark image under QEMU -icount, where a count is exact and
the same on every run and machine, reads its `BENCH name=<row>
instructions=<n>` lines and compares every row with its budget in
instruction_budgets.json:

  budget exceeded: gcm_board_benchmark/aes256_gcm_encrypt_16 on mps3_an536:
    was 3651, budget 3600

A row the table does not name fails as well (a new figure gets a reviewed
budget), and so does a budgeted row a benchmark no longer prints.

Usage (the test passes these):
  instruction_budget_check.py --runner=RUN --board=B --budgets=JSON NAME=ELF...
  add --write=JSON to store the measured counts, with the table's slack
  policy applied, as the new table for that board (bazel run of the
  *_measure target; review the diff before committing it).
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys

BENCH = re.compile(r"^BENCH name=(\S+) instructions=(\d+)")


def measure(runner, board, elf):
    """Runs one benchmark image; returns {row: instructions}."""
    result = subprocess.run(
        [runner, "--board=" + board, "--icount", elf],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=600, check=False)
    rows = {}
    for line in result.stdout.splitlines():
        match = BENCH.match(line.strip())
        if match:
            rows[match.group(1)] = int(match.group(2))
    if result.returncode != 0:
        raise SystemExit("%s on %s exited %d:\n%s" % (
            elf, board, result.returncode, result.stdout[-2000:]))
    if not rows:
        raise SystemExit("%s on %s printed no BENCH line:\n%s" % (
            elf, board, result.stdout[-2000:]))
    return rows


def budget_for(count, policy):
    """The budget a fresh table gives a measured count."""
    slack = max(math.ceil(count * policy["relative_slack"]),
                policy["minimum_slack"])
    return count + slack


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", required=True)
    parser.add_argument("--board", required=True)
    parser.add_argument("--budgets", required=True)
    parser.add_argument("--write")
    parser.add_argument("benchmarks", nargs="+", metavar="NAME=ELF")
    args = parser.parse_args()

    with open(args.budgets) as f:
        table = json.load(f)
    policy = table["policy"]
    budgets = table["boards"].get(args.board, {})

    measured = {}
    for spec in args.benchmarks:
        name, elf = spec.split("=", 1)
        measured[name] = measure(args.runner, args.board, elf)

    if args.write:
        # Under `bazel run`, a relative path is the user's source tree.
        path = os.path.join(os.environ.get("BUILD_WORKSPACE_DIRECTORY", ""),
                            args.write)
        table["boards"][args.board] = {
            name: {row: budget_for(count, policy)
                   for row, count in sorted(rows.items())}
            for name, rows in sorted(measured.items())}
        with open(path, "w") as f:
            json.dump(table, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s" % path)
        return 0

    failures = []
    checked = 0
    for name, rows in sorted(measured.items()):
        expected = budgets.get(name)
        if expected is None:
            failures.append("%s has no budgets for %s" % (name, args.board))
            continue
        for row, count in sorted(rows.items()):
            budget = expected.get(row)
            if budget is None:
                failures.append("%s/%s on %s: was %d, not in the budget table"
                                % (name, row, args.board, count))
            elif count > budget:
                failures.append("budget exceeded: %s/%s on %s: was %d, budget %d"
                                % (name, row, args.board, count, budget))
            checked += 1
        for row in sorted(set(expected) - set(rows)):
            failures.append("%s/%s on %s: budgeted but no longer measured"
                            % (name, row, args.board))
    for name in sorted(set(budgets) - set(measured)):
        failures.append("%s on %s: budgeted but not run" % (name, args.board))

    print("%d rows on %s checked against %s" % (checked, args.board,
                                               args.budgets))
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
