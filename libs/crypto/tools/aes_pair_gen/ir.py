"""The round as an op list (SSA values with pending rotations): the S-box
circuit, the fixsliced MixColumns, AddRoundKey and the bit-plane transpose,
mirroring aes_bitslice.h and aes.cc."""

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


def sbox(p, q):
    """S-box (without 0x63) on operands q[0..7]; returns the 8 outputs."""
    env = {"u%d" % i: q[7 - i] for i in range(8)}
    for d, op, a, b in GATES:
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
