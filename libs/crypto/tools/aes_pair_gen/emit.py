"""The assembly text of aes_pair_arm.S: every entry point, with the rounds
ordered by the search and allocated."""

import re

from aes_pair_gen.ir import Prog, add_round_key, mix_columns, sbox, transpose
from aes_pair_gen.regalloc import (END_OFF, KP_OFF, NSLOTS, OUT_OFF, REGS, RNUM, SPILL_OFF,
                                   allocate, count, permute)
from aes_pair_gen.schedule import Searcher, load_orders

CANON = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]


# Seeds of each round's order search: the best of seeds 1..12, tried once
# offline in round order (each round starts from the previous one's register
# mapping). Any seed gives correct code; these give the fewest instructions.
ROUND_SEEDS = {"m1": 10, "m2": 4, "m3": 5, "m0": 1, "last": 7, "mix2": 1, "rows": 1, "window": 1}


def gen_round(searcher, name, m, in_map, want, final=False, check_end=False):
    """One round: lines and the register of each state word at the end."""
    p = Prog()
    q = [("in%d" % j, 0) for j in range(8)]
    s = sbox(p, q)
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
    ops, params = searcher.order(name, p.ops, names, live_in, pref, ROUND_SEEDS[name])
    lines, out_map = allocate(ops, live_in, pref, params, names)
    regs = [out_map[n] for n in names]
    if want:
        # MOV does not change the flags, so the compare may stay before the
        # moves (which may reuse the register of `end`).
        permute(lines, {j: regs[j] for j in range(8)}, {j: want[j] for j in range(8)})
        regs = list(want)
    return lines, regs


def build(searcher, loop_map):
    """The rounds. loop_map: where the state is at the top of the loop."""
    stats = {}
    # Loop body: rounds with m = 1, 2, 3, 0. The m = 0 round must end where
    # the m = 1 round starts (loop_map), the m = 3 round where m = 1 ends
    # (both exits lead to the same last round).
    l1, map1 = gen_round(searcher, "m1", 1, loop_map, None, check_end=True)
    l2, map2 = gen_round(searcher, "m2", 2, map1, None)
    l3, map3 = gen_round(searcher, "m3", 3, map2, map1, check_end=True)
    l0, map0 = gen_round(searcher, "m0", 0, map3, loop_map)
    lf, mapf = gen_round(searcher, "last", None, map1, None, final=True)
    stats.update(round1=count(l1), round2=count(l2), round3=count(l3), round0=count(l0), final=count(lf))
    return (l1, l2, l3, l0, lf, map2, mapf), stats


def emit(searcher=None):
    """The text of aes_pair_arm.S and static instruction counts per part.
    searcher: where the rounds' op orders come from (schedule.Searcher);
    by default the recorded ones."""
    if searcher is None:
        searcher = Searcher(load_orders())
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

    (l1, l2, l3, l0, lf, map2, mapf), stats = build(searcher, loop_map)
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
    emit_round2_mix_entry(w, ins, searcher, frame, map2, fin, spare, stats)
    emit_ctr_entry(w, ins, frame, fin, spare)
    emit_ctr_window(w, ins, searcher, stats)
    emit_ctr_rows(w, ins, searcher, stats)
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


def emit_round2_mix_entry(w, ins, searcher, frame, map2, fin, spare, stats):
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
    ops, prm = searcher.order("mix2", p.ops, names, live_in, pref, ROUND_SEEDS["mix2"])
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


def emit_ctr_window(w, ins, searcher, stats):
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
    ops, prm = searcher.order("window", p.ops, names, live_in, pref, ROUND_SEEDS["window"])
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


def emit_ctr_rows(w, ins, searcher, stats):
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
    ops, prm = searcher.order("rows", p.ops, names, live_in, {}, ROUND_SEEDS["rows"])
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
