"""The listening end of a board's network link, for tests that talk to a node.

A node's network link carries a byte stream (COBS frames with 0x00
delimiters). How it reaches the socket depends on the board
(run_firmware.sh --network-socket=PATH):
  versatilepb_r5f: the network UART's chardev socket, the stream itself.
  mps3_an536: its LAN9118 Ethernet controller on QEMU's netdev stream: each
    packet is a 4-byte big-endian length and an Ethernet frame. Stream frames
    (ethertype 0x88B5) carry a 16-bit big-endian count and that many stream
    bytes, padded to 60 bytes; the node sends credit frames (0x88B6) with the
    32-bit count of stream frames it has taken, and the sender keeps at most
    WINDOW_FRAMES frames beyond that (QEMU's lan9118 drops a frame its RX
    FIFO cannot hold), sending nothing before the node's first credit frame
    (its receiver is on); until then each queue() also sends a probe (a
    credit frame for 0), which the node answers with a credit frame, and
    tick(), called on every turn of the caller's loop, repeats it every
    PROBE_INTERVAL_S in case a probe was lost as well.
    platforms/common/ethernet_link.h is the node's side.

Link hides the difference: queue() stream bytes, write() when the socket is
writable and wants_write(), read() when it is readable (the stream bytes
received, or None at end of file).
"""

import struct
import time

ETHERNET_BOARDS = ("mps3_an536",)
STREAM_ETHERTYPE = b"\x88\xb5"
CREDIT_ETHERTYPE = b"\x88\xb6"
MAX_PAYLOAD = 1498
WINDOW_FRAMES = 6
PROBE_INTERVAL_S = 0.1
NODE_MAC = b"\x02\x00\x00\x00\x00\x01"
PEER_MAC = b"\x02\x00\x00\x00\x00\x02"


def uses_ethernet(board):
    return board in ETHERNET_BOARDS


class Link:
    def __init__(self, sock, board):
        self.sock = sock
        self.framed = uses_ethernet(board)
        self.pending = bytearray()  # stream bytes not framed yet
        self.out = bytearray()  # bytes for the socket
        self.incoming = bytearray()
        self.sent_frames = 0
        self.credited = None  # until the node's first credit frame
        self.last_probe = None

    def queue(self, data):
        self.pending += data
        self._probe()
        self._frame()

    def tick(self):
        if (self.last_probe is not None and
                time.monotonic() - self.last_probe >= PROBE_INTERVAL_S):
            self._probe()

    def _probe(self):
        if self.framed and self.credited is None and self.pending:
            frame = NODE_MAC + PEER_MAC + CREDIT_ETHERTYPE + bytes(4)
            frame += bytes(60 - len(frame))
            self.out += struct.pack(">I", len(frame)) + frame
            self.last_probe = time.monotonic()

    def backlog(self):
        return len(self.pending) + len(self.out)

    def wants_write(self):
        return bool(self.out)

    def write(self):
        sent = self.sock.send(self.out)
        del self.out[:sent]
        return sent

    def read(self):
        data = self.sock.recv(65536)
        if not data:
            return None
        if not self.framed:
            return data
        self.incoming += data
        stream = bytearray()
        while len(self.incoming) >= 4:
            size = struct.unpack(">I", self.incoming[:4])[0]
            if len(self.incoming) < 4 + size:
                break
            frame = bytes(self.incoming[4:4 + size])
            del self.incoming[:4 + size]
            kind = frame[12:14]
            if kind == STREAM_ETHERTYPE and len(frame) >= 16:
                count = struct.unpack(">H", frame[14:16])[0]
                stream += frame[16:16 + count]
            elif kind == CREDIT_ETHERTYPE and len(frame) >= 18:
                self.credited = struct.unpack(">I", frame[14:18])[0]
        self._frame()
        return bytes(stream)

    def _frame(self):
        if not self.framed:
            self.out += self.pending
            self.pending.clear()
            return
        while (self.pending and self.credited is not None and
               (self.sent_frames - self.credited) % 2**32 < WINDOW_FRAMES):
            chunk = bytes(self.pending[:MAX_PAYLOAD])
            del self.pending[:MAX_PAYLOAD]
            frame = (NODE_MAC + PEER_MAC + STREAM_ETHERTYPE +
                     struct.pack(">H", len(chunk)) + chunk)
            frame += bytes(max(0, 60 - len(frame)))
            self.out += struct.pack(">I", len(frame)) + frame
            self.sent_frames = (self.sent_frames + 1) % 2**32
