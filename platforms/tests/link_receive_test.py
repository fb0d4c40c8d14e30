#!/usr/bin/env python3
"""Network UART receive by interrupt loses nothing, however fast the sender.

Usage (Bazel passes these): link_receive_test.py RUNNER BOARD ELF

Writes the byte pattern link_receive_check.cc expects (after a zero
preamble for start-up) to a file and boots
the image with run_firmware.sh --network-input=FILE: QEMU feeds 64 KiB
into the network link as fast as it takes them (the network UART; on
mps3_an536 the Ethernet link, through the runner's feeder, within the
link's credit window), first while the
firmware computes without reading (the ring fills and receive throttles),
then while it reads slowly; the firmware checks every byte arrived, in
order, without overrun, and exits 0.
"""

import os
import subprocess
import sys
import tempfile

PREAMBLE = 16  # link_receive_check.cc kPreamble: zero bytes start-up may cut
BYTES = 64 * 1024  # link_receive_check.cc kBytes
TIMEOUT_S = 120


def pattern(i):
    return ((i * 7) ^ (i >> 8) ^ 0x5A) & 0xFF


def main():
    runner, board, elf = sys.argv[1:4]
    with tempfile.TemporaryDirectory(
            dir=os.environ.get("TEST_TMPDIR")) as tmp:
        path = os.path.join(tmp, "network_input.bin")
        with open(path, "wb") as f:
            f.write(bytes(PREAMBLE) + bytes(pattern(i) for i in range(BYTES)))
        result = subprocess.run(
            [runner, "--board=" + board, "--network-input=" + path, elf],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=TIMEOUT_S)
    output = result.stdout.decode(errors="replace")
    print(output)
    if result.returncode != 0 or "PASS" not in output:
        print("FAIL: exit status %d" % result.returncode)
        sys.exit(1)


if __name__ == "__main__":
    main()
