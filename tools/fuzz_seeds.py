#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (build_defs/fuzz.bzl).

Each target's corpus directory gets a few small inputs, named seed_*, that
show the fuzzer the shape of its input: valid frames and headers, command
lines, operation programs that reach deep states. Inputs the fuzzer finds
later (regressions) are added beside them by hand under other names; this
script rewrites only seed_* files.

Usage: tools/fuzz_seeds.py   (from anywhere in the tree)
"""

import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cobs_encode(payload):
    """COBS as libs/wire/cobs.cc writes it (the canonical encoding)."""
    out = bytearray([0])
    code_at, code, after_full_piece = 0, 1, False
    for byte in payload:
        after_full_piece = False
        if byte == 0:
            out[code_at] = code
            code_at, code = len(out), 1
            out.append(0)
            continue
        out.append(byte)
        code += 1
        if code == 0xFF:
            out[code_at] = code
            code_at, code = len(out), 1
            out.append(0)
            after_full_piece = True
    if after_full_piece:
        return bytes(out[:-1])
    out[code_at] = code
    return bytes(out)


def header(source, destination, frame_type, epoch, sequence, length):
    """A link header (libs/wire/header.h)."""
    return struct.pack(">BBBBIIHH", 1, source, destination, frame_type,
                       epoch, sequence, length, 0)


def frame(source, destination, frame_type, epoch, sequence, text):
    return header(source, destination, frame_type, epoch, sequence,
                  len(text)) + text + bytes(range(16))


def write(directory, seeds):
    path = os.path.join(ROOT, directory)
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.startswith("seed_"):
            os.remove(os.path.join(path, name))
    for name, data in seeds.items():
        with open(os.path.join(path, "seed_" + name), "wb") as f:
            f.write(data)


def wire_seeds():
    write("libs/wire/fuzz/cobs_corpus", {
        "empty_payload": cobs_encode(b""),
        "zeros": cobs_encode(b"\x00\x00"),
        "text": cobs_encode(b"hello\x00world"),
        "full_piece": cobs_encode(bytes(range(1, 255))),
        "long": cobs_encode(bytes(i % 7 for i in range(600))),
        "noncanonical": b"\xff" + bytes(range(1, 255)) + b"\x01",
        "truncated": b"\x05ab",
        "zero_inside": b"\x03a\x00",
    })
    data = frame(1, 2, 0, 0, 1, b"\x00\x00\x00\x07payload")
    write("libs/wire/fuzz/header_corpus", {
        "data": data,
        "ack": frame(2, 1, 1, 3, 9, b"\x00\x00\x00\x01"),
        "bad_version": b"\x02" + data[1:],
        "reserved": data[:14] + b"\x00\x01" + data[16:],
        "zero_sequence": frame(1, 2, 0, 0, 0, b"abcd"),
        "too_short": data[:31],
    })
    # op % 8: 0-2 check and accept, 3 check, 4 reset, 5 resume above,
    # 6 restore own state, 7 restore any; bit 7: absolute sequence.
    write("libs/wire/fuzz/replay_window_corpus", {
        "in_order": bytes([0, 97, 0, 97, 0, 97, 0, 97, 6, 3, 96]),
        "out_of_order": bytes([0, 110, 0, 90, 0, 80, 1, 95, 2, 33, 3, 96]),
        "wrap": bytes([0x80, 0xff, 0xff, 0xff, 0xf0, 0, 100, 0, 127, 6]),
        "resume": bytes([5, 127, 3, 96, 3, 40, 0, 97, 4, 0, 97]),
        "restore_any": bytes([0x87, 0, 0, 0, 70]) + b"\x55" * 8 +
                       bytes([3, 50, 3, 90, 0, 33]),
    })
    big = cobs_encode(frame(1, 2, 0, 0, 5, bytes(range(256)) * 4)) + b"\x00"
    write("libs/wire/fuzz/frame_reader_corpus", {
        "two_frames": b"\x03ab\x00\x00\x02c\x00",
        "overflow": b"x" * 17 + b"\x00" + b"\x02y\x00",
        "exact": b"z" * 16 + b"\x00tail",
        "real_frame": big,
    })


def storage_seeds():
    # Byte 0: program unit (0: 1, 1: 4, 2: 8 bytes). Then op % 8:
    # 0/1 write key(1) size(1) seed(1), 2 erase key, 3 scrub key,
    # 4 read all, 5 corrupt offset(2) size(1) bytes, 6 remount,
    # 7 cut budget(1) op(1) key(1) size(1) seed(1).
    def write_op(key, size, seed):
        return bytes([0, key + 1, size, seed])
    fill = b"".join(write_op(k, 40, k) for k in range(1, 9))
    write("libs/storage/fuzz/record_store_corpus", {
        "writes_p4": b"\x01" + fill + bytes([4, 6, 4]),
        "compact_p1": b"\x00" + fill * 3 + bytes([6, 4]),
        "index_full_p8": b"\x02" + fill + write_op(9, 3, 1) +
                         write_op(10, 3, 2),
        "scrub_cut_p4": b"\x01" + fill + bytes([3, 3, 7, 30, 2, 4, 0, 0, 6]),
        "corrupt_p4": b"\x01" + fill +
                      bytes([5, 0, 20, 3, 0x55, 0x56, 0x57, 0x58, 6, 4]),
        "corrupt_header_p1": b"\x00" + fill + bytes([5, 0, 4, 1, 9, 9, 6]),
    })


def arq_seeds():
    # Policy: first timeout / 16, cap (< 8: below the first), max
    # transmissions % 8. Then op % 6: 0/1 admit delta(1) line(1)
    # (0x40: then first wait / 40 (1); 0x80: a word(4) for the delta),
    # 2 acknowledge word(4) (0x80: pick(1) one in flight), 3 time
    # byte(1) shift(1) and poll, 4 abandon, 5 reset sequences.
    write("libs/arq/fuzz/send_window_corpus", {
        "fill_and_ack": bytes([4, 16, 3]) + bytes([0, 1, 0]) * 5 +
                        bytes([0x80, 0, 0x80, 1, 3, 200, 8]),
        "retransmit_give_up": bytes([1, 9, 2, 0, 1, 3, 3, 255, 10,
                                     3, 255, 12, 3, 255, 15]),
        "span": bytes([2, 20, 4, 0, 1, 0, 0, 15, 0, 0, 1, 0, 2, 0, 0,
                       0, 1]),
        "abandon_reset": bytes([3, 30, 5, 0, 1, 0, 0, 2, 0, 4, 5, 4, 4, 5,
                                0, 1, 0]),
        "invalid_policy": bytes([0, 0, 0, 0, 1, 0]),
        "estimated_first_wait": bytes([4, 40, 4, 0x40, 1, 2, 5, 0x40, 1, 0,
                                       200, 3, 100, 2, 3, 255, 4, 3, 255,
                                       6]),
    })


def node_seeds():
    root = "0123456789abcdef" * 4
    write("apps/secure_node/fuzz/console_corpus", {
        "stats": b"STATS\n",
        "send": b"SEND 1 7 16 3\nSEND 3 8 0 1\nSEND 1 9 4096 2\n",
        "rotate": b"ROTATE 5\nSEND 1 1 10 1\nROTATE 4\n",
        "reprovision": ("RESET\nPROVISION 4\nLINK 1 %s\nSEND 1 2 3 4\n"
                        % root).encode(),
        "tamper": b"TAMPER\nSEND 1 1 1 1\nRESET\nSTATS\n",
        "junk": b"SEND \xff 1\r\n" + b"A" * 170 + b"\nLINK 1 zz\n",
    })
    data = frame(1, 2, 0, 0, 1, b"\x00\x00\x00\x07payload")
    ack = frame(1, 2, 1, 0, 2, b"\x00\x00\x00\x01")
    write("apps/secure_node/fuzz/network_corpus", {
        "forged_data": cobs_encode(data) + b"\x00",
        "forged_ack": cobs_encode(ack) + b"\x00",
        "misrouted": cobs_encode(frame(1, 9, 0, 0, 1, b"abcd")) + b"\x00",
        "noise": b"\x00\x05abc\x00\xff\x01\x00",
    })
    # op % 10: 0/1 deliver, 2/3 mutate edits(1) [at(1) xor(1)]...,
    # 4 truncate at(1), 5 raw count(1) bytes, 6 send, 7 tick, 8 reboot,
    # 9 rotate; every op is followed by a frame pick (0-2 node 1's DATA,
    # 3-5 its ACKs of node 2's SENDs 0-2).
    write("apps/secure_node/fuzz/session_corpus", {
        "receive_all": bytes([0, 0, 0, 1, 0, 2]),
        "duplicate_after_reboot": bytes([0, 0, 8, 0, 0, 0, 0, 1]),
        "send_and_ack": bytes([6, 0, 0, 6, 0, 1, 6, 0, 2, 0, 3, 0, 4,
                               0, 5, 0, 3]),
        "send_lose_acks": bytes([6, 0, 0, 6, 0, 1, 7, 0, 255, 7, 0, 255,
                                 0, 4]),
        "mutated": bytes([2, 1, 1, 20, 1, 3, 4, 2, 17, 0x80, 4, 0, 30]),
        "rotate": bytes([9, 0, 3, 0, 0, 6, 0, 0]),
    })


def sim_seeds():
    """The fleet's own scenario files, as the scenario parser's seeds."""
    scenarios = os.path.join(ROOT, "sim/scenarios")
    seeds = {}
    for name in sorted(os.listdir(scenarios)):
        if name.endswith(".json"):
            with open(os.path.join(scenarios, name), "rb") as f:
                seeds[name[:-len(".json")]] = f.read()
    write("sim/fuzz/scenario_corpus", seeds)


if __name__ == "__main__":
    wire_seeds()
    storage_seeds()
    arq_seeds()
    node_seeds()
    sim_seeds()
