"""Register allocation of a straight-line op list: furthest-next-use
eviction over 14 registers, spills paired into STRD/LDRD, and the moves
that put values into wanted registers."""

from bisect import bisect_left

REGS = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr"]
RNUM = {r: i for i, r in enumerate(REGS)}
RNUM["lr"] = 14

# Frame: [sp + 0] key pointer, [sp + 4] end of the schedule, [sp + 8] out,
# then the spill slots.
KP_OFF, END_OFF, OUT_OFF, SPILL_OFF = 0, 4, 8, 16
NSLOTS = 24


class AllocError(Exception):
    pass


_REG_INDEX = {r: i for i, r in enumerate(REGS)}
_FAR = 10**9       # the next use of a value that has none
_PENDING = object()  # a register an LDM is about to fill


def allocate(ops, live_in, live_out_pref, params, outputs, text=True):
    """Returns (lines, out_map). live_in: value -> register. outputs: the
    values that must be live at the end (in registers). live_out_pref:
    value -> the register it should get when it is made, if free. With
    text=False the lines are not formatted: returns (instruction count,
    out_map), for the order search.

    Registers are taken in REGS order; a register that no value of
    live_out_pref wants is preferred. When none is free, the value with
    the furthest next use is evicted (one already in its spill slot first
    among equals, ties in the order values got registers); if it is not
    in a slot yet, another value not needed for pair_far ops is stored
    with it by one STRD. Reloading a value also reloads its STRD partner
    by one LDRD when that is needed within reload_window ops."""
    pair_far = params.get("pair_far", 12)
    reload_window = params.get("reload_window", 6)

    # Registers are numbers (indices into REGS) and sets of them bit masks.
    uses = {}
    for i, o in enumerate(ops):
        for s in o["src"]:
            uses.setdefault(s, []).append(i)
    END = len(ops)
    for v in outputs:
        uses.setdefault(v, []).append(END)
    no_uses = ()

    def next_use(v, i):
        u = uses.get(v, no_uses)
        k = bisect_left(u, i)
        return u[k] if k < len(u) else None

    reg = {}                      # value -> register (insertion order matters)
    content = [None] * len(REGS)  # register -> value
    free = (1 << len(REGS)) - 1   # mask of registers without a value
    slot = {}                     # value -> slot index
    partner = {}                  # value -> value stored by the same STRD
    slots_free = list(range(NSLOTS))
    lines = []
    if text:
        def out(fmt, args):
            lines.append(fmt % args)
    else:
        def out(fmt, args):
            lines.append(None)
    RN = REGS

    for v, r in live_in.items():
        r = _REG_INDEX[r]
        reg[v] = r
        content[r] = v
        free &= ~(1 << r)

    def take(r, v):
        nonlocal free
        content[r] = v
        free &= ~(1 << r)

    def release(v):
        nonlocal free
        r = reg.pop(v, None)
        if r is not None:
            content[r] = None
            free |= 1 << r

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

    def evict_one(i, protect):
        # The victim: the largest (next use, already in a slot), the first
        # such value in reg's order; then its STRD partner: among the other
        # candidates not in a slot and not needed for pair_far ops, the one
        # with the furthest next use, the first in reg's order.
        v = None
        cands = []
        for c, r in reg.items():
            if (protect >> r) & 1:
                continue
            nu = next_use(c, i)
            key = (_FAR if nu is None else nu, c in slot)
            if v is None or key > vkey:
                v, vkey = c, key
            cands.append((c, nu))
        if v is None:
            raise AllocError("nothing to evict")
        if vkey[1] or vkey[0] == _FAR:
            release(v)
            return
        w = None
        for c, nu in cands:
            if (c != v and nu is not None and nu - i >= pair_far and c not in slot
                    and (w is None or nu > wnu)):
                w, wnu = c, nu
        if w is not None:
            s0, s1 = take_slots(2)
            out("strd    %s, %s, [sp, #%d]", (RN[reg[v]], RN[reg[w]], SPILL_OFF + 4 * s0))
            slot[v], slot[w] = s0, s1
            partner[v], partner[w] = w, v
            release(v)
            release(w)
        else:
            (s0,) = take_slots(1)
            out("str     %s, [sp, #%d]", (RN[reg[v]], SPILL_OFF + 4 * s0))
            slot[v] = s0
            partner.pop(v, None)
            release(v)

    # Registers some later value wants (the round's output mapping): other
    # values avoid them while there is a choice, to save MOVs at the end.
    unwanted_mask = (1 << len(REGS)) - 1
    for r in live_out_pref.values():
        unwanted_mask &= ~(1 << _REG_INDEX[r])
    pref_of = {v: _REG_INDEX[r] for v, r in live_out_pref.items()}

    def get_free(i, protect, pref=None):
        if pref is not None and (free >> pref) & 1:
            return pref
        while not free:
            evict_one(i, protect)
        if pref is not None and (free >> pref) & 1:
            return pref
        m = free & unwanted_mask or free
        return (m & -m).bit_length() - 1

    def reload(v, i, protect):
        r = get_free(i, protect)
        take(r, v)
        reg[v] = r
        w = partner.get(v)
        s = slot[v]
        if w is not None and w not in reg and w in slot and slot[w] == (s ^ 1):
            nu = next_use(w, i)
            if nu is not None and nu - i <= reload_window and free:
                r2 = (free & -free).bit_length() - 1
                take(r2, w)
                reg[w] = r2
                if slot[v] < slot[w]:
                    out("ldrd    %s, %s, [sp, #%d]", (RN[r], RN[r2], SPILL_OFF + 4 * slot[v]))
                else:
                    out("ldrd    %s, %s, [sp, #%d]", (RN[r2], RN[r], SPILL_OFF + 4 * slot[w]))
                return
        out("ldr     %s, [sp, #%d]", (RN[r], SPILL_OFF + 4 * s))

    for i, o in enumerate(ops):
        srcs = o["src"]
        protect = 0
        for s in srcs:
            if s not in reg:
                if s not in slot:
                    raise AllocError("value %s lost" % s)
                reload(s, i, protect)
            protect |= 1 << reg[s]
        sregs = [reg[s] for s in srcs]
        # Sources dying here free their registers for the destination.
        for s in srcs:
            if s in reg or s in slot:
                u = uses[s]
                if u[-1] <= i:
                    release(s)
                    drop_slot(s)
        op = o["op"]
        if op == "ldm":
            # kp1 reuses kp0's register (writeback); four ascending others.
            kp_reg = sregs[0]
            take(kp_reg, o["dst"][0])
            reg[o["dst"][0]] = kp_reg
            got = []
            mask = protect | (1 << kp_reg)
            for _ in range(4):
                r = get_free(i, mask)
                take(r, _PENDING)
                got.append(r)
                mask |= 1 << r
            got.sort()
            for d, r in zip(o["dst"][1:], got):
                content[r] = d
                reg[d] = r
            out("ldmia   %s!, {%s, %s, %s, %s}", (RN[kp_reg],) + tuple(RN[r] for r in got))
            continue
        if op in ("ldkp", "ldkpend"):
            rs = []
            mask = protect
            for d in o["dst"]:
                r = get_free(i, mask)
                take(r, d)
                reg[d] = r
                rs.append(r)
                mask |= 1 << r
            if op == "ldkp":
                out("ldr     %s, [sp, #%d]", (RN[rs[0]], KP_OFF))
            else:
                out("ldrd    %s, %s, [sp, #%d]", (RN[rs[0]], RN[rs[1]], KP_OFF))
            continue
        if op == "stkp":
            out("str     %s, [sp, #%d]", (RN[sregs[0]], KP_OFF))
            continue
        if op == "cmp":
            out("cmp     %s, %s", (RN[sregs[0]], RN[sregs[1]]))
            continue
        d = o["dst"][0]
        u = uses.get(d)
        if u is None or u[-1] <= i:
            raise AllocError("dead value %s" % d)
        smask = 0
        for r in sregs:
            smask |= 1 << r
        r = get_free(i, protect & ~smask, pref_of.get(d))
        take(r, d)
        reg[d] = r
        if op in ("eor", "and"):
            kind, n = o["sh"]
            if n == 0:
                out("%-7s %s, %s, %s", (op, RN[r], RN[sregs[0]], RN[sregs[1]]))
            else:
                out("%-7s %s, %s, %s, %s #%d", (op, RN[r], RN[sregs[0]], RN[sregs[1]], kind, n))
        elif op == "andi":
            out("and     %s, %s, #0x%08x", (RN[r], RN[sregs[0]], o["imm"]))
        else:
            raise AssertionError(op)

    # Outputs still spilled: reload.
    for v in outputs:
        if v not in reg:
            reload(v, END, 0)
    out_map = {v: RN[reg[v]] for v in outputs}
    return (lines if text else len(lines)), out_map


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

