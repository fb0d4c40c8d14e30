#!/usr/bin/env python3
"""A scripted gdb session on a board: run_firmware.sh --gdb-script.

Usage (Bazel passes these): gdb_session_test.py RUNNER BOARD ELF

Boots gdb_check.cc halted under QEMU's gdb stub, the way `bazel run
<image> -- --gdb` does, with gdb-multiarch in batch mode. The runner stops
it at main (break main, continue); the script then breaks in SumUpTo,
continues, reads its parameter, finishes it (its result), steps over the
next line with next (its source shown) and reads a global. Each step's
output is checked.
"""

import os
import subprocess
import sys
import tempfile

TIMEOUT_S = 120

SCRIPT = """\
break SumUpTo
continue
print limit
finish
next
print gdb_check_answer
"""

# What the session must print, in this order.
EXPECTED = [
    "Breakpoint 1, main () at platforms/tests/gdb_check.cc:",
    "Breakpoint 2, (anonymous namespace)::SumUpTo (limit=10) at "
    "platforms/tests/gdb_check.cc:",
    "$1 = 10",
    "Value returned is $2 = 55",
    # next: from the call's line to the one after it, with its source
    "\t  board::ConsoleWrite(ok ?",
    "$3 = 42",
]


def main():
    runner, board, elf = sys.argv[1:4]
    work = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR"))
    script = os.path.join(work, "session.gdb")
    with open(script, "w") as f:
        f.write(SCRIPT)
    # As under `bazel run`: the runner points gdb at the sources there (the
    # runfiles hold gdb_check.cc at its workspace path).
    env = dict(os.environ, BUILD_WORKSPACE_DIRECTORY=os.getcwd())
    process = subprocess.run(
        [runner, "--board=" + board, elf, "--gdb-script=" + script],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, env=env, timeout=TIMEOUT_S)
    output = process.stdout.decode(errors="replace")
    print(output)
    failures = []
    if process.returncode != 0:
        failures.append("gdb exited with status %d" % process.returncode)
    position = 0
    for expected in EXPECTED:
        found = output.find(expected, position)
        if found < 0:
            failures.append("missing (in order): %r" % expected)
        else:
            position = found + len(expected)
    if failures:
        for failure in failures:
            print("FAIL %s: %s" % (board, failure))
        return 1
    print("PASS: gdb session on %s" % board)
    return 0


if __name__ == "__main__":
    sys.exit(main())
