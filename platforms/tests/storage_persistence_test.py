#!/usr/bin/env python3
"""Board storage survives QEMU being killed: two runs against one file.

Usage (Bazel passes these): storage_persistence_test.py RUNNER BOARD ELF

Run 1 (run_firmware.sh --storage=FILE, FILE new) checks the NOR rules,
writes a record and says "STORAGE WRITTEN"; this test then kills QEMU with
SIGKILL. Run 2 on the same FILE must find every byte of the record
("STORAGE VERIFIED", exit 0). Also: without --storage the firmware reports
persistent=0 (exit 3), and the runner refuses a file of the wrong size.
"""

import os
import select
import signal
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 60
STORAGE_BYTES = {"mps3_an536": 256 * 1024, "versatilepb_r5f": 64 * 1024 * 1024}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run_until(command, marker):
    """Starts command; returns (process, output) once a line has marker."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = b""
    deadline = time.monotonic() + TIMEOUT_S
    while marker.encode() not in output:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            process.kill()
            fail("no %r within %d s; output:\n%s" %
                 (marker, TIMEOUT_S, output.decode(errors="replace")))
        ready, _, _ = select.select([process.stdout], [], [], remaining)
        if ready:
            data = os.read(process.stdout.fileno(), 4096)
            if not data:
                process.wait()
                fail("exited with %d before %r; output:\n%s" %
                     (process.returncode, marker,
                      output.decode(errors="replace")))
            output += data
    return process, output.decode(errors="replace")


def run(command):
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=TIMEOUT_S)
    return result.returncode, result.stdout.decode(errors="replace")


def main():
    runner, board, elf = sys.argv[1:4]
    workdir = tempfile.mkdtemp(prefix="storage_",
                               dir=os.environ.get("TEST_TMPDIR"))
    path = os.path.join(workdir, "storage.bin")
    command = [runner, "--board=" + board, "--storage=" + path, elf]

    # Run 1: the runner creates the file; kill QEMU as soon as it wrote.
    process, output = run_until(command, "STORAGE WRITTEN")
    print(output)
    if "persistent=1" not in output:
        fail("run 1 does not report persistent storage")
    # run_firmware.sh execs QEMU: this pid is QEMU itself.
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    if process.returncode != -signal.SIGKILL:
        fail("run 1 was not killed: status %d" % process.returncode)
    size = os.path.getsize(path)
    if size != STORAGE_BYTES[board]:
        fail("storage file has %d bytes, expected %d" %
             (size, STORAGE_BYTES[board]))

    # Run 2: same file, everything must be there.
    status, output = run(command)
    print(output)
    if status != 0 or "STORAGE VERIFIED" not in output:
        fail("run 2: status %d, no STORAGE VERIFIED" % status)

    # No --storage: a volatile stand-in that says so.
    status, output = run([runner, "--board=" + board, elf])
    print(output)
    if status != 3 or "persistent=0" not in output:
        fail("without --storage: status %d (expected 3, persistent=0)" % status)

    # A file of the wrong size is refused before QEMU starts.
    wrong = os.path.join(workdir, "wrong.bin")
    with open(wrong, "wb") as f:
        f.write(b"\0" * 1000)
    status, output = run([runner, "--board=" + board, "--storage=" + wrong, elf])
    if status != 2 or "needs" not in output:
        fail("wrong-size file: status %d, output:\n%s" % (status, output))

    print("PASS")


if __name__ == "__main__":
    main()
