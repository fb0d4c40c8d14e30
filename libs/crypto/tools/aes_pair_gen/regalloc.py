"""Register allocation of a straight-line op list: furthest-next-use
eviction over 14 registers, spills paired into STRD/LDRD, and the moves
that put values into wanted registers."""

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


def count(lines):
    return sum(1 for l in lines if l and not l.endswith(":") and not l.startswith("//"))

