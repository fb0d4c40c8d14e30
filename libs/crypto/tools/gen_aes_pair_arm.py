#!/usr/bin/env python3
"""Generates libs/crypto/aes_pair_arm.S, the fixsliced AES block-pair core in
Thumb-2 assembly for the Cortex-R boards.

Why a generator: a round is ~200 instructions over ~60 short-lived values
and 14 registers; allocating registers and spill slots by hand is where
mistakes hide. The generator writes every round as the same straight-line
gate list as the C++ reference (aes_bitslice.h, aes.cc), allocates registers
(furthest-next-use eviction, spills paired into STRD/LDRD), and tracks a
pending rotation per value so that every word and lane rotation of
MixColumns ends up in the barrel shifter of a later EOR/AND.

    python3 libs/crypto/tools/gen_aes_pair_arm.py > libs/crypto/aes_pair_arm.S
    python3 libs/crypto/tools/gen_aes_pair_arm.py --check   # simulate vs. AES

--check runs the emitted assembly on a small simulator of the instructions
used and compares it with a textbook AES (FIPS-197 vectors plus random keys);
the board tests compare the real thing with the C++ core.
"""

import random
import re
import sys

# --------------------------------------------------------------------------
# Values and the op list of one round.
#
# A value is an SSA name. An operand is (name, rot): the value rotated right
# by rot bits. Every op's second source may carry a rotation (the barrel
# shifter); a result inherits its first source's rotation, so no rotation is
# ever executed on its own.


class Prog:
    def __init__(self):
        self.ops = []
        self.n = 0

    def new(self, hint="t"):
        self.n += 1
        return "%s_%d" % (hint, self.n)

    def xor(self, a, b, hint="t"):
        return self._bin("eor", a, b, hint)

    def and_(self, a, b, hint="t"):
        return self._bin("and", a, b, hint)

    def _bin(self, op, a, b, hint):
        d = self.new(hint)
        (an, ar), (bn, br) = a, b
        self.ops.append({"op": op, "dst": [d], "src": [an, bn], "sh": ("ror", (br - ar) % 32)})
        return (d, ar)

    def and_imm(self, a, mask, hint="t"):
        d = self.new(hint)
        an, ar = a
        # (ror(x, r) & M) == ror(x & rol(M, r), r)
        m = ((mask << ar) | (mask >> (32 - ar))) & 0xFFFFFFFF if ar else mask
        self.ops.append({"op": "andi", "dst": [d], "src": [an], "imm": m})
        return (d, ar)

    def raw(self, op, dst, src, **kw):
        o = {"op": op, "dst": dst, "src": src}
        o.update(kw)
        self.ops.append(o)


def rot(a, n):
    return (a[0], (a[1] + n) % 32)


# --------------------------------------------------------------------------
# The round, mirroring aes_bitslice.h (S-box) and aes.cc (MixColumns).

SBOX_TOP = """
y14 = u3 ^ u5
y13 = u0 ^ u6
y9 = u0 ^ u3
y8 = u0 ^ u5
a0 = u1 ^ u2
y1 = a0 ^ u7
y4 = y1 ^ u3
y12 = y13 ^ y14
y2 = y1 ^ u0
y5 = y1 ^ u6
y3 = y5 ^ y8
a1 = u4 ^ y12
y15 = a1 ^ u5
y20 = a1 ^ u1
y6 = y15 ^ u7
y10 = y15 ^ a0
y11 = y20 ^ y9
y7 = u7 ^ y11
y17 = y10 ^ y11
y19 = y10 ^ y8
y16 = a0 ^ y11
y21 = y13 ^ y16
y18 = u0 ^ y16
m2 = y12 & y15
m3 = y3 & y6
m4 = m3 ^ m2
m5 = y4 & u7
m6 = m5 ^ m2
m7 = y13 & y16
m8 = y5 & y1
m9 = m8 ^ m7
m10 = y2 & y7
m11 = m10 ^ m7
m12 = y9 & y11
m13 = y14 & y17
m14 = m13 ^ m12
m15 = y8 & y10
m16 = m15 ^ m12
m17 = m4 ^ m14
m18 = m6 ^ m16
m19 = m9 ^ m14
m20 = m11 ^ m16
m21 = m17 ^ y20
m22 = m18 ^ y19
m23 = m19 ^ y21
m24 = m20 ^ y18
m25 = m21 ^ m22
m26 = m21 & m23
m27 = m24 ^ m26
m28 = m25 & m27
m29 = m28 ^ m22
m30 = m23 ^ m24
m31 = m22 ^ m26
m32 = m31 & m30
m33 = m32 ^ m24
m34 = m23 ^ m33
m35 = m27 ^ m33
m36 = m24 & m35
m37 = m36 ^ m34
m38 = m27 ^ m36
m39 = m29 & m38
m40 = m25 ^ m39
m41 = m40 ^ m37
m42 = m29 ^ m33
m43 = m29 ^ m40
m44 = m33 ^ m37
m45 = m42 ^ m41
z0 = m44 & y15
z1 = m37 & y6
z2 = m33 & u7
z3 = m43 & y16
z4 = m40 & y1
z5 = m29 & y7
z6 = m42 & y11
z7 = m45 & y17
z8 = m41 & y10
z9 = m44 & y12
z10 = m37 & y3
z11 = m33 & y4
z12 = m43 & y13
z13 = m40 & y5
z14 = m29 & y2
z15 = m42 & y9
z16 = m45 & y14
z17 = m41 & y8
b46 = z15 ^ z16
b47 = z10 ^ z11
b48 = z5 ^ z13
b49 = z9 ^ z10
b50 = z2 ^ z12
b51 = z2 ^ z5
b52 = z7 ^ z8
b53 = z0 ^ z3
b54 = z6 ^ z7
b55 = z16 ^ z17
b56 = z12 ^ b48
b57 = b50 ^ b53
b58 = z4 ^ b46
b59 = z3 ^ b54
b60 = b46 ^ b57
b61 = z14 ^ b57
b62 = b52 ^ b58
b63 = b49 ^ b58
b64 = z4 ^ b59
b65 = b61 ^ b62
b66 = z1 ^ b63
s0 = b59 ^ b63
s6 = b56 ^ b62
s7 = b48 ^ b60
b67 = b64 ^ b65
s3 = b53 ^ b66
s4 = b51 ^ b66
s5 = b47 ^ b65
s1 = b64 ^ s3
s2 = b55 ^ b67
"""


def parse_gates(text):
    gates = []
    for line in text.strip().splitlines():
        d, e = line.split("=")
        a, op, b = e.split()
        gates.append((d.strip(), {"^": "eor", "&": "and"}[op], a, b))
    return gates


GATES = parse_gates(SBOX_TOP)


def sbox(p, q, order=None):
    """S-box (without 0x63) on operands q[0..7]; returns the 8 outputs."""
    env = {"u%d" % i: q[7 - i] for i in range(8)}
    gates = GATES if order is None else [GATES[i] for i in order]
    for d, op, a, b in gates:
        env[d] = p._bin(op, env[a], env[b], d)
    return [env["s%d" % (7 - j)] for j in range(8)]


def byte_ror_rows(p, x, j, m):
    """R_j of aes.cc's MixColumnsFixsliced: rows by 8j, columns by j*m."""
    n = (2 * j * m) % 8
    if n == 0:
        return rot(x, 8 * j)
    b = 8 * j + n
    k_low = (0xFF >> n) * 0x01010101
    kp = ((k_low << b) | (k_low >> (32 - b))) & 0xFFFFFFFF
    # ror(x, b) & kLow | ror(x, b + 24) & ~kLow
    #   == ror(x ^ ((x ^ ror(x, 24)) & ~K'), b), K' = rol(kLow, b).
    v = p.xor(x, rot(x, 24), "v")
    w = p.and_imm(v, ~kp & 0xFFFFFFFF, "w")
    return rot(p.xor(x, w, "r"), b)


def mix_columns(p, q, m):
    """aes.cc MixColumnsFixsliced<m>, computed word by word so that few
    values are live at once: t7 first (used by outputs 0, 1, 3, 4), then
    r_j, t_j and output j for j = 0..7."""
    x = p.xor
    r = [None] * 8
    t = [None] * 8
    r[7] = byte_ror_rows(p, q[7], 1, m)
    t[7] = x(q[7], r[7], "t")
    out = [None] * 8
    extra_t7 = {0: False, 1: True, 3: True, 4: True}
    for j in range(8):
        if j != 7:
            r[j] = byte_ror_rows(p, q[j], 1, m)
            t[j] = x(q[j], r[j], "t")
        a = x(t[j - 1], r[j]) if j != 0 else x(t[7], r[0])
        if extra_t7.get(j):
            a = x(a, t[7])
        out[j] = x(a, byte_ror_rows(p, t[j], 2, m), "o%d" % j)
    return out


def add_round_key(p, q, check_end):
    """Loads the round key through the pointer kept in the frame."""
    if check_end:
        p.raw("ldkpend", ["kp0", "end"], [])
    else:
        p.raw("ldkp", ["kp0"], [])
    out = [None] * 8
    p.raw("ldm", ["kp1", "k0", "k1", "k2", "k3"], ["kp0"])
    for j in range(4):
        out[j] = p.xor(("k%d" % j, 0), q[j], "q%d" % j)
    p.raw("ldm", ["kp2", "k4", "k5", "k6", "k7"], ["kp1"])
    for j in range(4, 8):
        out[j] = p.xor(("k%d" % j, 0), q[j], "q%d" % j)
    p.raw("stkp", [], ["kp2"])
    if check_end:
        p.raw("cmp", [], ["kp2", "end"])
    return out


def transpose(p, q):
    """aes_bitslice.cc Transpose: SwapBits(a, b, mask, s) x 12."""
    q = list(q)

    def swap(i, k, mask, s):
        a, b = q[i], q[k]
        assert a[1] == 0 and b[1] == 0
        d = p.new("x")
        p.raw("eor", [d], [b[0], a[0]], sh=("lsr", s))
        t = p.new("x")
        p.raw("andi", [t], [d], imm=mask)
        nb = p.new("x")
        p.raw("eor", [nb], [b[0], t], sh=("ror", 0))
        na = p.new("x")
        p.raw("eor", [na], [a[0], t], sh=("lsl", s))
        q[i], q[k] = (na, 0), (nb, 0)

    for i, k in ((0, 1), (2, 3), (4, 5), (6, 7)):
        swap(i, k, 0x55555555, 1)
    for i, k in ((0, 2), (1, 3), (4, 6), (5, 7)):
        swap(i, k, 0x33333333, 2)
    for i, k in ((0, 4), (1, 5), (2, 6), (3, 7)):
        swap(i, k, 0x0F0F0F0F, 4)
    return q


# --------------------------------------------------------------------------
# Register allocation.

REGS = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr"]
RNUM = {r: i for i, r in enumerate(REGS)}
RNUM["lr"] = 14

# Frame: [sp + 0] key pointer, [sp + 4] end of the schedule, [sp + 8] out,
# then the spill slots.
KP_OFF, END_OFF, OUT_OFF, SPILL_OFF = 0, 4, 8, 16
NSLOTS = 24


class AllocError(Exception):
    pass


def allocate(ops, live_in, live_out_pref, params, outputs):
    """Returns (lines, out_map). live_in: value -> register. outputs: the
    values that must be live at the end (in registers)."""
    pair_far = params.get("pair_far", 12)
    reload_window = params.get("reload_window", 6)

    uses = {}
    for i, o in enumerate(ops):
        for s in o["src"]:
            uses.setdefault(s, []).append(i)
    END = len(ops)
    for v in outputs:
        uses.setdefault(v, []).append(END)

    def next_use(v, i):
        for u in uses.get(v, []):
            if u >= i:
                return u
        return None

    reg = {}      # value -> register
    content = {}  # register -> value
    slot = {}     # value -> slot index
    partner = {}  # value -> value stored by the same STRD
    slots_free = list(range(NSLOTS))
    lines = []

    for v, r in live_in.items():
        reg[v] = r
        content[r] = v

    def free_regs():
        return [r for r in REGS if r not in content]

    def release(v):
        r = reg.pop(v, None)
        if r is not None:
            del content[r]

    def drop_slot(v):
        s = slot.pop(v, None)
        if s is not None:
            slots_free.append(s)
            slots_free.sort()

    def take_slots(k):
        # k adjacent slots (k = 1 or 2)
        if k == 1:
            s = slots_free.pop(0)
            return [s]
        for s in slots_free:
            if s % 2 == 0 and s + 1 in slots_free:
                slots_free.remove(s)
                slots_free.remove(s + 1)
                return [s, s + 1]
        raise AllocError("out of slot pairs")

    def off(s):
        return SPILL_OFF + 4 * s

    def evict_one(i, protect):
        cands = [v for v in reg if reg[v] not in protect]
        if not cands:
            raise AllocError("nothing to evict")

        def key(v):
            nu = next_use(v, i)
            return (nu if nu is not None else 10**9, v in slot)
        cands.sort(key=key, reverse=True)
        v = cands[0]
        if v in slot or next_use(v, i) is None:
            release(v)
            return
        # Pair the store with a second far value if there is one.
        w = None
        for c in cands[1:]:
            nu = next_use(c, i)
            if c not in slot and nu is not None and nu - i >= pair_far:
                w = c
                break
        if w is not None:
            s0, s1 = take_slots(2)
            lines.append("strd    %s, %s, [sp, #%d]" % (reg[v], reg[w], off(s0)))
            slot[v], slot[w] = s0, s1
            partner[v], partner[w] = w, v
            release(v)
            release(w)
        else:
            (s0,) = take_slots(1)
            lines.append("str     %s, [sp, #%d]" % (reg[v], off(s0)))
            slot[v] = s0
            partner.pop(v, None)
            release(v)

    # Registers some later value wants (the round's output mapping): other
    # values avoid them while there is a choice, to save MOVs at the end.
    wanted = set(live_out_pref.values())

    def get_free(i, protect, pref=None):
        f = free_regs()
        if pref is not None and pref in f:
            return pref
        while not f:
            evict_one(i, protect)
            f = free_regs()
        if pref is not None and pref in f:
            return pref
        unwanted = [r for r in f if r not in wanted]
        return unwanted[0] if unwanted else f[0]

    def reload(v, i, protect):
        r = get_free(i, protect)
        content[r] = v
        reg[v] = r
        w = partner.get(v)
        s = slot[v]
        if (w is not None and w not in reg and w in slot and next_use(w, i) is not None
                and next_use(w, i) - i <= reload_window and slot[w] == (s ^ 1)):
            f = [x for x in free_regs()]
            if f:
                r2 = f[0]
                content[r2] = w
                reg[w] = r2
                if slot[v] < slot[w]:
                    lines.append("ldrd    %s, %s, [sp, #%d]" % (r, r2, off(slot[v])))
                else:
                    lines.append("ldrd    %s, %s, [sp, #%d]" % (r2, r, off(slot[w])))
                return
        lines.append("ldr     %s, [sp, #%d]" % (r, off(s)))

    for i, o in enumerate(ops):
        srcs = o["src"]
        protect = set()
        for s in srcs:
            if s not in reg:
                if s not in slot:
                    raise AllocError("value %s lost" % s)
                reload(s, i, protect)
            protect.add(reg[s])
        sregs = [reg[s] for s in srcs]
        # Sources dying here free their registers for the destination.
        for s in set(srcs):
            if next_use(s, i + 1) is None:
                release(s)
                drop_slot(s)
        op = o["op"]
        if op == "ldm":
            # kp1 reuses kp0's register (writeback); four ascending others.
            kp_reg = sregs[0]
            content[kp_reg] = o["dst"][0]
            reg[o["dst"][0]] = kp_reg
            got = []
            for _ in range(4):
                r = get_free(i, protect | {kp_reg} | set(got))
                content[r] = "__pending"
                got.append(r)
            got.sort(key=lambda r: RNUM[r])
            for d, r in zip(o["dst"][1:], got):
                content[r] = d
                reg[d] = r
            lines.append("ldmia   %s!, {%s}" % (kp_reg, ", ".join(got)))
            continue
        if op in ("ldkp", "ldkpend"):
            rs = []
            for d in o["dst"]:
                r = get_free(i, protect | set(rs))
                content[r] = d
                reg[d] = r
                rs.append(r)
            if op == "ldkp":
                lines.append("ldr     %s, [sp, #%d]" % (rs[0], KP_OFF))
            else:
                lines.append("ldrd    %s, %s, [sp, #%d]" % (rs[0], rs[1], KP_OFF))
            continue
        if op == "stkp":
            lines.append("str     %s, [sp, #%d]" % (sregs[0], KP_OFF))
            continue
        if op == "cmp":
            lines.append("cmp     %s, %s" % (sregs[0], sregs[1]))
            continue
        d = o["dst"][0]
        if next_use(d, i + 1) is None:
            raise AllocError("dead value %s" % d)
        r = get_free(i, protect - set(sregs), live_out_pref.get(d))
        content[r] = d
        reg[d] = r
        if op in ("eor", "and"):
            kind, n = o["sh"]
            sh = "" if n == 0 else ", %s #%d" % (kind, n)
            lines.append("%-7s %s, %s, %s%s" % (op, r, sregs[0], sregs[1], sh))
        elif op == "andi":
            lines.append("and     %s, %s, #0x%08x" % (r, sregs[0], o["imm"]))
        else:
            raise AssertionError(op)

    # Outputs still spilled: reload.
    for v in outputs:
        if v not in reg:
            reload(v, END, set())
    out_map = {v: reg[v] for v in outputs}
    return lines, out_map


def permute(lines, cur, want):
    """Moves values so that value v sits in want[v]; cur: v -> reg."""
    cur = dict(cur)
    while True:
        pending = [v for v in want if cur[v] != want[v]]
        if not pending:
            return
        occupied = {r: v for v, r in cur.items()}
        progressed = False
        for v in pending:
            if want[v] not in occupied:
                lines.append("mov     %s, %s" % (want[v], cur[v]))
                cur[v] = want[v]
                progressed = True
                break
        if progressed:
            continue
        # A cycle: go through a free register.
        used = set(cur.values())
        tmp = [r for r in REGS if r not in used][0]
        v = pending[0]
        lines.append("mov     %s, %s" % (tmp, cur[v]))
        cur[v] = tmp


# --------------------------------------------------------------------------
# The whole routine.

CANON = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]


def dependencies(ops):
    """deps[i]: ops that must precede op i. The AddRoundKey ops (from the
    key-pointer load on), if any, stay after everything else and in their
    order."""
    prod = {}
    for i, o in enumerate(ops):
        for d in o["dst"]:
            prod[d] = i
    ark = next((i for i, o in enumerate(ops) if o["op"] in ("ldkp", "ldkpend")), len(ops))
    deps = []
    for i, o in enumerate(ops):
        d = {prod[s] for s in o["src"] if s in prod}
        if i == ark:
            d |= set(range(ark))
        elif i > ark and o["op"] in ("ldm", "stkp", "cmp"):
            d.add(i - 1)
        deps.append(d)
    return deps


def optimize_order(ops, outs, live_in, pref, seed, iters):
    """Searches a topological order of the round's ops (and two allocator
    knobs) for the fewest instructions: greedy list schedules with random
    weights, then random single-op moves kept when not worse. Deterministic
    for a given seed."""
    rng = random.Random(seed)
    n = len(ops)
    deps = dependencies(ops)
    users = [[] for _ in ops]
    for i in range(n):
        for d in deps[i]:
            users[d].append(i)

    def cost(order, params):
        try:
            lines, _ = allocate([ops[i] for i in order], live_in, pref, params, outs)
        except AllocError:
            return 10**6
        return count(lines)

    def greedy(w):
        left = {}
        for o in ops:
            for v in o["src"]:
                left[v] = left.get(v, 0) + 1
        indeg = [len(deps[i]) for i in range(n)]
        ready = [i for i in range(n) if indeg[i] == 0]
        born = {}
        order = []
        while ready:
            def score(i):
                o = ops[i]
                kills = sum(1 for v in set(o["src"]) if left[v] == 1)
                recent = sum(born.get(v, 0) for v in o["src"]) / max(1, len(o["src"]))
                return (w[0] * kills - w[1] * len(o["dst"]) + w[2] * recent / (len(order) + 1)
                        + w[3] * rng.random() - w[4] * i / n)
            best = max(ready, key=score)
            ready.remove(best)
            order.append(best)
            for v in ops[best]["src"]:
                left[v] -= 1
            for v in ops[best]["dst"]:
                born[v] = len(order)
            for u in users[best]:
                indeg[u] -= 1
                if indeg[u] == 0:
                    ready.append(u)
        return order

    best_order = list(range(n))
    best_params = {"pair_far": 12, "reload_window": 6}
    best = cost(best_order, best_params)
    for _ in range(iters // 4):
        w = [rng.uniform(0, 3) for _ in range(5)]
        params = {"pair_far": rng.choice([4, 8, 12, 20]), "reload_window": rng.choice([2, 4, 6, 10])}
        order = greedy(w)
        c = cost(order, params)
        if c < best:
            best, best_order, best_params = c, order, params
    order = list(best_order)
    for _ in range(iters):
        pos = {op: k for k, op in enumerate(order)}
        k = rng.randrange(n)
        op = order[k]
        lo = max([pos[d] for d in deps[op]], default=-1) + 1
        hi = min([pos[u] for u in users[op]], default=n)
        if hi - lo < 2:
            continue
        t = rng.randrange(lo, hi)
        cand = order[:k] + order[k + 1:]
        cand.insert(t if t < k else t - 1 + (1 if t > k else 0) - (1 if t > k else 0), op)
        c = cost(cand, best_params)
        if c <= best:
            best, order = c, cand
    return [ops[i] for i in order], best_params


SEARCH_ITERS = 5000
# Seeds of each round's order search: the best of seeds 1..12, tried once
# offline in round order (each round starts from the previous one's register
# mapping). Any seed gives correct code; these give the fewest instructions.
ROUND_SEEDS = {"m1": 10, "m2": 4, "m3": 5, "m0": 1, "last": 7, "mix2": 1, "rows": 1, "window": 1}


def gen_round(m, in_map, want, params, order=None, final=False, check_end=False, seed=0):
    """One round: lines and the register of each state word at the end."""
    p = Prog()
    q = [("in%d" % j, 0) for j in range(8)]
    s = sbox(p, q, order)
    if not final:
        s = mix_columns(p, s, m)
    out = add_round_key(p, s, check_end)
    names = [o[0] for o in out]
    assert all(o[1] == 0 for o in out)
    live_in = {"in%d" % j: in_map[j] for j in range(8)}
    pref = {}
    if want:
        for j in range(8):
            pref[names[j]] = want[j]
            # The MixColumns output that the key is added to, too: then the
            # final EOR can write in place.
            pref[s[j][0]] = want[j]
    ops, params = optimize_order(p.ops, names, live_in, pref, seed, SEARCH_ITERS)
    lines, out_map = allocate(ops, live_in, pref, params, names)
    regs = [out_map[n] for n in names]
    if want:
        # MOV does not change the flags, so the compare may stay before the
        # moves (which may reuse the register of `end`).
        permute(lines, {j: regs[j] for j in range(8)}, {j: want[j] for j in range(8)})
        regs = list(want)
    return lines, regs


def count(lines):
    return sum(1 for l in lines if l and not l.endswith(":") and not l.startswith("//"))


def build(params, loop_map, order=None):
    """The rounds. loop_map: where the state is at the top of the loop."""
    stats = {}
    # Loop body: rounds with m = 1, 2, 3, 0. The m = 0 round must end where
    # the m = 1 round starts (loop_map), the m = 3 round where m = 1 ends
    # (both exits lead to the same last round).
    sd = ROUND_SEEDS
    l1, map1 = gen_round(1, loop_map, None, params, order, check_end=True, seed=sd["m1"])
    l2, map2 = gen_round(2, map1, None, params, order, seed=sd["m2"])
    l3, map3 = gen_round(3, map2, map1, params, order, check_end=True, seed=sd["m3"])
    l0, map0 = gen_round(0, map3, loop_map, params, order, seed=sd["m0"])
    lf, mapf = gen_round(None, map1, None, params, order, final=True, seed=sd["last"])
    stats.update(round1=count(l1), round2=count(l2), round3=count(l3), round0=count(l0), final=count(lf))
    return (l1, l2, l3, l0, lf, map2, mapf), stats


def emit(params, order=None):
    # Transpose and the first AddRoundKey through the allocator; the state
    # stays wherever that leaves it, which is then the loop's mapping.
    p = Prog()
    q = transpose(p, [("in%d" % j, 0) for j in range(8)])
    p.raw("ldm", ["kp1", "k0", "k1", "k2", "k3"], ["kp0"])
    o = [p.xor(("k%d" % j, 0), q[j], "q%d" % j) for j in range(4)]
    p.raw("ldm", ["kp2", "k4", "k5", "k6", "k7"], ["kp1"])
    o += [p.xor(("k%d" % j, 0), q[j], "q%d" % j) for j in range(4, 8)]
    names = [v[0] for v in o]
    live_in = {"in%d" % j: CANON[j] for j in range(8)}
    live_in["kp0"] = "r0"
    live_in["end"] = "r1"
    # end stays live through the prologue: make it an output.
    pro_lines, omap = allocate(p.ops, live_in, {}, {"pair_far": 99, "reload_window": 0},
                               names + ["kp2", "end"])
    pro_lines.append("strd    %s, %s, [sp, #%d]" % (omap["kp2"], omap["end"], KP_OFF))
    assert not any(l.startswith(("str ", "ldr ", "ldrd")) for l in pro_lines[:-1]), pro_lines
    loop_map = [omap[names[j]] for j in range(8)]

    (l1, l2, l3, l0, lf, map2, mapf), stats = build(params, loop_map, order)
    # The transpose back after the last round, and where it leaves the two
    # blocks: fin[2c] = block 0 word c, fin[2c + 1] = block 1 word c.
    p = Prog()
    q = transpose(p, [("in%d" % j, 0) for j in range(8)])
    names = [v[0] for v in q]
    back_lines, omap = allocate(p.ops, {"in%d" % j: mapf[j] for j in range(8)}, {}, {}, names)
    assert not any(("sp" in l) for l in back_lines), back_lines
    stats["epilogue"] = count(back_lines)
    fin = [omap[names[j]] for j in range(8)]
    spare = [r for r in REGS if r not in fin]
    # The frame: as many spill slots as the rounds use; 36 bytes pushed +
    # frame keep sp 8-byte aligned.
    used = [int(x) for l in l1 + l2 + l3 + l0 + lf for x in re.findall(r"\[sp, #(\d+)\]", l)]
    frame = max(used) + (8 if any(l.startswith(("ldrd", "strd")) and "#%d]" % max(used) in l
                                  for l in l1 + l2 + l3 + l0 + lf) else 4)
    frame += (-(36 + frame)) % 8
    stats["frame"] = 36 + frame
    out = []
    w = out.append

    def ins(s):
        """Emits one line; ins.n counts the instructions (not directives),
        for the static counts in stats."""
        w("    " + s)
        if not s.startswith("."):
            ins.n += 1
    ins.n = 0

    w(HEADER)
    ins(".syntax unified")
    ins(".thumb")
    ins(".text")
    ins(".align  2")
    ins(".global crypto_aes_fixsliced_pair_arm")
    ins(".type   crypto_aes_fixsliced_pair_arm, %function")
    ins(".thumb_func")
    w("crypto_aes_fixsliced_pair_arm:")
    w("    // r0 = round keys, r1 = rounds, r2 = in, r3 = out.")
    start = ins.n
    ins("push    {r4-r11, lr}")
    ins("sub     sp, sp, #%d" % frame)
    emit_continuation_choice(w, ins, "r12", ".Lplain_sr", ".Lplain", "plain")
    ins("add     r1, r0, r1, lsl #5          // &round_keys[8 * rounds]")
    ins("str     r3, [sp, #%d]" % OUT_OFF)
    ins("b       .Lplain_body")
    prologue = ins.n - start
    emit_plain_store(w, ins, frame, fin, spare, "")
    w(".Lplain_body:")
    start = ins.n
    w("    // Unaligned-safe word loads (LDR, not LDM): q[2c] = block 0 word c,")
    w("    // q[2c + 1] = block 1 word c.")
    for j in range(8):
        ins("ldr     %s, [r2, #%d]" % (CANON[j], 4 * (j // 2) + 16 * (j % 2)))
    for l in pro_lines:
        ins(l)
    stats["prologue"] = prologue + ins.n - start
    w("    // Rounds 1 .. Nr - 1, four per iteration (MixColumns variants")
    w("    // m = 1, 2, 3, 0). Only the key size decides where the loop exits:")
    w("    // after m = 1 for AES-128/256 (9, 13 rounds), after m = 3 for")
    w("    // AES-192 (11 rounds).")
    w(".Lrounds:")
    w("    // ---- round with MixColumns m = 1")
    for l in l1:
        ins(l)
    ins("beq     .Llast")
    w("    // ---- round with MixColumns m = 2")
    for l in l2:
        ins(l)
    w("    // ---- round with MixColumns m = 3")
    w(".Lround3:")
    for l in l3:
        ins(l)
    ins("beq     .Llast")
    w("    // ---- round with MixColumns m = 0")
    for l in l0:
        ins(l)
    ins("b       .Lrounds")
    w(".Llast:")
    w("    // ---- last round: SubBytes, AddRoundKey (ShiftRows left over: below)")
    for l in lf:
        ins(l)
    for l in back_lines:
        ins(l)
    w("    // Where the entry chose to go on (key size, store or CTR, mask).")
    ins("ldr     pc, [sp, #%d]" % CONT_OFF)
    ins(".size   crypto_aes_fixsliced_pair_arm, . - crypto_aes_fixsliced_pair_arm")
    emit_round2_mix_entry(w, ins, frame, map2, fin, spare, stats)
    emit_ctr_entry(w, ins, frame, fin, spare)
    emit_ctr_window(w, ins, stats)
    emit_ctr_rows(w, ins, stats)
    return "\n".join(out) + "\n", stats


def emit_sr2(ins, fin, r_tmp):
    """SR^2 on the output words: AES-128 and AES-256 (Nr mod 4 = 2) swap
    columns c and c + 2 of rows 1 and 3 (byte lanes 1, 3); AES-192 needs
    nothing, so its continuations skip this."""
    for c in range(2):
        for b in range(2):
            a0, a2 = fin[2 * c + b], fin[2 * (c + 2) + b]
            ins("eor     %s, %s, %s" % (r_tmp, a0, a2))
            ins("and     %s, %s, #0xff00ff00" % (r_tmp, r_tmp))
            ins("eor     %s, %s, %s" % (a0, a0, r_tmp))
            ins("eor     %s, %s, %s" % (a2, a2, r_tmp))


def emit_plain_store(w, ins, frame, fin, spare, tag):
    """The single-pair entries' continuations: SR^2 if the key size needs it
    (.Lplain<tag>_sr falls into .Lplain<tag>), then the 32 output bytes and
    the return."""
    w("    // Continuations of the single-pair entry (after the last round).")
    w(".Lplain%s_sr:" % tag)
    emit_sr2(ins, fin, spare[1])
    w(".Lplain%s:" % tag)
    ins("ldr     %s, [sp, #%d]" % (spare[0], OUT_OFF))
    for j in range(8):
        ins("str     %s, [%s, #%d]" % (fin[j], spare[0], 4 * (j // 2) + 16 * (j % 2)))
    ins("add     sp, sp, #%d" % frame)
    ins("pop     {r4-r11, pc}")


def emit_continuation_choice(w, ins, r, if_sr, if_not, tag):
    """Stores to the frame the address (Thumb bit set) that the shared code
    after the last round jumps to by LDR PC: if_sr when the key size needs
    SR^2 (bit 1 of the round count in r1), else if_not. A branch on the key
    size only, once per call."""
    ins("adr     %s, %s" % (r, if_sr))
    ins("tst     r1, #2")
    ins("bne     .Lcont_%s" % tag)
    ins("adr     %s, %s" % (r, if_not))
    w(".Lcont_%s:" % tag)
    ins("orr     %s, %s, #1                 // Thumb state" % (r, r))
    ins("str     %s, [sp, #%d]" % (r, CONT_OFF))


def emit_round2_mix_entry(w, ins, frame, map2, fin, spare, stats):
    """crypto_aes_fixsliced_pair_from_round2_mix_arm: the same frame as the
    main entry, the state after round 2's SubBytes taken from memory (in the
    layout the main entry loads blocks in), transposed into bit planes;
    round 2's MixColumns (m = 2) and AddRoundKey, ordered and allocated like
    a round and left where the m = 2 round leaves the state (map2); then
    into the shared loop at .Lround3."""
    w("")
    w(ROUND2_HEADER)
    ins(".global crypto_aes_fixsliced_pair_from_round2_mix_arm")
    ins(".type   crypto_aes_fixsliced_pair_from_round2_mix_arm, %function")
    ins(".thumb_func")
    w("crypto_aes_fixsliced_pair_from_round2_mix_arm:")
    w("    // r0 = round keys, r1 = rounds, r2 = state after round 2's SubBytes,")
    w("    // r3 = out.")
    start = ins.n
    ins("push    {r4-r11, lr}")
    ins("sub     sp, sp, #%d" % frame)
    emit_continuation_choice(w, ins, "r12", ".Lplain_mix_sr", ".Lplain_mix", "mix")
    ins("add     r1, r0, r1, lsl #5          // &round_keys[8 * rounds]")
    ins("str     r3, [sp, #%d]" % OUT_OFF)
    ins("add     r0, r0, #64                 // &round_keys[8 * 2]")
    ins("strd    r0, r1, [sp, #%d]" % KP_OFF)
    for j in range(8):
        ins("ldr     %s, [r2, #%d]" % (LDM_MAP[j], 4 * (j // 2) + 16 * (j % 2)))
    ins("b       .Lround2_mix")
    prologue = ins.n - start
    # Its own copy of the continuations: ADR reaches only +-4 KB.
    emit_plain_store(w, ins, frame, fin, spare, "_mix")
    emit_ctr_pair_setup(w, ins, frame)
    w(".Lround2_mix:")
    p = Prog()
    q = transpose(p, [("in%d" % j, 0) for j in range(8)])
    s = mix_columns(p, q, 2)
    out = add_round_key(p, s, False)
    names = [o[0] for o in out]
    live_in = {"in%d" % j: LDM_MAP[j] for j in range(8)}
    pref = {}
    for j in range(8):
        pref[names[j]] = map2[j]
        pref[s[j][0]] = map2[j]
    ops, prm = optimize_order(p.ops, names, live_in, pref, ROUND_SEEDS["mix2"], SEARCH_ITERS)
    lines, omap = allocate(ops, live_in, pref, prm, names)
    permute(lines, {j: omap[names[j]] for j in range(8)}, {j: map2[j] for j in range(8)})
    # Spill slots, if any, must lie inside the frame the rounds sized.
    assert all(int(x) < frame for l in lines for x in re.findall(r"\[sp, #(\d+)\]", l)), lines
    for l in lines:
        ins(l)
    ins("b       .Lround3")
    ins(".size   crypto_aes_fixsliced_pair_from_round2_mix_arm, . - crypto_aes_fixsliced_pair_from_round2_mix_arm")
    stats["round2_mix_entry"] = prologue + count(lines) + 1


# Where the round-2 entries keep q[2c + b] (block b, word c) before the
# transpose: r4 + 4 b + c, so that one LDM of a 4-byte aligned pair fills
# them in order.
LDM_MAP = ["r%d" % (4 + 4 * (j % 2) + j // 2) for j in range(8)]


def emit_ctr_pair_setup(w, ins, frame):
    """The CTR entry's per-pair set-up, placed right before .Lround2_mix so
    that it falls into it: key pointer, the template by one LDM (CtrCache
    keeps it 4-byte aligned) and the four varying bytes of each block."""
    w("    // crypto_aes_ctr_pairs_from_round2_mix_arm's next pair (the loop")
    w("    // below branches here; the function above does not run this).")
    w(".Lctr_pair:")
    ins("ldrd    r0, r2, [sp, #%d]" % frame + "        // &round_keys[8 * 2], args")
    ins("str     r0, [sp, #%d]" % KP_OFF)
    ins("ldrd    r1, r3, [r2]                // template, rows")
    ins("ldmia   r1, {r4-r11}")
    w("    // Byte r of word r of block b (block byte 5 r) = row r, entry b.")
    for r in range(4):
        for b in range(2):
            ins("ldrb    r12, [r3, #%d]" % (32 * r + b))
            ins("bfi     %s, r12, #%d, #8" % (LDM_MAP[2 * r + b], 8 * r))


def emit_ctr_entry(w, ins, frame, fin, spare):
    """crypto_aes_ctr_pairs_from_round2_mix_arm: several counter-block pairs
    per call. Per pair (.Lctr_pair, before .Lround2_mix): the state after
    round 2's SubBytes from a template and four bytes per block taken from
    four rows (BFI), then the round-2 entry's transpose, MixColumns and
    AddRoundKey and the shared rounds; the shared code after the last round
    jumps to the continuation chosen here (SR^2 or not, mask or not), which
    XORs the keystream into the text and loops. Three words above the frame (below the
    saved registers) hold the round-key pointer of round 2, the argument
    block and the end of the input."""
    w("")
    w(CTR_HEADER)
    ins(".global crypto_aes_ctr_pairs_from_round2_mix_arm")
    ins(".type   crypto_aes_ctr_pairs_from_round2_mix_arm, %function")
    ins(".thumb_func")
    w("crypto_aes_ctr_pairs_from_round2_mix_arm:")
    w("    // r0 = round keys, r1 = rounds, r2 = argument block.")
    ins("push    {r4-r11, lr}")
    ins("sub     sp, sp, #16")
    ins("add     r3, r0, #64                 // &round_keys[8 * 2]")
    ins("strd    r3, r2, [sp]")
    ins("ldr     r3, [r2, #8]                // in")
    ins("ldr     r12, [r2, #20]              // pairs")
    ins("add     r3, r3, r12, lsl #5         // end of in")
    ins("str     r3, [sp, #8]")
    ins("sub     sp, sp, #%d" % frame)
    w("    // The mask only where the caller asked for it (flag 0x200, public):")
    w("    // encryption needs no AND.")
    ins("tst     r1, #0x200")
    ins("bne     .Lctr_choose_masked")
    emit_continuation_choice(w, ins, "r12", ".Lctr_xor_sr", ".Lctr_xor", "ctr_xor")
    ins("b       .Lctr_chosen")
    w(".Lctr_choose_masked:")
    emit_continuation_choice(w, ins, "r12", ".Lctr_masked_sr", ".Lctr_masked", "ctr_masked")
    w(".Lctr_chosen:")
    ins("and     r1, r1, #0xff")
    ins("add     r1, r0, r1, lsl #5          // &round_keys[8 * rounds]")
    ins("str     r1, [sp, #%d]" % END_OFF)
    ins("b       .Lctr_pair")
    w("    // Continuations after the last round: SR^2 if the key size needs it,")
    w("    // then the text XORed with the keystream (under the mask).")
    emit_ctr_continuation(w, ins, frame, fin, spare, masked=True)
    emit_ctr_continuation(w, ins, frame, fin, spare, masked=False)
    ins(".size   crypto_aes_ctr_pairs_from_round2_mix_arm, . - crypto_aes_ctr_pairs_from_round2_mix_arm")


def emit_ctr_continuation(w, ins, frame, fin, spare, masked):
    """.Lctr_masked(_sr) or .Lctr_xor(_sr): SR^2 if the key size needs it
    (the _sr label falls into the other), then out = (in ^ keystream)
    [& mask] for the pair, by LDM for a word-aligned in (a public property
    of the pointer) or word by word; out by STR, any alignment. Then the
    next pair or the return."""
    kind = "masked" if masked else "xor"
    ra, rin, rout, rm, t = spare[0], spare[1], spare[2], spare[3], spare[4]
    w(".Lctr_%s_sr:" % kind)
    emit_sr2(ins, fin, t)
    w(".Lctr_%s:" % kind)
    ins("ldr     %s, [sp, #%d]               // argument block" % (ra, frame + 4))
    ins("ldrd    %s, %s, [%s, #8]          // in, out" % (rin, rout, ra))
    if masked:
        ins("ldr     %s, [%s, #16]" % (rm, ra))
    ins("tst     %s, #3" % rin)
    ins("bne     .Lctr_%s_words" % kind)
    # Without the mask its register is a third temporary for the LDM.
    temps = [t, spare[5]] if masked else [t, spare[5], rm]
    emit_ctr_xor_ldm(ins, fin, rin, rout, temps, rm if masked else None)
    emit_ctr_next(ins, frame, ra, rin, rout, t, in_advanced=True)
    w(".Lctr_%s_words:" % kind)
    for j in range(8):
        o = 4 * (j // 2) + 16 * (j % 2)
        ins("ldr     %s, [%s, #%d]" % (t, rin, o))
        ins("eor     %s, %s, %s" % (t, t, fin[j]))
        if masked:
            ins("and     %s, %s, %s" % (t, t, rm))
        ins("str     %s, [%s, #%d]" % (t, rout, o))
    emit_ctr_next(ins, frame, ra, rin, rout, t)


def emit_ctr_xor_ldm(ins, fin, rin, rout, temps, rm):
    """out = (in ^ keystream) [& rm] for a word-aligned in: LDM with
    writeback into the temporaries (ascending), memory word m (block m / 4,
    word m % 4) is fin[2 (m % 4) + m / 4]."""
    temps = sorted(temps, key=lambda r: RNUM[r])
    m = 0
    while m < 8:
        group = temps[:min(len(temps), 8 - m)]
        ins("ldmia   %s!, {%s}" % (rin, ", ".join(group)))
        for k, r in enumerate(group):
            word = m + k
            ins("eor     %s, %s, %s" % (r, r, fin[2 * (word % 4) + word // 4]))
            if rm is not None:
                ins("and     %s, %s, %s" % (r, r, rm))
            ins("str     %s, [%s, #%d]" % (r, rout, 4 * word))
        m += len(group)


def emit_ctr_next(ins, frame, ra, rin, rout, t, in_advanced=False):
    """Advances in (unless the LDM did), out and rows in the argument block
    by a pair; the next pair until in reaches its end, else the return.
    Emitted after every XOR tail (no branch between them)."""
    if not in_advanced:
        ins("add     %s, %s, #32" % (rin, rin))
    ins("add     %s, %s, #32" % (rout, rout))
    ins("strd    %s, %s, [%s, #8]" % (rin, rout, ra))
    ins("ldr     %s, [%s, #4]" % (t, ra))
    ins("add     %s, %s, #2" % (t, t))
    ins("str     %s, [%s, #4]" % (t, ra))
    ins("ldr     %s, [sp, #%d]" % (t, frame + 8))
    ins("cmp     %s, %s" % (rin, t))
    ins("bne     .Lctr_pair")
    ins("add     sp, sp, #%d" % (frame + 16))
    ins("pop     {r4-r11, pc}")


def emit_ctr_window(w, ins, stats):
    """crypto_aes_ctr_window_arm: s for a window, then its rows. The bit
    planes of x ^ K0[15] for x = base .. base + 31 are fixed masks (planes
    0-4), the public bits 5-7 of base and bit 30 of round key 0's planes
    (block byte 15), as in AesCtrAccess::SubBytesOfWindow; the S-box
    circuit (ordered and allocated like a round) gives s in r4-r11, and the
    code continues in crypto_aes_ctr_rows_arm's body with the same frame."""
    w("")
    w(WINDOW_HEADER)
    ins(".global crypto_aes_ctr_window_arm")
    ins(".type   crypto_aes_ctr_window_arm, %function")
    ins(".thumb_func")
    w("crypto_aes_ctr_window_arm:")
    w("    // r0 = round keys, r1 = base, r2 = K', r3 = rows.")
    ins("push    {r4-r11, lr}")
    ins("sub     sp, sp, #%d" % ROWS_FRAME)
    ins("str     r3, [sp, #4]")
    ins("str     r2, [sp, #8]")
    w("    // Plane j ^= 0 - bit 30 of round key 0's plane j (block byte 15).")
    masks = {0: [0xFF00FF00], 1: [0xFF000000, 0x00FF0000], 2: [0xAAAAAAAA],
             3: [0xCCCCCCCC], 4: [0xF0F0F0F0]}
    for j in range(8):
        ins("ldr     r12, [r0, #%d]" % (4 * j))
        ins("sbfx    r12, r12, #30, #1")
        if j in masks:
            src = "r12"
            for m in masks[j]:
                ins("eor     %s, %s, #0x%08x" % (CANON[j], src, m))
                src = CANON[j]
        else:
            ins("sbfx    r3, r1, #%d, #1" % j)
            ins("eor     %s, r12, r3" % CANON[j])
    p = Prog()
    q = sbox(p, [("in%d" % j, 0) for j in range(8)])
    names = [v[0] for v in q]
    live_in = {"in%d" % j: CANON[j] for j in range(8)}
    pref = {names[j]: CANON[j] for j in range(8)}
    ops, prm = optimize_order(p.ops, names, live_in, pref, ROUND_SEEDS["window"], SEARCH_ITERS)
    lines, omap = allocate(ops, live_in, pref, prm, names)
    permute(lines, {j: omap[names[j]] for j in range(8)}, {j: CANON[j] for j in range(8)})
    assert all(8 < int(x) < ROWS_IN for l in lines for x in re.findall(r"\[sp, #(\d+)\]", l)), lines
    for l in lines:
        ins(l)
    ins("ldr     r1, [sp, #8]")
    ins("b       .Lrows_from_s")
    ins(".size   crypto_aes_ctr_window_arm, . - crypto_aes_ctr_window_arm")
    stats["ctr_window_sbox"] = count(lines)


WINDOW_HEADER = """\
// crypto_aes_ctr_window_arm(round_keys, base, k_prime, rows): the rows of
// the counter-mode cache's window of low counter bytes base .. base + 31
// (base a public multiple of 32): s = S(x ^ K0[15]) ^ 0x63 from one S-box
// evaluation, then crypto_aes_ctr_rows_arm's work on it, with its frame
// and its zeroing. round_keys: Aes's bitsliced schedule (4-byte aligned)."""


# crypto_aes_ctr_rows_arm's frame (and crypto_aes_ctr_window_arm's): [sp + 0]
# next input planes, [sp + 4] rows, [sp + 8] K' (window entry), then the
# spill slots, then the four rows' input planes.
ROWS_IN = SPILL_OFF + 4 * NSLOTS
ROWS_FRAME = ROWS_IN + 128 + 4  # + 36 pushed: sp stays 8-byte aligned


def emit_ctr_rows(w, ins, stats):
    """crypto_aes_ctr_rows_arm: the four window rows of the CTR cache from
    the bit planes of s. Each row's input planes, coefficient times s plus
    K'_r bit by bit (SBFX broadcasts a bit), go to the frame first; then one
    loop body, the S-box circuit and the transpose ordered and allocated like
    a round, runs four times. The secret frame is zeroed before return."""
    w("")
    w(ROWS_HEADER)
    ins(".global crypto_aes_ctr_rows_arm")
    ins(".type   crypto_aes_ctr_rows_arm, %function")
    ins(".thumb_func")
    w("crypto_aes_ctr_rows_arm:")
    w("    // r0 = s planes, r1 = K' (byte r for row r), r2 = rows.")
    ins("push    {r4-r11, lr}")
    ins("sub     sp, sp, #%d" % ROWS_FRAME)
    ins("str     r2, [sp, #4]")
    ins("ldmia   r0, {%s}" % ", ".join(CANON))
    w(".Lrows_from_s:")
    s_ = CANON  # s_[j] holds plane j of s
    # Plane j of 2s (xtime): s[j - 1], plus s[7] where the polynomial 0x1b
    # has a bit (j = 0, 1, 3, 4).
    def d_terms(j):
        t = [] if j == 0 else [s_[j - 1]]
        return t + ([s_[7]] if j in (0, 1, 3, 4) else [])
    w("    // Row r's input plane j: (s, s, 3s, 2s)[r] plane j ^ (0 - bit j of K'_r).")
    for r in range(4):
        for j in range(8):
            terms = {0: [s_[j]], 1: [s_[j]], 2: [s_[j]] + d_terms(j), 3: d_terms(j)}[r]
            ins("sbfx    r12, r1, #%d, #1" % (8 * r + j))
            for t in terms:
                ins("eor     r12, r12, %s" % t)
            ins("str     r12, [sp, #%d]" % (ROWS_IN + 32 * r + 4 * j))
    ins("add     r0, sp, #%d" % ROWS_IN)
    ins("str     r0, [sp, #0]")
    w(".Lrows_loop:")
    ins("ldr     r0, [sp, #0]")
    ins("ldmia   r0!, {%s}" % ", ".join(CANON))
    ins("str     r0, [sp, #0]")
    p = Prog()
    q = sbox(p, [("in%d" % j, 0) for j in range(8)])
    q = transpose(p, q)
    names = [v[0] for v in q]
    live_in = {"in%d" % j: CANON[j] for j in range(8)}
    ops, prm = optimize_order(p.ops, names, live_in, {}, ROUND_SEEDS["rows"], SEARCH_ITERS)
    lines, omap = allocate(ops, live_in, {}, prm, names)
    assert all(int(x) < ROWS_IN for l in lines for x in re.findall(r"\[sp, #(\d+)\]", l)), lines
    for l in lines:
        ins(l)
    outs = [omap[n] for n in names]
    spare = [r for r in REGS if r not in outs]
    rr, t0, t1 = spare[0], spare[1], spare[2]
    w("    // Transposed: word k = row bytes 4k .. 4k + 3 (little-endian).")
    ins("ldr     %s, [sp, #4]" % rr)
    for k in range(8):
        ins("str     %s, [%s, #%d]" % (outs[k], rr, 4 * k))
    ins("add     %s, %s, #32" % (rr, rr))
    ins("str     %s, [sp, #4]" % rr)
    ins("ldr     %s, [sp, #0]" % t0)
    ins("add     %s, sp, #%d" % (t1, ROWS_IN + 128))
    ins("cmp     %s, %s" % (t0, t1))
    ins("bne     .Lrows_loop")
    w("    // Zero the frame (K', spills and input planes are secret) and r0-r3.")
    ins("mov     r0, #0")
    ins("mov     r1, #0")
    ins("mov     r2, #0")
    ins("mov     r3, #0")
    ins("mov     r12, sp")
    assert (ROWS_IN + 128) % 16 == 0
    for _ in range((ROWS_IN + 128) // 16):
        ins("stmia   r12!, {r0-r3}")
    ins("add     sp, sp, #%d" % ROWS_FRAME)
    ins("pop     {r4-r11, pc}")
    ins(".size   crypto_aes_ctr_rows_arm, . - crypto_aes_ctr_rows_arm")
    stats["ctr_rows_body"] = count(lines)


ROWS_HEADER = """\
// crypto_aes_ctr_rows_arm(s, k_prime, rows): the four window rows of the
// AES-GCM counter-mode cache (aes_ctr.cc): s[0..7] are the bit planes of
// 32 S-box outputs s_i (plane j = bit j of every s_i, in the bit order of
// aes_bitslice.h's Transpose), k_prime holds K'_r in byte r, and rows[32 r +
// i] = S(K'_r ^ (s, s, 3s, 2s)[r]_i) ^ 0x63, 128 bytes, any alignment.
// Constant-time as above: straight-line code apart from the four-pass loop,
// fixed addresses, AND/EOR/SBFX/shifts only on secrets; the frame (spills
// and input planes) and r0-r3 are zeroed before return."""


CTR_HEADER = """\
// crypto_aes_ctr_pairs_from_round2_mix_arm(round_keys, rounds, args):
// counter mode over args->pairs (>= 1) pairs of blocks with rounds 0-1 and
// round 2's SubBytes cached (aes_ctr.cc); rounds | 0x200 applies the mask
// word, plain rounds ignores it (a public choice: encryption vs. masked
// decryption). args (4-byte aligned): +0 template (the 32-byte state after
// round 2's SubBytes, layout as in the entry above, 4-byte aligned: one
// LDM), +4 rows (row r at +32 r; pair i uses entries 2i, 2i + 1 for blocks
// 0, 1: state byte 5 r of each block), +8 in, +12 out (equal or disjoint,
// any alignment; a word-aligned in is read by LDM, a branch on the
// pointer's alignment, which is public), +16 mask word, +20 pairs. For
// each pair: out = (in ^ keystream) & mask, 32 bytes. in, out and rows in
// args are advanced (public values), pairs is not. Constant-time as above:
// addresses are the (public) pointers plus fixed offsets, the loop count is
// public, no branch on data."""


ROUND2_HEADER = """\
// crypto_aes_fixsliced_pair_from_round2_mix_arm(round_keys, rounds, state,
// out): the same cipher from round 2's MixColumns on (AES-GCM counter-mode
// caching, see aes_ctr.cc). state holds the two blocks' fixsliced state
// after round 2's SubBytes (drift 1, S-box constant folded as in the key
// schedule) as the main entry holds its input before the transpose: 32
// bytes, block b word c at 16 b + 4 c. Same registers, frame, stack use and
// constant-time argument as above: it shares rounds 3 .. Nr - 1, the last
// round and the output code."""


# Frame slot of the continuation address (Thumb bit set) that the code
# after the last round jumps to; every entry stores it first.
CONT_OFF = 12

HEADER = """\
// GENERATED by libs/crypto/tools/gen_aes_pair_arm.py -- do not edit; change
// the generator and regenerate (:aes_pair_arm_regen_test checks the two
// agree).
//
// crypto_aes_fixsliced_pair_arm(round_keys, rounds, in, out): the fixsliced
// AES block-pair encryption of aes.cc (Aes::EncryptBlockPair) for the
// Cortex-R boards, same round-key layout, bit-identical output.
//
// Why this is constant-time:
//  * Straight-line code. The only branches are the round loop and its two
//    exits, which depend on the number of rounds (the key size), and one
//    LDR PC after the last round to a continuation each entry chose when
//    called (from the key size: SR^2 or not; the CTR entry also from its
//    public mask flag). None depends on key or data bits.
//  * No table lookups. The S-box is the Boyar-Peralta circuit of
//    aes_bitslice.h (115 gates: 83 EOR, 32 AND) on bit planes; ShiftRows is never executed (fixslicing), MixColumns is
//    EOR/AND with fixed immediates and fixed barrel-shifter rotations.
//  * Every load and store address is fixed relative to the key pointer, the
//    stack pointer or the in/out pointers: spill slots are chosen when this
//    file is generated, not at run time.
//  * Only AND, EOR, LDR/STR/LDRD/STRD/LDM and fixed shifts touch secrets;
//    their timing on Cortex-R5 and Cortex-R52 does not depend on operands.
//
// Why Thumb-2 and not ARM state: the fixsliced MixColumns rotates bits
// inside every byte lane, which needs byte-periodic masks (0x3f3f3f3f, ...).
// Thumb-2 encodes 0xXYXYXYXY as an AND immediate; ARM state would have to
// keep them in registers, and registers are what the S-box is short of. The
// barrel shifter (EOR Rd, Rn, Rm, ROR #n) and LDRD with two arbitrary
// registers are available in Thumb-2 too, so no instruction is lost.
//
// Register and stack use (AAPCS): r4-r11 and lr are saved, sp stays 8-byte
// aligned (36 bytes pushed + the frame), no calls, no heap, no libc. The
// frame holds the key pointer, the end of the schedule, `out`, the
// continuation address and the spill slots.
//
// Key material on the stack: the spill slots hold S-box intermediates, i.e.
// bit planes of the round state, which depend on the key. They are left in
// the frame on return and not wiped per block, exactly like the C++ core
// (aes.cc), whose round state stays in registers and its stack frame:
// wiping ~20 words per 32-byte block would cost ~10% in the CTR loop. Later
// calls and any other stack use overwrite them; the expanded key itself is
// never copied to the stack.
"""


# --------------------------------------------------------------------------
# --check: a simulator for the emitted instructions and a textbook AES.

M32 = 0xFFFFFFFF


def _sbox_table():
    def mul(a, b):
        r = 0
        while b:
            if b & 1:
                r ^= a
            a = ((a << 1) ^ (0x11B if a & 0x80 else 0)) & 0xFF
            b >>= 1
        return r
    inv = [0] * 256
    for a in range(1, 256):
        for b in range(1, 256):
            if mul(a, b) == 1:
                inv[a] = b
                break
    box = []
    for a in range(256):
        x = inv[a]
        y = x
        for _ in range(4):
            x = ((x << 1) | (x >> 7)) & 0xFF
            y ^= x
        box.append(y ^ 0x63)
    return box, mul


SBOX, GMUL = _sbox_table()


def expand_key(key):
    nk = len(key) // 4
    nr = nk + 6
    w = [int.from_bytes(key[4 * i:4 * i + 4], "little") for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (nr + 1)):
        t = w[i - 1]
        if i % nk == 0:
            t = ((t >> 8) | (t << 24)) & M32
            t = sum(SBOX[(t >> (8 * k)) & 0xFF] << (8 * k) for k in range(4)) ^ rcon
            rcon = GMUL(rcon, 2)
        elif nk == 8 and i % nk == 4:
            t = sum(SBOX[(t >> (8 * k)) & 0xFF] << (8 * k) for k in range(4))
        w.append(w[i - nk] ^ t)
    return w, nr


def aes_encrypt(key, block):
    w, nr = expand_key(key)
    s = [[block[4 * c + r] for c in range(4)] for r in range(4)]

    def ark(k):
        for c in range(4):
            for r in range(4):
                s[r][c] ^= (w[4 * k + c] >> (8 * r)) & 0xFF
    ark(0)
    for k in range(1, nr + 1):
        for r in range(4):
            s[r] = [SBOX[v] for v in s[r]]
            s[r] = s[r][r:] + s[r][:r]
        if k != nr:
            for c in range(4):
                col = [s[r][c] for r in range(4)]
                for r in range(4):
                    s[r][c] = (GMUL(col[r], 2) ^ GMUL(col[(r + 1) % 4], 3)
                               ^ col[(r + 2) % 4] ^ col[(r + 3) % 4])
        ark(k)
    return bytes(s[r][c] for c in range(4) for r in range(4))


def py_transpose(q):
    q = list(q)

    def sw(i, k, mask, s):
        t = ((q[i] >> s) ^ q[k]) & mask
        q[k] ^= t
        q[i] ^= (t << s) & M32
    for i, k in ((0, 1), (2, 3), (4, 5), (6, 7)):
        sw(i, k, 0x55555555, 1)
    for i, k in ((0, 2), (1, 3), (4, 6), (5, 7)):
        sw(i, k, 0x33333333, 2)
    for i, k in ((0, 4), (1, 5), (2, 6), (3, 7)):
        sw(i, k, 0x0F0F0F0F, 4)
    return q


def bitsliced_schedule(key):
    """Aes::SetKey's portable layout (aes.cc)."""
    w, nr = expand_key(key)
    out = []
    for rnd in range(nr + 1):
        n = (4 - rnd % 4) % 4
        ws = w[4 * rnd:4 * rnd + 4]
        sr = []
        for c in range(4):
            v = 0
            for r in range(4):
                v |= ws[(c + n * r) % 4] & (0xFF << (8 * r))
            sr.append(v)
        k = []
        for c in range(4):
            k += [sr[c], sr[c]]
        k = py_transpose(k)
        if rnd != 0:
            for j in (0, 1, 5, 6):
                k[j] ^= M32
        out += k
    return out, nr


def is_modified_imm(v):
    b = v & 0xFF
    b1 = (v >> 8) & 0xFF
    if v == b or v == b * 0x00010001 or v == (b1 << 8) * 0x00010001 or v == b * 0x01010101:
        return True
    for r in range(8, 32):
        x = ((v << r) | (v >> (32 - r))) & M32
        if x < 256 and x & 0x80:
            return True
    return False


REG_RE = r"(r\d+|lr|sp|pc)"


def round1_state(key, block):
    """The fixsliced state after round 1, for one block: textbook rounds 0
    and 1 give the true state Z; the fixsliced core
    holds it with drift 1, X = SR^-1(Z), X[r][c] = Z[r][c - 1 * r]; byte
    4c + r = X[r][c]. (The S-box constant that round 1's circuit leaves out
    passes MixColumns unchanged and is cancelled by the copy folded into
    round key 1, so the state is the true one.)"""
    w, _ = expand_key(key)
    s = [[block[4 * c + r] ^ ((w[c] >> (8 * r)) & 0xFF) for c in range(4)] for r in range(4)]
    for r in range(4):
        s[r] = [SBOX[v] for v in s[r]]
        s[r] = s[r][r:] + s[r][:r]
    z = [[0] * 4 for _ in range(4)]
    for c in range(4):
        col = [s[r][c] for r in range(4)]
        for r in range(4):
            z[r][c] = (GMUL(col[r], 2) ^ GMUL(col[(r + 1) % 4], 3)
                       ^ col[(r + 2) % 4] ^ col[(r + 3) % 4] ^ ((w[4 + c] >> (8 * r)) & 0xFF))
    return bytes(z[r][(c - r) % 4] for c in range(4) for r in range(4))


def round2_sub_state(key, block):
    """The state crypto_aes_fixsliced_pair_from_round2_mix_arm takes, for one
    block: round 2's SubBytes on round1_state, bytewise and without the
    constant (S(x) ^ 0x63), as the circuit computes it."""
    return bytes(SBOX[v] ^ 0x63 for v in round1_state(key, block))


CODE_BASE = 0x00800000  # the simulator's address of line 0 (ADR, LDR PC)


def simulate(asm, mem, args, entry=None):
    """Runs the routine; mem: address -> byte. Returns (instructions, regs)."""
    lines = []
    labels = {}
    for raw in asm.splitlines():
        l = raw.split("//")[0].strip()
        if not l or l.startswith("."):
            if l.endswith(":"):
                labels[l[:-1]] = len(lines)
            continue
        if l.endswith(":"):
            labels[l[:-1]] = len(lines)
            continue
        lines.append(l)
    R = {r: 0 for r in REGS + ["sp", "pc"]}
    R["r0"], R["r1"], R["r2"], R["r3"] = args
    R["sp"] = 0x20000000
    R["lr"] = 0xDEAD0000
    callee = {r: random.getrandbits(32) for r in ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]}
    R.update(callee)
    flags = {"Z": 0}

    def rd32(a):
        return sum(mem.get(a + i, 0) << (8 * i) for i in range(4))

    def wr32(a, v):
        for i in range(4):
            mem[a + i] = (v >> (8 * i)) & 0xFF

    def shifted(v, kind, n):
        if kind == "ror":
            return ((v >> n) | (v << (32 - n))) & M32 if n else v
        if kind == "lsl":
            return (v << n) & M32
        if kind == "lsr":
            return v >> n
        raise ValueError(kind)

    def regs_list(s):
        out = []
        for part in s.strip("{} ").split(","):
            part = part.strip()
            if "-" in part:
                a, b = part.split("-")
                out += ["r%d" % i for i in range(int(a[1:]), int(b[1:]) + 1)]
            else:
                out.append(part)
        nums = [RNUM.get(x, 15 if x == "pc" else None) for x in out]
        assert nums == sorted(nums) and len(set(nums)) == len(nums), s
        return out

    pc = labels[entry] if entry else 0
    n = 0
    while True:
        l = lines[pc]
        pc += 1
        n += 1
        if n > 20000:
            raise SystemExit("runaway at " + l)
        op, _, rest = l.partition(" ")
        a = [x.strip() for x in re.split(r",(?![^{]*})(?![^\[]*\])", rest)]
        if op in ("eor", "and", "orr", "bic"):
            d, x = a[0], a[1]
            assert d not in ("sp", "pc") and x not in ("sp", "pc")
            if a[2].startswith("#"):
                imm = int(a[2][1:], 0)
                assert is_modified_imm(imm), l
                y = imm
            else:
                y = R[a[2]]
                if len(a) == 4:
                    kind, amt = a[3].split()
                    y = shifted(y, kind, int(amt[1:]))
            v = R[x]
            R[d] = {"eor": v ^ y, "and": v & y, "orr": v | y, "bic": v & ~y & M32}[op]
        elif op == "mov":
            R[a[0]] = int(a[1][1:], 0) if a[1].startswith("#") else R[a[1]]
        elif op == "add" or op == "sub":
            if a[2].startswith("#"):
                y = int(a[2][1:], 0)
            else:
                y = R[a[2]]
                if len(a) == 4:
                    kind, amt = a[3].split()
                    y = shifted(y, kind, int(amt[1:]))
            R[a[0]] = (R[a[1]] + (y if op == "add" else -y)) & M32
        elif op == "sbfx":
            lsb, width = int(a[2][1:]), int(a[3][1:])
            assert width == 1, l
            R[a[0]] = M32 if (R[a[1]] >> lsb) & 1 else 0
        elif op == "bfi":
            lsb, width = int(a[2][1:]), int(a[3][1:])
            m = ((1 << width) - 1) << lsb
            R[a[0]] = (R[a[0]] & ~m & M32) | ((R[a[1]] << lsb) & m)
        elif op == "ldrb":
            m = re.match(r"\[" + REG_RE + r"(?:, #(-?\d+))?\]$", a[-1])
            R[a[0]] = mem.get(R[m.group(1)] + int(m.group(2) or 0), 0)
        elif op == "adr":
            R[a[0]] = CODE_BASE + 4 * labels[a[1]]
        elif op == "ldr" and a[0] == "pc":
            m = re.match(r"\[" + REG_RE + r"(?:, #(-?\d+))?\]$", a[-1])
            v = rd32(R[m.group(1)] + int(m.group(2) or 0))
            assert v & 1, l  # Thumb state
            pc = (v - 1 - CODE_BASE) // 4
            assert pc in labels.values(), l
        elif op in ("ldr", "str", "ldrd", "strd"):
            m = re.match(r"\[" + REG_RE + r"(?:, #(-?\d+))?\]$", a[-1])
            base, o = m.group(1), int(m.group(2) or 0)
            addr = R[base] + o
            if op in ("ldrd", "strd"):
                assert a[0] != a[1] and a[0] not in ("sp", "pc") and a[1] not in ("sp", "pc")
                assert addr % 4 == 0
            if op == "ldr":
                R[a[0]] = rd32(addr)
            elif op == "str":
                wr32(addr, R[a[0]])
            elif op == "ldrd":
                R[a[0]], R[a[1]] = rd32(addr), rd32(addr + 4)
            else:
                wr32(addr, R[a[0]])
                wr32(addr + 4, R[a[1]])
        elif op in ("ldmia", "stmia", "push", "pop"):
            if op in ("push", "pop"):
                base, wb, lst = "sp", True, regs_list(rest)
            else:
                base = a[0].rstrip("!")
                wb = a[0].endswith("!")
                lst = regs_list(a[1])
                assert base not in lst
            if op == "push":
                R["sp"] -= 4 * len(lst)
                for i, r in enumerate(lst):
                    wr32(R["sp"] + 4 * i, R[r])
                continue
            addr = R[base]
            assert addr % 4 == 0, l  # LDM/STM fault on unaligned addresses
            for i, r in enumerate(lst):
                if op in ("ldmia", "pop"):
                    R[r] = rd32(addr + 4 * i)
                else:
                    wr32(addr + 4 * i, R[r])
            if wb:
                R[base] = addr + 4 * len(lst)
            if op == "pop" and "pc" in lst:
                assert R["pc"] == 0xDEAD0000
                for r, v in callee.items():
                    assert R[r] == v, r
                assert R["sp"] == 0x20000000
                return n, R
        elif op == "cmp":
            y = int(a[1][1:], 0) if a[1].startswith("#") else R[a[1]]
            flags["Z"] = int(R[a[0]] == y)
        elif op == "tst":
            flags["Z"] = int(R[a[0]] & int(a[1][1:], 0) == 0)
        elif op == "beq":
            if flags["Z"]:
                pc = labels[a[0]]
        elif op == "bne":
            if not flags["Z"]:
                pc = labels[a[0]]
        elif op == "b":
            pc = labels[a[0]]
        else:
            raise ValueError("unsimulated: " + l)


def check(asm, cases=60, seed=1):
    # FIPS-197 Appendix C.
    pt = bytes.fromhex("00112233445566778899aabbccddeeff")
    vec = {
        16: "69c4e0d86a7b0430d8cdb78070b4c55a",
        24: "dda97ca4864cdfe06eaf70a0ec0d7191",
        32: "8ea2b7ca516745bfeafc49904b496089",
    }
    for kb, ct in vec.items():
        assert aes_encrypt(bytes(range(kb)), pt).hex() == ct
    rng = random.Random(seed)
    counts = {}
    for i in range(cases):
        kb = (16, 24, 32)[i % 3]
        key = bytes(rng.getrandbits(8) for _ in range(kb)) if i >= 3 else bytes(range(kb))
        blk = bytes(rng.getrandbits(8) for _ in range(32)) if i >= 3 else pt + pt[::-1]
        sched, nr = bitsliced_schedule(key)
        mem = {}
        KEYS, IN, OUT = 0x10000, 0x30001, 0x40003  # unaligned in/out
        for j, v in enumerate(sched):
            for b in range(4):
                mem[KEYS + 4 * j + b] = (v >> (8 * b)) & 0xFF
        for j, v in enumerate(blk):
            mem[IN + j] = v
        n, _ = simulate(asm, mem, (KEYS, nr, IN, OUT))
        got = bytes(mem.get(OUT + j, 0) for j in range(32))
        want = aes_encrypt(key, blk[:16]) + aes_encrypt(key, blk[16:])
        if got != want:
            raise SystemExit("MISMATCH key=%s in=%s got=%s want=%s" % (key.hex(), blk.hex(), got.hex(), want.hex()))
        counts[nr] = n
        if i % 6 >= 3:
            continue  # the entries below on half the cases (run time)
        # The round-2 entry on the same pair, from the state after round 2's
        # SubBytes.
        st = round2_sub_state(key, blk[:16]) + round2_sub_state(key, blk[16:])
        for j, v in enumerate(st):
            mem[IN + j] = v
        n2, _ = simulate(asm, mem, (KEYS, nr, IN, OUT), "crypto_aes_fixsliced_pair_from_round2_mix_arm")
        got = bytes(mem.get(OUT + j, 0) for j in range(32))
        if got != want:
            raise SystemExit("ROUND2 MISMATCH key=%s in=%s got=%s want=%s" % (key.hex(), blk.hex(), got.hex(), want.hex()))
        counts["from_round2_mix_%d" % nr] = n2
        # The CTR entry: 1-3 pairs of counter blocks iv || BE32(c0 + k) in
        # one run; the template is the first block's state with its four
        # varying bytes garbled, rows[r][k] = state byte 5 r of block k.
        pairs = 1 + (i // 6) % 3
        iv = bytes(rng.getrandbits(8) for _ in range(12))
        c0 = rng.getrandbits(32) & 0xFFFFFF00 | rng.randrange(0, 256 - 2 * pairs)
        blocks = [iv + (c0 + k).to_bytes(4, "big") for k in range(2 * pairs)]
        states = [round2_sub_state(key, b) for b in blocks]
        for st in states:  # the caching premise: only bytes 0, 5, 10, 15 vary
            assert all(st[j] == states[0][j] for j in range(16) if j % 5 != 0)
        tmpl = bytearray(states[0] + states[0])
        for j in (0, 5, 10, 15, 16, 21, 26, 31):
            tmpl[j] ^= rng.getrandbits(8) | 1
        rows = [bytes(states[k][5 * r] for k in range(2 * pairs)) for r in range(4)]
        mask = (M32, 0)[(i // 6) % 2]
        text = bytes(rng.getrandbits(8) for _ in range(32 * pairs))
        # in word-aligned (LDM) on every other case, unaligned otherwise.
        TM, RW, TX, OT, AR = 0x50000, 0x51000, 0x52000 + (i // 6) % 2, 0x53002, 0x54000
        for j, v in enumerate(tmpl):
            mem[TM + j] = v
        for r in range(4):
            for k, v in enumerate(rows[r]):
                mem[RW + 32 * r + k] = v
        for j, v in enumerate(text):
            mem[TX + j] = v
        for j, v in enumerate((TM, RW, TX, OT, mask, pairs)):
            for b in range(4):
                mem[AR + 4 * j + b] = (v >> (8 * b)) & 0xFF
        masked = mask == 0 or (i // 6) % 3 == 0
        n3, _ = simulate(asm, mem, (KEYS, nr | (0x200 if masked else 0), AR, 0),
                         "crypto_aes_ctr_pairs_from_round2_mix_arm")
        got = bytes(mem.get(OT + j, 0) for j in range(32 * pairs))
        ks = b"".join(aes_encrypt(key, b) for b in blocks)
        want = bytes((t ^ k) & (mask & 0xFF) for t, k in zip(text, ks))
        if got != want:
            raise SystemExit("CTR MISMATCH key=%s iv=%s c0=%x pairs=%d" % (key.hex(), iv.hex(), c0, pairs))
        counts["ctr_%d_pairs_%d%s" % (pairs, nr, "_masked" if masked else "")] = n3
    # The window rows, on random planes and key bytes (and all-zero/all-one
    # ones): rows[32 r + i] = S(K'_r ^ (s, s, 3s, 2s)[r]_i) ^ 0x63 with s_i the
    # bytes of the transposed planes.
    for i in range(12):
        planes = [rng.getrandbits(32) for _ in range(8)]
        kp = rng.getrandbits(32)
        if i < 2:
            planes, kp = [(0, M32)[i]] * 8, (0, M32)[i]
        sb = b"".join(v.to_bytes(4, "little") for v in py_transpose(planes))
        want = bytes(SBOX[((kp >> (8 * r)) & 0xFF) ^ GMUL(sb[k], (1, 1, 3, 2)[r])] ^ 0x63
                     for r in range(4) for k in range(32))
        PL, RO = 0x60000, 0x61003  # rows unaligned
        for j, v in enumerate(planes):
            wr = v.to_bytes(4, "little")
            for b in range(4):
                mem[PL + 4 * j + b] = wr[b]
        n4, regs = simulate(asm, mem, (PL, kp, RO, 0), "crypto_aes_ctr_rows_arm")
        got = bytes(mem.get(RO + k, 0) for k in range(128))
        if got != want:
            raise SystemExit("ROWS MISMATCH planes=%s kp=%08x" % (planes, kp))
        frame = [mem.get(regs["sp"] - 36 - ROWS_FRAME + k, 0) for k in range(8, ROWS_FRAME - 4)]
        if any(frame) or any(regs[r] for r in ("r0", "r1", "r2", "r3")):
            raise SystemExit("ROWS left secrets in the frame or r0-r3")
        counts["ctr_rows"] = n4
    # The window entry: s from the key's byte 15 and base, then the rows.
    for i in range(6):
        kb = (16, 24, 32)[i % 3]
        key = bytes(rng.getrandbits(8) for _ in range(kb))
        sched, _ = bitsliced_schedule(key)
        base = 32 * rng.randrange(8)
        kp = rng.getrandbits(32)
        sv = [SBOX[(base + k) ^ key[15]] ^ 0x63 for k in range(32)]
        want = bytes(SBOX[((kp >> (8 * r)) & 0xFF) ^ GMUL(sv[k], (1, 1, 3, 2)[r])] ^ 0x63
                     for r in range(4) for k in range(32))
        KY, RO = 0x62000, 0x63001
        for j, v in enumerate(sched):
            for b in range(4):
                mem[KY + 4 * j + b] = (v >> (8 * b)) & 0xFF
        n5, regs = simulate(asm, mem, (KY, base, kp, RO), "crypto_aes_ctr_window_arm")
        got = bytes(mem.get(RO + k, 0) for k in range(128))
        if got != want:
            raise SystemExit("WINDOW MISMATCH key=%s base=%d kp=%08x" % (key.hex(), base, kp))
        frame = [mem.get(regs["sp"] - 36 - ROWS_FRAME + k, 0) for k in range(8, ROWS_FRAME - 4)]
        if any(frame) or any(regs[r] for r in ("r0", "r1", "r2", "r3")):
            raise SystemExit("WINDOW left secrets in the frame or r0-r3")
        counts["ctr_window"] = n5
    return counts


DEFAULT_PARAMS = {"pair_far": 12, "reload_window": 6}


def main(argv):
    asm, stats = emit(DEFAULT_PARAMS)
    if "--check" in argv:
        counts = check(asm)
        print("ok; instructions per pair by rounds:", counts, file=sys.stderr)
        print("per-part static counts:", stats, file=sys.stderr)
        return 0
    if "--stats" in argv:
        print(stats)
        return 0
    sys.stdout.write(asm)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
