#!/usr/bin/env python3
"""Turns a GoogleTest console log into a JUnit XML report (Bazel's test.xml).

Each `[ RUN      ] Suite.Case` opens a case; the next `[       OK ]`,
`[  FAILED  ]` or `[  SKIPPED ]` line for it closes it, with its time, and
the lines in between are its failure text. A case that never closes (the
board crashed or hung) is a failure, and so is a non-zero exit without any
failed case (the program failed outside a test).
"""

import argparse
import re
import sys
from xml.sax.saxutils import escape, quoteattr

RUN = re.compile(r"^\[ RUN      \] (\S+)")
END = re.compile(r"^\[ +(OK|FAILED|SKIPPED) +\] (\S+)(?: \((\d+) ms\))?")


def parse(lines):
    """Returns [(suite, case, outcome, seconds, text)] in run order."""
    cases = []
    current = None  # (name, [lines])
    for raw in lines:
        line = raw.rstrip("\r\n")
        run = RUN.match(line)
        if run:
            if current:
                cases.append((current[0], "unfinished", 0.0, current[1]))
            current = (run.group(1), [])
            continue
        end = END.match(line)
        if end and current and end.group(2) == current[0]:
            seconds = int(end.group(3) or 0) / 1000.0
            cases.append((current[0], end.group(1), seconds, current[1]))
            current = None
            continue
        if current:
            current[1].append(line)
    if current:
        cases.append((current[0], "unfinished", 0.0, current[1]))
    result = []
    for name, outcome, seconds, text in cases:
        suite, _, case = name.rpartition(".")
        result.append((suite or name, case or name, outcome, seconds, text))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exit-status", type=int, default=0)
    parser.add_argument("--name", default="board_test")
    args = parser.parse_args()
    log = sys.stdin.read().splitlines()
    cases = parse(log)
    failing = {"FAILED", "unfinished"}
    if args.exit_status != 0 and not any(c[2] in failing for c in cases):
        cases.append((args.name, "program", "unfinished", 0.0,
                      ["exit status %d" % args.exit_status] + log[-40:]))
    suites = {}
    for case in cases:
        suites.setdefault(case[0], []).append(case)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<testsuites name=%s tests="%d" failures="%d">' % (
               quoteattr(args.name), len(cases),
               sum(c[2] in failing for c in cases))]
    for suite, members in suites.items():
        out.append('  <testsuite name=%s tests="%d" failures="%d">' % (
            quoteattr(suite), len(members),
            sum(c[2] in failing for c in members)))
        for _, case, outcome, seconds, text in members:
            status = "notrun" if outcome == "SKIPPED" else "run"
            out.append('    <testcase name=%s classname=%s time="%.3f" '
                       'status="%s"%s' % (quoteattr(case), quoteattr(suite),
                                          seconds, status,
                                          ">" if outcome in failing or
                                          outcome == "SKIPPED" else "/>"))
            if outcome in failing:
                message = ("did not finish" if outcome == "unfinished"
                           else "failed")
                out.append('      <failure message=%s>%s</failure>' % (
                    quoteattr(message), escape("\n".join(text))))
            if outcome == "SKIPPED":
                out.append("      <skipped/>")
            if outcome in failing or outcome == "SKIPPED":
                out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
