"""A textbook AES (FIPS-197) and the fixsliced core's conventions: the
bitsliced key schedule of Aes::SetKey and the states the round-2 entries
take."""

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

