#!/usr/bin/env python3
"""Crash reports name the fault, its registers and its function and line.

Usage (Bazel passes these):
    crash_report_test.py RUN_BOARD_TEST BOARD ELF CRASH_CHECK_SOURCE ADDR2LINE

Runs crash_check.cc once per fault (each kind, and BKPT, which with no
debugger attached is a prefetch abort with a debug-event status) through the board-test runner
(run_board_test.sh, which prints the console into the log and symbolizes a
crash report) and checks the report: the exit status (128 + kind), the
kind, the fault status register's class and the fault address register, the
register dump, and the symbolized function and source line of the faulting
instruction (pc) or, for a prefetch abort at a corrupted function pointer,
of the call (lr). The expected lines are those marked "crash: KIND" in the
source.
"""

import os
import re
import subprocess
import sys

TIMEOUT_S = 60


def crash_lines(source):
    """{fault: line number} of the "crash: FAULT" markers."""
    lines = {}
    with open(source) as f:
        for number, text in enumerate(f, start=1):
            match = re.search(r"// crash: (\w+)", text)
            if match:
                lines[match.group(1)] = number
    return lines


class Checker:
    def __init__(self, board):
        self.board = board
        self.failures = 0

    def expect(self, name, condition, what, output):
        if condition:
            return
        self.failures += 1
        print("FAIL %s %s: %s" % (self.board, name, what))
        print("output:\n" + output)


def report_fields(output):
    """Every key=value of the CRASH lines (later lines do not override)."""
    fields = {}
    for line in output.splitlines():
        if line.startswith("CRASH "):
            for key, value in re.findall(r"(\w+)=(\S+)", line):
                fields.setdefault(key, value)
    return fields


def main():
    runner, board, elf, source, addr2line = sys.argv[1:6]
    lines = crash_lines(source)
    source_path = "platforms/tests/crash_check.cc"
    env = dict(os.environ, ARM_NONE_EABI_ADDR2LINE=addr2line)
    # The runner would write this test's own test.xml.
    env.pop("XML_OUTPUT_FILE", None)
    check = Checker(board)
    # The fault crash_check.cc is asked for: what its report must say.
    # address: the fault address register's value; "unaligned": an odd
    # address (the LDRD's); None: not checked (UNKNOWN for debug events).
    expectations = {
        "undefined_instruction": dict(
            kind="undefined_instruction", status=129, registers=None,
            symbolized=("pc", "ExecuteUndefinedInstruction")),
        "data_abort": dict(
            kind="data_abort", status=132, registers=("dfsr", "dfar"),
            fault="alignment", address="unaligned",
            symbolized=("pc", "LoadPairUnaligned")),
        "prefetch_abort": dict(
            kind="prefetch_abort", status=131, registers=("ifsr", "ifar"),
            fault="permission", address=0xf0000000,
            symbolized=("lr", "CallIntoExecuteNever")),
        "breakpoint": dict(
            kind="prefetch_abort", status=131, registers=("ifsr", "ifar"),
            fault="debug", address=None,
            symbolized=("pc", "HitBreakpoint")),
    }
    for name, want in expectations.items():
        kind, status = want["kind"], want["status"]
        where, function = want["symbolized"]
        process = subprocess.run(
            [runner, "--board=" + board, "--arg=" + name, elf],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, env=env, timeout=TIMEOUT_S)
        output = process.stdout.decode(errors="replace")
        print("=== %s %s: status %d\n%s" % (board, name, process.returncode,
                                           output))
        fields = report_fields(output)
        check.expect(name, process.returncode == status,
                     "status %d, want %d" % (process.returncode, status),
                     output)
        check.expect(name, fields.get("kind") == kind,
                     "kind=%s, want %s" % (fields.get("kind"), kind), output)
        check.expect(name, "CRASH end status=%d" % status in output,
                     "no report end line", output)
        if want["registers"] is not None:
            status_register, address_register = want["registers"]
            check.expect(name, re.fullmatch(r"0x[0-9a-f]{8}",
                                            fields.get(status_register, "")),
                         "no %s" % status_register, output)
            check.expect(name, fields.get("fault") == want["fault"],
                         "fault=%s, want %s" % (fields.get("fault"),
                                                want["fault"]), output)
            address = want["address"]
            far = int(fields.get(address_register, "0x0"), 16)
            if address == "unaligned":
                check.expect(name, far & 3 == 1,
                             "%s=0x%08x is not the unaligned address" %
                             (address_register, far), output)
            elif address is not None:
                check.expect(name, far == address,
                             "%s=0x%08x, want 0x%08x" %
                             (address_register, far, address), output)
                check.expect(name, fields.get("pc") == "0x%08x" % address,
                             "pc=%s, want the jump target" % fields.get("pc"),
                             output)
        if name == "undefined_instruction":
            for n in (0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12):
                check.expect(name, fields.get("r%d" % n) == "0x%08x" %
                             (0xc0de0000 + n), "r%d=%s" %
                             (n, fields.get("r%d" % n)), output)
        symbolized = re.search(r"^symbolized %s=0x[0-9a-f]{8}: (.*)$" % where,
                               output, re.MULTILINE)
        want = "%s at %s:%d" % (function, source_path, lines[name])
        check.expect(name, symbolized is not None and
                     re.search(r"\b%s\(.* at %s:%d\b" %
                               (function, re.escape(source_path), lines[name]),
                               symbolized.group(1)),
                     "symbolized %s does not say %s" % (where, want), output)
    if check.failures:
        print("FAIL: %d check(s) failed on %s" % (check.failures, board))
        return 1
    print("PASS: %d faults reported and symbolized on %s" %
          (len(expectations), board))
    return 0


if __name__ == "__main__":
    sys.exit(main())
