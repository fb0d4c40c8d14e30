#!/usr/bin/env python3
"""Names the functions and source lines of a board's crash report.

Usage: symbolize_crash.py ELF [ADDR2LINE] < CONSOLE_LOG

Reads a console log, finds the crash report that the start-up code prints
for an unexpected exception (platforms/common/crt0.cc: a line
"CRASH kind=KIND pc=0x... lr=0x... ..."), and prints for its pc and lr what
binutils' addr2line says about them in ELF, one line each:

    symbolized pc=0x20000ee2: LoadPairUnaligned(unsigned char const*) at platforms/tests/crash_check.cc:45
    symbolized lr=0x20000f9f: main at platforms/tests/crash_check.cc:72

pc is the faulting instruction itself; lr is a return address, so the
instruction before it (the call) is looked up. Functions inlined into others
add ", inlined in FUNCTION at FILE:LINE". Source paths are shown relative to
the workspace (Bazel compiles with /proc/self/cwd as the directory).
ADDR2LINE defaults to $ARM_NONE_EABI_ADDR2LINE, then arm-none-eabi-addr2line.
Prints nothing and exits 0 when the log has no crash report; exits 1 when
addr2line cannot be run.
"""

import os
import re
import subprocess
import sys

REPORT = re.compile(r"CRASH kind=(\w+) pc=0x([0-9a-f]{8}) lr=0x([0-9a-f]{8})")
CWD_PREFIX = "/proc/self/cwd/"


def clean_path(location):
    return location[len(CWD_PREFIX):] if location.startswith(CWD_PREFIX) else location


def lookup(addr2line, elf, address):
    """[(function, file:line), ...]: the innermost first, then its callers
    while inlined."""
    out = subprocess.run(
        [addr2line, "-f", "-C", "-i", "-e", elf, "0x%08x" % address],
        check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    lines = out.splitlines()
    return [(lines[i], clean_path(lines[i + 1]))
            for i in range(0, len(lines) - 1, 2)]


def describe(frames):
    text = "%s at %s" % frames[0]
    for function, location in frames[1:]:
        text += ", inlined in %s at %s" % (function, location)
    return text


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    elf = sys.argv[1]
    addr2line = (sys.argv[2] if len(sys.argv) == 3 else
                 os.environ.get("ARM_NONE_EABI_ADDR2LINE") or
                 "arm-none-eabi-addr2line")
    report = None
    for line in sys.stdin.buffer.read().decode(errors="replace").splitlines():
        match = REPORT.search(line)
        if match:
            report = match
    if report is None:
        return 0
    pc = int(report.group(2), 16)
    lr = int(report.group(3), 16)
    try:
        print("symbolized pc=0x%08x: %s" %
              (pc, describe(lookup(addr2line, elf, pc & ~1))))
        if lr != 0:
            print("symbolized lr=0x%08x: %s" %
                  (lr, describe(lookup(addr2line, elf, (lr & ~1) - 1))))
    except (OSError, subprocess.CalledProcessError) as error:
        print("symbolize_crash.py: cannot run %s: %s" % (addr2line, error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
