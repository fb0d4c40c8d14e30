"""//libs/crypto/tools/aes_pair_gen:armsim_test: each instruction the
simulator knows, on small hand-computed cases: data processing with
barrel-shifter operands and immediates, bit-field ops, loads and stores
(little-endian, any alignment; LDM/STM aligned), push/pop and the AAPCS
checks on return, flags and branches, ADR and LDR PC."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.armsim import CODE_BASE, is_modified_imm, simulate  # noqa: E402

OUT = 0x1000  # r3 on entry: where the programs below store results


def run(body, mem=None, args=(0, 0, 0, OUT), entry=None):
    """Runs body between the usual push and pop; returns (memory, regs,
    instruction count)."""
    asm = "\n".join(["f:", "push    {r4-r11, lr}"] + body + ["pop     {r4-r11, pc}"])
    mem = dict(mem or {})
    n, regs = simulate(asm, mem, args, entry)
    return mem, regs, n


def word(mem, addr):
    return sum(mem.get(addr + i, 0) << (8 * i) for i in range(4))


def put(mem, addr, v):
    for i in range(4):
        mem[addr + i] = (v >> (8 * i)) & 0xFF


class DataProcessingTest(unittest.TestCase):
    def results(self, body, args=(0, 0, 0, OUT)):
        """r0 after body (body may use r0-r2, r12 and lr freely)."""
        _, regs, _ = run(body, args=args)
        return regs["r0"]

    def test_eor_and_orr_bic_registers(self):
        a, b = 0x12345678, 0x0F0F00FF
        for op, want in (("eor", a ^ b), ("and", a & b), ("orr", a | b), ("bic", a & ~b & 0xFFFFFFFF)):
            with self.subTest(op=op):
                self.assertEqual(self.results(["%s     r0, r1, r2" % op], (0, a, b, OUT)), want)

    def test_barrel_shifter(self):
        a, b = 0x00000001, 0x80000001
        cases = [("ror #1", 0xC0000000), ("ror #8", 0x01800000), ("lsl #4", 0x00000010),
                 ("lsr #31", 0x00000001), ("lsl #31", 0x80000000)]
        for sh, shifted in cases:
            with self.subTest(shift=sh):
                self.assertEqual(self.results(["eor     r0, r1, r2, %s" % sh], (0, a, b, OUT)),
                                 a ^ shifted)

    def test_immediates(self):
        self.assertEqual(self.results(["and     r0, r1, #0x3f3f3f3f"], (0, 0xFFFF00C1, 0, OUT)),
                         0x3F3F0001)
        self.assertEqual(self.results(["eor     r0, r1, #0xff00ff00"], (0, 0x12345678, 0, OUT)),
                         0xED34A978)
        self.assertEqual(self.results(["mov     r0, #5"]), 5)
        self.assertEqual(self.results(["mov     r0, r2"], (0, 0, 77, OUT)), 77)
        # Thumb-2 modified immediates: 0x000000XY, 0x00XY00XY, 0xXY00XY00,
        # 0xXYXYXYXY and an 8-bit value with its top bit set, rotated.
        for v in (0xAB, 0x00AB00AB, 0xAB00AB00, 0xABABABAB, 0x3FC00000, 0x80000000):
            self.assertTrue(is_modified_imm(v), hex(v))
        for v in (0x101, 0x00AB00AC, 0x12345678, 0x1FE00001):
            self.assertFalse(is_modified_imm(v), hex(v))
        with self.assertRaises(AssertionError):
            self.results(["and     r0, r1, #0x12345678"])

    def test_add_sub(self):
        self.assertEqual(self.results(["add     r0, r1, r2, lsl #5"], (0, 3, 2, OUT)), 67)
        self.assertEqual(self.results(["add     r0, r1, #64"], (0, 3, 0, OUT)), 67)
        self.assertEqual(self.results(["sub     r0, r1, #4"], (0, 3, 0, OUT)), 0xFFFFFFFF)

    def test_bit_fields(self):
        self.assertEqual(self.results(["sbfx    r0, r1, #30, #1"], (0, 0x40000000, 0, OUT)), 0xFFFFFFFF)
        self.assertEqual(self.results(["sbfx    r0, r1, #30, #1"], (0, 0xBFFFFFFF, 0, OUT)), 0)
        self.assertEqual(self.results(["bfi     r0, r1, #8, #8"], (0x11223344, 0xABCD, 0, OUT)),
                         0x1122CD44)


class MemoryTest(unittest.TestCase):
    def test_loads_and_stores_are_little_endian_at_any_alignment(self):
        mem = {}
        put(mem, 0x2001, 0xA1B2C3D4)
        mem, _, _ = run(["ldr     r0, [r1, #1]",
                         "str     r0, [r3, #2]",
                         "ldrb    r2, [r1, #2]",
                         "str     r2, [r3, #8]"], mem, (0, 0x2000, 0, OUT))
        self.assertEqual(word(mem, OUT + 2), 0xA1B2C3D4)
        self.assertEqual(word(mem, OUT + 8), 0xC3)

    def test_ldrd_strd(self):
        mem = {}
        put(mem, 0x2008, 1)
        put(mem, 0x200C, 2)
        mem, _, _ = run(["ldrd    r0, r2, [r1, #8]", "strd    r2, r0, [r3]"], mem, (0, 0x2000, 0, OUT))
        self.assertEqual((word(mem, OUT), word(mem, OUT + 4)), (2, 1))

    def test_ldm_stm_with_writeback(self):
        mem = {}
        for i in range(4):
            put(mem, 0x2000 + 4 * i, 10 + i)
        mem, regs, _ = run(["ldmia   r1!, {r0, r2, r12}", "stmia   r3, {r0, r2, r12}",
                            "str     r1, [r3, #12]"], mem, (0, 0x2000, 0, OUT))
        self.assertEqual([word(mem, OUT + 4 * i) for i in range(4)], [10, 11, 12, 0x200C])
        with self.assertRaises(AssertionError):  # LDM faults on an unaligned address
            run(["ldmia   r1, {r0, r2}"], {}, (0, 0x2002, 0, OUT))
        with self.assertRaises(AssertionError):  # register lists ascend
            run(["ldmia   r1, {r2, r0}"], {}, (0, 0x2000, 0, OUT))

    def test_push_pop_check_the_callee_saved_registers_and_sp(self):
        _, regs, n = run(["sub     sp, sp, #16", "str     r3, [sp, #4]", "add     sp, sp, #16"])
        self.assertEqual(n, 5)
        self.assertEqual(regs["sp"], 0x20000000)
        with self.assertRaises(AssertionError):
            run(["str     r0, [sp, #0]"])  # overwrites the saved r4
        with self.assertRaises(AssertionError):
            run(["sub     sp, sp, #8"])  # returns with sp moved


class ControlFlowTest(unittest.TestCase):
    def test_cmp_tst_and_conditional_branches(self):
        body = ["mov     r0, #0",
                "cmp     r1, r2",
                "beq     .Lequal",
                "orr     r0, r0, #1",
                ".Lequal:",
                "tst     r1, #2",
                "bne     .Lbit",
                "orr     r0, r0, #4",
                ".Lbit:",
                "b       .Lend",
                "orr     r0, r0, #8",
                ".Lend:"]
        for r1, r2, want in ((5, 5, 4), (5, 6, 5), (2, 2, 0), (2, 3, 1)):
            with self.subTest(r1=r1, r2=r2):
                _, regs, _ = run(body, args=(0, r1, r2, OUT))
                self.assertEqual(regs["r0"], want)

    def test_adr_and_ldr_pc(self):
        body = ["adr     r0, .Lthere",
                "orr     r0, r0, #1",
                "str     r0, [r3]",
                "ldr     pc, [r3]",
                "mov     r1, #1",
                ".Lthere:",
                "mov     r2, #2"]
        mem, regs, n = run(body)
        self.assertEqual(word(mem, OUT), CODE_BASE + 4 * 6 + 1)  # line 6 (push is 0)
        self.assertEqual((regs["r1"], regs["r2"], n), (0, 2, 7))

    def test_entry_label(self):
        asm = "\n".join(["a:", "mov     r0, #1", "b:", "push    {r4-r11, lr}",
                         "pop     {r4-r11, pc}"])
        n, regs = simulate(asm, {}, (9, 0, 0, 0), "b")
        self.assertEqual((n, regs["r0"]), (2, 9))

    def test_unknown_instruction_is_refused(self):
        with self.assertRaises(ValueError):
            run(["mul     r0, r1, r2"])


if __name__ == "__main__":
    unittest.main()
