"""A small simulator of the Thumb-2 instructions the generator emits."""

import random
import re

from aes_pair_gen.regalloc import REGS, RNUM

M32 = 0xFFFFFFFF


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

