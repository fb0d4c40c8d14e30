#!/usr/bin/env python3
"""Network receive does not stall when the board writes its storage.

Usage (Bazel passes these): flash_receive_test.py RUNNER BOARD ELF

Boots flash_receive_check.cc with persistent storage (--storage=FILE) and
its network link on a Unix socket this test listens on (the network UART,
or on mps3_an536 the Ethernet link: platforms/qemu/network_link.py), waits
for "ready", then sends ROUNDS bursts, each longer than the UART's receive
FIFO, and
expects each burst echoed completely before sending the next. The firmware
programs a storage word for every batch it receives and sleeps in WFI with
no wake-up deadline in between, so a burst whose rest is never delivered
stays stuck: no echo for STALL_S seconds is a failure.

QEMU runs pinned to one host CPU. A stall needs QEMU's main-loop thread to
be slower to wake up than the vCPU thread is to reach its next flash write
(platforms/README.md, "Receive stalls after a flash write"); sharing one
CPU makes that the usual case rather than a matter of host load.
"""

import os
import random
import select
import socket
import subprocess
import sys
import tempfile
import time

from platforms.qemu import network_link

ROUNDS = 500
# Longer than the PL011's 16-byte and the CMSDK UART's 1-byte receiver, so
# every burst fills the UART and QEMU stops reading its socket for a while.
BURST_SIZES = (17, 64, 200, 1000)
STALL_S = 5.0
BOOT_S = 60.0
STORAGE_BYTES = {"mps3_an536": 256 * 1024, "versatilepb_r5f": 64 * 1024 * 1024}


def fail(message, output=b""):
    print("FAIL: " + message)
    if output:
        print("console:\n" + output.decode(errors="replace"))
    sys.exit(1)


def socket_dir():
    # A Unix socket path must fit in 108 bytes; Bazel's TEST_TMPDIR may not.
    base = os.environ.get("TEST_TMPDIR")
    if base is None or len(base) > 60:
        base = None
    return tempfile.mkdtemp(prefix="flashrx", dir=base)


def pin_to_one_cpu():
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main():
    runner, board, elf = sys.argv[1:4]
    work = socket_dir()
    path = os.path.join(work, "net.sock")
    storage = os.path.join(work, "storage.bin")
    with open(storage, "wb") as f:
        f.truncate(STORAGE_BYTES[board])
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    qemu = subprocess.Popen(
        [runner, "--board=" + board, "--network-socket=" + path,
         "--storage=" + storage, elf],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, preexec_fn=pin_to_one_cpu)
    console = b""
    try:
        listener.settimeout(BOOT_S)
        link, _ = listener.accept()
        deadline = time.monotonic() + BOOT_S
        while b"ready" not in console:
            if b"FAIL" in console or time.monotonic() > deadline:
                fail("firmware did not get ready", console)
            if select.select([qemu.stdout], [], [], 0.1)[0]:
                console += os.read(qemu.stdout.fileno(), 4096)
        link.setblocking(False)
        net = network_link.Link(link, board)
        rng = random.Random(1)
        sent = echoed = 0
        for round_index in range(ROUNDS):
            burst = bytes(rng.randrange(256)
                          for _ in range(BURST_SIZES[round_index %
                                                     len(BURST_SIZES)]))
            net.queue(burst)
            expected = burst
            last_progress = time.monotonic()
            while expected:
                readable, writable, _ = select.select(
                    [link, qemu.stdout], [link] if net.wants_write() else [],
                    [], 0.05)
                net.tick()
                if qemu.stdout in readable:
                    data = os.read(qemu.stdout.fileno(), 4096)
                    console += data
                    if not data or b"FAIL" in console:
                        fail("firmware failed in round %d" % round_index,
                             console)
                if link in writable:
                    sent += net.write()
                if link in readable:
                    data = net.read()
                    if data is None:
                        fail("QEMU closed the link in round %d" % round_index,
                             console)
                    if data != expected[:len(data)]:
                        fail("round %d: echo differs from what was sent" %
                             round_index)
                    expected = expected[len(data):]
                    echoed += len(data)
                    last_progress = time.monotonic()
                if time.monotonic() - last_progress > STALL_S:
                    fail("round %d (%d bytes): receive stalled for %.0f s with "
                         "%d of them not echoed (%d bytes written to the link, %d "
                         "echoed)" % (round_index, len(burst), STALL_S,
                                      len(expected), sent, echoed), console)
            # Let the firmware drain and go back to sleep between bursts.
            time.sleep(0.002)
        print("PASS: %d bursts, %d bytes echoed" % (ROUNDS, echoed))
    finally:
        qemu.kill()
        qemu.wait()


if __name__ == "__main__":
    main()
