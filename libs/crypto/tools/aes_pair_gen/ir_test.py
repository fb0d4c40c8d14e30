"""//libs/crypto/tools/aes_pair_gen:ir_test: the op lists of ir.py,
evaluated in Python, compute what they stand for: the S-box circuit is the
AES S-box (without its constant 0x63) on all 256 inputs, the fixsliced
MixColumns is the textbook one on the layout of aes_fixslice.h, the
transpose is reference_aes's and undoes itself, AddRoundKey XORs the key
words in order. Pending rotations (an operand (name, rot) is the value
rotated right by rot) are resolved as the allocator's barrel shifter
would."""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.ir import Prog, add_round_key, mix_columns, sbox, transpose  # noqa: E402
from aes_pair_gen.reference_aes import GMUL, SBOX, py_transpose  # noqa: E402

M32 = 0xFFFFFFFF


def ror(v, n):
    n %= 32
    return ((v >> n) | (v << (32 - n))) & M32 if n else v


def shift(v, sh):
    kind, n = sh
    if kind == "ror":
        return ror(v, n)
    if kind == "lsl":
        return (v << n) & M32
    if kind == "lsr":
        return v >> n
    raise ValueError(kind)


def evaluate(ops, env):
    """Runs an op list on 32-bit words: env maps value names to what their
    register holds; returns env with every result added. Loads (ldm) take
    their words from env["mem:<kp>"], a list."""
    env = dict(env)
    for o in ops:
        op, src, dst = o["op"], o["src"], o["dst"]
        if op in ("eor", "and"):
            b = shift(env[src[1]], o["sh"])
            env[dst[0]] = env[src[0]] ^ b if op == "eor" else env[src[0]] & b
        elif op == "andi":
            env[dst[0]] = env[src[0]] & o["imm"]
        elif op == "ldkp":
            env[dst[0]] = "kp"
        elif op == "ldm":
            words = env["mem"]
            base = 0 if env[src[0]] == "kp" else 4
            env[dst[0]] = "kp+%d" % (base + 4)
            for k, d in enumerate(dst[1:]):
                env[d] = words[base + k]
        elif op == "stkp":
            env["stored_kp"] = env[src[0]]
        else:
            raise ValueError(op)
    return env


def value(env, operand):
    name, r = operand
    return ror(env[name], r)


def to_planes(state):
    """state[b][r][c] (block b, row r, column c) -> 8 bit planes; bit
    8 r + 2 c + b of plane j is bit j of the byte (aes_fixslice.h: rows are
    byte lanes, a column is two bits of a lane)."""
    q = [0] * 8
    for b in range(2):
        for r in range(4):
            for c in range(4):
                for j in range(8):
                    q[j] |= ((state[b][r][c] >> j) & 1) << (8 * r + 2 * c + b)
    return q


def from_planes(q):
    return [[[sum(((q[j] >> (8 * r + 2 * c + b)) & 1) << j for j in range(8))
              for c in range(4)] for r in range(4)] for b in range(2)]


def run_mix_columns(q_words, m):
    p = Prog()
    ins = [("in%d" % j, 0) for j in range(8)]
    out = mix_columns(p, ins, m)
    env = evaluate(p.ops, {"in%d" % j: q_words[j] for j in range(8)})
    return [value(env, o) for o in out]


class SboxTest(unittest.TestCase):
    def test_circuit_is_the_sbox_on_all_inputs(self):
        p = Prog()
        ins = [("in%d" % j, 0) for j in range(8)]
        out = sbox(p, ins)
        self.assertEqual(len([o for o in p.ops if o["op"] == "eor"]), 83)
        self.assertEqual(len([o for o in p.ops if o["op"] == "and"]), 32)
        for batch in range(8):
            xs = range(32 * batch, 32 * batch + 32)
            # Bit i of plane j is bit j of input x = 32 batch + i.
            planes = [sum(((x >> j) & 1) << i for i, x in enumerate(xs)) for j in range(8)]
            env = evaluate(p.ops, {"in%d" % j: planes[j] for j in range(8)})
            got = [value(env, o) for o in out]
            for i, x in enumerate(xs):
                y = sum(((got[j] >> i) & 1) << j for j in range(8))
                self.assertEqual(y, SBOX[x] ^ 0x63, "S(%#04x)" % x)


class MixColumnsTest(unittest.TestCase):
    def test_fixsliced_mix_columns_is_the_textbook_one(self):
        # Y[r][d] = 2 X[r][d] ^ 3 X[r+1][d+m] ^ X[r+2][d+2m] ^ X[r+3][d+3m].
        rng = random.Random(5)
        for m in range(4):
            for _ in range(8):
                x = [[[rng.getrandbits(8) for _ in range(4)] for _ in range(4)] for _ in range(2)]
                y = from_planes(run_mix_columns(to_planes(x), m))
                for b in range(2):
                    for r in range(4):
                        for d in range(4):
                            want = (GMUL(x[b][r][d], 2)
                                    ^ GMUL(x[b][(r + 1) % 4][(d + m) % 4], 3)
                                    ^ x[b][(r + 2) % 4][(d + 2 * m) % 4]
                                    ^ x[b][(r + 3) % 4][(d + 3 * m) % 4])
                            self.assertEqual(y[b][r][d], want, (m, b, r, d))

    def test_four_times_m0_is_the_identity(self):
        # MixColumns^4 = I (the inverse is MixColumns^3).
        rng = random.Random(6)
        for _ in range(8):
            q = [rng.getrandbits(32) for _ in range(8)]
            y = q
            for _ in range(4):
                y = run_mix_columns(y, 0)
            self.assertEqual(y, q)
            self.assertNotEqual(run_mix_columns(q, 0), q)


class TransposeTest(unittest.TestCase):
    def test_transpose_is_reference_and_round_trips(self):
        rng = random.Random(7)
        p = Prog()
        mid = transpose(p, [("in%d" % j, 0) for j in range(8)])
        back = transpose(p, mid)
        for _ in range(20):
            q = [rng.getrandbits(32) for _ in range(8)]
            env = evaluate(p.ops, {"in%d" % j: q[j] for j in range(8)})
            self.assertEqual([value(env, o) for o in mid], py_transpose(q))
            self.assertEqual([value(env, o) for o in back], q)


class AddRoundKeyTest(unittest.TestCase):
    def test_key_words_are_added_in_order(self):
        rng = random.Random(8)
        p = Prog()
        # A rotated state operand: the key is added to the true value.
        ins = [("in%d" % j, 3 * j) for j in range(8)]
        out = add_round_key(p, ins, check_end=False)
        self.assertEqual([o["op"] for o in p.ops if o["op"] != "eor"],
                         ["ldkp", "ldm", "ldm", "stkp"])
        q = [rng.getrandbits(32) for _ in range(8)]
        k = [rng.getrandbits(32) for _ in range(8)]
        env = evaluate(p.ops, dict({"in%d" % j: q[j] for j in range(8)}, mem=k))
        self.assertEqual([value(env, o) for o in out],
                         [ror(q[j], 3 * j) ^ k[j] for j in range(8)])
        self.assertEqual(env["stored_kp"], "kp+8")


if __name__ == "__main__":
    unittest.main()
