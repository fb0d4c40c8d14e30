#!/usr/bin/env python3
"""Two secure_node images under QEMU, their network links joined by this test.

Usage (Bazel passes these):
  two_node_test.py RUNNER PROVISION BOARD_A ELF_A BOARD_B ELF_B

The test listens on two Unix sockets, one per node (QEMU connects its network
link to it as a client: the network UART, or on mps3_an536 the Ethernet link,
platforms/qemu/network_link.py), relays every stream byte between them and
records it. It
provisions both nodes over their consoles with bundles made by the
provisioning tool, sends messages of 0..4096 bytes both ways, kills node b
(SIGKILL) and boots it again on the same storage, and checks that b restores
itself and traffic resumes without provisioning, that each message is
delivered exactly once with the right fingerprint, that no (sender, epoch,
sequence) ever repeats across both lives, that the counters agree, and that
no 16-byte window of any plaintext or key ever crossed the wire.
"""

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

from platforms.qemu import network_link

SECRET_HEX = "5a" * 32
SIZES = [0, 1, 15, 16, 17, 255, 256, 1000, 2048, 4095, 4096]
TIMEOUT_S = 120


def payload(seed, length):
    x = seed if seed else 0x9E3779B9
    out = bytearray()
    for _ in range(length):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append(x & 0xFF)
    return bytes(out)


def fnv1a32(data):
    h = 0x811C9DC5
    for b in data:
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


class Node:
    def __init__(self, name, runner, board, elf, socket_path, storage_path):
        self.name = name
        self.board = board
        self.lines = []
        self.partial = b""
        self.process = subprocess.Popen(
            [runner, "--board=" + board, "--network-socket=" + socket_path,
             "--storage=" + storage_path, elf],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def command(self, line):
        self.process.stdin.write((line + "\n").encode())
        self.process.stdin.flush()

    def absorb(self, data):
        self.partial += data
        while b"\n" in self.partial:
            line, self.partial = self.partial.split(b"\n", 1)
            self.lines.append(line.decode(errors="replace").rstrip("\r"))


def main():
    runner, provision, board_a, elf_a, board_b, elf_b = sys.argv[1:7]
    workdir = tempfile.mkdtemp(prefix="two_node_")
    secret_path = os.path.join(workdir, "fleet.secret")
    with open(secret_path, "w") as f:
        f.write(SECRET_HEX + "\n")

    def bundle(node_id, peer):
        return subprocess.run(
            [provision, "--fleet-secret-file=" + secret_path, "--node=%d" % node_id,
             "--peers=%d" % peer], check=True, capture_output=True, text=True).stdout.split("\n")
    listeners, nodes = [], []
    try:
        for name in ("a", "b"):
            path = os.path.join(workdir, name + ".sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            listener.listen(1)
            listeners.append((listener, path))
        storage = [os.path.join(workdir, name + ".flash") for name in ("a", "b")]
        nodes = [Node("a", runner, board_a, elf_a, listeners[0][1], storage[0]),
                 Node("b", runner, board_b, elf_b, listeners[1][1], storage[1])]
        links = []
        for listener, _ in listeners:
            listener.settimeout(30)
            connection, _ = listener.accept()
            connection.setblocking(False)
            links.append(connection)
        nets = [network_link.Link(links[i], nodes[i].board) for i in (0, 1)]
        wire = bytearray()
        deadline = time.monotonic() + TIMEOUT_S

        def pump(until):
            """Moves bytes until until() holds; fails on timeout."""
            while not until():
                if time.monotonic() > deadline:
                    raise AssertionError("timed out; last lines: %s / %s"
                                         % (nodes[0].lines[-5:], nodes[1].lines[-5:]))
                streams = [n.process.stdout for n in nodes] + links
                writers = [links[i] for i in (0, 1) if nets[i].wants_write()]
                readable, writable, _ = select.select(streams, writers, [], 0.1)
                for net in nets:
                    net.tick()
                for link in writable:
                    i = links.index(link)
                    nets[i].write()
                for stream in readable:
                    if stream in links:
                        i = links.index(stream)
                        data = nets[i].read()
                        if data is None:
                            raise AssertionError("a node closed its network link")
                        wire.extend(data)
                        nets[1 - i].queue(data)
                    else:
                        node = nodes[[n.process.stdout for n in nodes].index(stream)]
                        data = os.read(stream.fileno(), 65536)
                        if not data:
                            raise AssertionError(node.name + ": QEMU exited")
                        node.absorb(data)

        def wait_line(node, prefix):
            pump(lambda: any(l.startswith(prefix) for l in node.lines))
            line = next(l for l in node.lines if l.startswith(prefix))
            node.lines.remove(line)
            return line

        for node in nodes:
            boot = wait_line(node, "BOOT ")
            print(node.name, boot)
            wait_line(node, "READY")
        roots = []
        for node_id, peer, node in ((1, 2, nodes[0]), (2, 1, nodes[1])):
            for line in bundle(node_id, peer):
                if not line:
                    continue
                node.command(line)
                if line.startswith("LINK"):
                    roots.append(bytes.fromhex(line.split()[2]))
                    assert wait_line(node, "OK LINK") == "OK LINK peer=%d links=1" % peer
                else:
                    assert wait_line(node, "OK PROVISION") == "OK PROVISION node=%d" % node_id

        plaintexts = []
        nonces = set()
        message_id = 1

        def exchange(sizes):
            nonlocal message_id
            for size in sizes:
                for sender, receiver, src, dst in ((nodes[0], nodes[1], 1, 2),
                                                   (nodes[1], nodes[0], 2, 1)):
                    seed = 1000 + message_id
                    sender.command("SEND %d %d %d %d" % (dst, message_id, size, seed))
                    reply = wait_line(sender, "OK SEND id=%d " % message_id)
                    fields = dict(kv.split("=") for kv in reply.split()[2:])
                    nonce = (src, fields["epoch"], fields["seq"])
                    assert nonce not in nonces, "nonce reused: %s" % (nonce,)
                    nonces.add(nonce)
                    data = payload(seed, size)
                    plaintexts.append(data)
                    expected = "RX src=%d id=%d len=%d fnv=%08x" % (src, message_id, size,
                                                                    fnv1a32(data))
                    got = wait_line(receiver, "RX src=%d id=%d " % (src, message_id))
                    assert got == expected, (got, expected)
                    # Every SEND ends in one outcome: the receiver's
                    # authenticated ACK makes it DELIVERED.
                    outcome = wait_line(sender, "DELIVERED id=%d " % message_id)
                    assert outcome.startswith("DELIVERED id=%d dst=%d seq=%s tx="
                                              % (message_id, dst, fields["seq"])), outcome
                    print("%s -> %s %5d bytes: %s" % (sender.name, receiver.name, size, reply))
                    message_id += 1

        exchange(SIZES)

        # A power cut: b is killed and boots again on the same storage. It
        # restores itself; no provisioning, no rotation.
        before_restart = (len(SIZES), len(SIZES))
        nodes[1].process.send_signal(signal.SIGKILL)
        nodes[1].process.wait()
        links[1].close()
        nodes[1] = Node("b", runner, board_b, elf_b, listeners[1][1], storage[1])
        connection, _ = listeners[1][0].accept()
        connection.setblocking(False)
        links[1] = connection
        nets[1] = network_link.Link(connection, board_b)
        wait_line(nodes[1], "BOOT ")
        assert wait_line(nodes[1], "RESTORED") == "RESTORED node=2 epoch=0 links=1"
        wait_line(nodes[1], "READY")
        exchange(SIZES[:4])

        for node in nodes:
            node.command("STATS")
            stats = dict(kv.split("=") for kv in wait_line(node, "STATS ").split()[1:])
            print(node.name, stats)
            # b's counters are its second life's; a's span both.
            expect = 4 if node is nodes[1] else len(SIZES) + 4
            assert stats["tx"] == str(expect) and stats["rx_ok"] == str(expect), stats
            for key in ("rej_malformed", "rej_forged", "rej_replay", "rej_epoch"):
                assert stats[key] == "0", stats
            # A retransmission on a slow host can make a second, late ACK:
            # authentic, refused as ack_unknown. Nothing else is refused.
            rejects = [l for l in node.lines
                       if l.startswith("REJECT") and "reason=ack_unknown" not in l]
            assert not rejects, rejects
            assert stats["delivered"] == str(expect) and stats["failed"] == "0", stats

        for data in plaintexts:
            for offset in range(0, len(data) - 15, 16):
                assert bytes(data[offset:offset + 16]) not in wire, "plaintext on the wire"
        for key in [bytes.fromhex(SECRET_HEX)] + roots:
            assert key[:16] not in wire and key[16:] not in wire, "key on the wire"
        print("PASS: %d messages, %d wire bytes, no plaintext on the wire"
              % (2 * len(SIZES), len(wire)))
        return 0
    finally:
        for node in nodes:
            node.process.kill()
            node.process.wait()
        for listener, path in listeners:
            listener.close()
            if os.path.exists(path):
                os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
