"""--check: the emitted assembly, simulated, against the textbook AES."""

import random

from aes_pair_gen.armsim import M32, simulate
from aes_pair_gen.emit import ROWS_FRAME
from aes_pair_gen.reference_aes import (GMUL, SBOX, aes_encrypt, bitsliced_schedule, py_transpose,
                                        round2_sub_state)


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

