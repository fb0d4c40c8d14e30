"""//libs/crypto/tools/aes_pair_gen:regalloc_test: the allocator's code
computes what its op list computes. Its lines are run on random register
values (a few instructions interpreted here): a register reused while its
value is still needed, or a spill reloaded from the wrong slot or into the
wrong register, changes some output. The op lists have more live values
than registers, so that spills (STR/STRD) and reloads (LDR/LDRD) happen.
Also: the shapes of the emitted lines, the moves of permute (cycles
included), and the refusal of a value that is never used."""

import os
import random
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.ir import Prog, sbox  # noqa: E402
from aes_pair_gen.regalloc import (NSLOTS, REGS, SPILL_OFF, AllocError, allocate,  # noqa: E402
                                   count, permute)

M32 = 0xFFFFFFFF


def ror(v, n):
    return ((v >> n) | (v << (32 - n))) & M32 if n else v


def shift(v, kind, n):
    return {"ror": ror(v, n), "lsl": (v << n) & M32, "lsr": v >> n}[kind]


def evaluate(ops, env):
    """The op list on 32-bit words (eor, and with a shifted second source,
    andi)."""
    env = dict(env)
    for o in ops:
        s = o["src"]
        if o["op"] == "andi":
            env[o["dst"][0]] = env[s[0]] & o["imm"]
            continue
        b = shift(env[s[1]], *o["sh"])
        env[o["dst"][0]] = env[s[0]] ^ b if o["op"] == "eor" else env[s[0]] & b
    return env


def run_lines(lines, regs, results=None):
    """Interprets the allocator's output: EOR/AND (register, shifted
    register or immediate), MOV, and LDR/STR/LDRD/STRD to spill slots.
    Appends each EOR/AND result to results."""
    regs = dict(regs)
    stack = {}
    for line in lines:
        op, _, rest = line.partition(" ")
        a = [x.strip() for x in re.split(r",(?![^\[]*\])", rest)]
        if op in ("eor", "and"):
            if a[2].startswith("#"):
                y = int(a[2][1:], 0)
            else:
                y = regs[a[2]]
                if len(a) == 4:
                    kind, n = a[3].split()
                    y = shift(y, kind, int(n[1:]))
            regs[a[0]] = regs[a[1]] ^ y if op == "eor" else regs[a[1]] & y
            if results is not None:
                results.append(regs[a[0]])
        elif op == "mov":
            regs[a[0]] = regs[a[1]]
        elif op in ("ldr", "str", "ldrd", "strd"):
            off = int(re.match(r"\[sp, #(\d+)\]$", a[-1]).group(1))
            assert SPILL_OFF <= off < SPILL_OFF + 4 * NSLOTS, line
            rs = a[:-1]
            assert len(rs) == (2 if op.endswith("d") else 1), line
            for k, r in enumerate(rs):
                if op.startswith("ldr"):
                    regs[r] = stack[off + 4 * k]  # KeyError: a slot never written
                else:
                    stack[off + 4 * k] = regs[r]
        else:
            raise ValueError("unexpected line: " + line)
    return regs


def pressure_ops(rng, n_in, n_ops):
    """A random op list over n_in inputs with more live values than
    registers (~30 at the widest; 14 registers, 24 spill slots): every
    result is used (the oldest unused one is taken as a source once a dozen
    wait), the first source is any value made so far, the second one of the
    last ten, and the last results are folded into at most six outputs;
    half the inputs stay live to the end."""
    p = Prog()
    vals = [("in%d" % j, 0) for j in range(n_in)]
    unused = []

    def make(a, b):
        b = (b[0], rng.randrange(32))
        v = p.xor(a, b) if rng.random() < 0.6 else p.and_(a, b)
        vals.append(v)
        unused.append(v)

    for _ in range(n_ops):
        a = unused.pop(0) if len(unused) >= 12 else rng.choice(vals)
        if a in unused:
            unused.remove(a)
        b = rng.choice([v for v in vals[-10:] if v != a])
        if b in unused:
            unused.remove(b)
        make(a, b)
    while len(unused) > 6:
        a, b = unused.pop(0), unused.pop(0)
        make(a, b)
    return p.ops, [v[0] for v in unused] + ["in%d" % j for j in range(0, n_in, 2)]


class AllocateTest(unittest.TestCase):
    def check(self, ops, outs, live_in, params, pref=None, seed=0):
        lines, out_map = allocate(ops, live_in, pref or {}, params, outs)
        rng = random.Random(seed)
        values = {v: rng.getrandbits(32) for v in live_in}
        regs = {r: rng.getrandbits(32) for r in REGS}
        for v, r in live_in.items():
            regs[r] = values[v]
        want = evaluate(ops, values)
        results = []
        got = run_lines(lines, regs, results)
        # One EOR/AND per op, in order: each read the right values, i.e. no
        # register of a value still to be used was reused before that use,
        # and every reload brought back the value spilled.
        self.assertEqual(results, [want[o["dst"][0]] for o in ops])
        # Outputs in distinct registers, each holding its value.
        self.assertEqual(sorted(set(out_map.values())), sorted(out_map.values()))
        for v in outs:
            self.assertEqual(got[out_map[v]], want[v], "value %s in %s" % (v, out_map[v]))
        n, _ = allocate(ops, live_in, pref or {}, params, outs, text=False)
        self.assertEqual(n, count(lines))
        return lines

    def test_spilling_op_lists(self):
        rng = random.Random(11)
        spills = reloads = pairs = 0
        for case in range(12):
            ops, outs = pressure_ops(rng, 8, 80)
            live_in = {"in%d" % j: REGS[4 + j] for j in range(8)}
            params = {"pair_far": (4, 12)[case % 2], "reload_window": (2, 10)[case % 3 % 2]}
            lines = self.check(ops, outs, live_in, params, seed=case)
            spills += sum(l.startswith(("str ", "strd")) for l in lines)
            reloads += sum(l.startswith(("ldr ", "ldrd")) for l in lines)
            pairs += sum(l.startswith(("strd", "ldrd")) for l in lines)
        # The cases exercised what they are for.
        self.assertGreater(spills, 20)
        self.assertGreater(reloads, 20)
        self.assertGreater(pairs, 5)

    def test_sbox_circuit(self):
        p = Prog()
        out = sbox(p, [("in%d" % j, 0) for j in range(8)])
        live_in = {"in%d" % j: REGS[4 + j] for j in range(8)}
        pref = {out[j][0]: REGS[4 + j] for j in range(8)}
        for params in ({"pair_far": 12, "reload_window": 6}, {"pair_far": 4, "reload_window": 10}):
            lines = self.check(p.ops, [o[0] for o in out], live_in, params, pref)
            self.assertTrue(any(l.startswith(("str", "ldr")) for l in lines))

    def test_line_shapes(self):
        p = Prog()
        a = p.xor(("x", 0), ("y", 8))
        b = p.and_imm(a, 0x0F0F0F0F)
        c = p.and_(b, ("x", 0))
        lines, out_map = allocate(p.ops, {"x": "r4", "y": "r5"}, {}, {}, [c[0], "y"])
        self.assertEqual(lines, ["eor     r0, r4, r5, ror #8",
                                 "and     r0, r0, #0x0f0f0f0f",  # dying source: in place
                                 "and     r0, r0, r4"])
        self.assertEqual(out_map, {c[0]: "r0", "y": "r5"})

    def test_preferred_register(self):
        p = Prog()
        a = p.xor(("x", 0), ("y", 0))
        lines, out_map = allocate(p.ops, {"x": "r4", "y": "r5"}, {a[0]: "r9"}, {}, [a[0]])
        self.assertEqual(lines, ["eor     r9, r4, r5"])

    def test_dead_value_is_refused(self):
        p = Prog()
        p.xor(("x", 0), ("y", 0))
        with self.assertRaises(AllocError):
            allocate(p.ops, {"x": "r4", "y": "r5"}, {}, {}, ["x"])


class PermuteTest(unittest.TestCase):
    def test_permutations_with_cycles(self):
        rng = random.Random(12)
        for _ in range(50):
            k = rng.randrange(1, 13)
            regs = rng.sample(REGS, k)
            cur = {j: regs[j] for j in range(k)}
            want = dict(zip(range(k), rng.sample(regs, k)))
            lines = []
            permute(lines, cur, want)
            state = {r: "junk" for r in REGS}
            for j, r in cur.items():
                state[r] = j
            state = run_lines_mov(lines, state)
            for j in range(k):
                self.assertEqual(state[want[j]], j)

    def test_swap_goes_through_one_free_register(self):
        lines = []
        permute(lines, {0: "r0", 1: "r1"}, {0: "r1", 1: "r0"})
        self.assertEqual(lines, ["mov     r2, r0", "mov     r0, r1", "mov     r1, r2"])


def run_lines_mov(lines, state):
    state = dict(state)
    for line in lines:
        op, _, rest = line.partition(" ")
        assert op == "mov", line
        d, s = [x.strip() for x in rest.split(",")]
        state[d] = state[s]
    return state


if __name__ == "__main__":
    unittest.main()
