"""//libs/crypto/tools/aes_pair_gen:emit_test: the text emit.py writes.
Small pieces give the expected instructions exactly (SR^2 on the output
words, the continuation choice, the CTR tail's LDM groups); a round built
from a given order ends with the state where it was asked to be; and the
whole file (from the recorded orders) is well formed: every branch target
is defined, every entry is global, typed and sized, no spill slot lies
outside the frame, and the static counts match the text."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen import emit as emit_mod  # noqa: E402
from aes_pair_gen.regalloc import REGS  # noqa: E402

ENTRIES = ["crypto_aes_fixsliced_pair_arm", "crypto_aes_fixsliced_pair_from_round2_mix_arm",
           "crypto_aes_ctr_pairs_from_round2_mix_arm", "crypto_aes_ctr_window_arm",
           "crypto_aes_ctr_rows_arm"]


def collect(fn):
    """fn(w, ins) calls an emit_* helper; returns what it wrote, line by
    line, without the indentation."""
    out = []
    fn(out.append, out.append)
    return [l.strip() for l in out]


class InListOrder:
    """A searcher that keeps the op list's order (no search)."""

    def __init__(self):
        self.names = []

    def order(self, name, ops, outs, live_in, pref, seed, iters=None):
        self.names.append(name)
        return list(ops), {"pair_far": 12, "reload_window": 6}


class PiecesTest(unittest.TestCase):
    def test_sr2(self):
        fin = ["r%d" % j for j in range(8)]
        lines = collect(lambda w, ins: emit_mod.emit_sr2(ins, fin, "r12"))
        want = []
        for a0, a2 in (("r0", "r4"), ("r1", "r5"), ("r2", "r6"), ("r3", "r7")):
            want += ["eor     r12, %s, %s" % (a0, a2), "and     r12, r12, #0xff00ff00",
                     "eor     %s, %s, r12" % (a0, a0), "eor     %s, %s, r12" % (a2, a2)]
        self.assertEqual(lines, want)

    def test_continuation_choice(self):
        lines = collect(lambda w, ins: emit_mod.emit_continuation_choice(
            w, ins, "r12", ".La_sr", ".La", "t"))
        self.assertEqual(lines, [
            "adr     r12, .La_sr",
            "tst     r1, #2",
            "bne     .Lcont_t",
            "adr     r12, .La",
            ".Lcont_t:",
            "orr     r12, r12, #1                 // Thumb state",
            "str     r12, [sp, #%d]" % emit_mod.CONT_OFF,
        ])

    def test_ctr_xor_ldm_groups(self):
        # Three temporaries (given out of order): groups of 3, 3 and 2
        # words; memory word m is fin[2 (m % 4) + m // 4].
        fin = ["r%d" % j for j in range(8)]
        lines = collect(lambda w, ins: emit_mod.emit_ctr_xor_ldm(
            ins, fin, "r9", "r10", ["r12", "r8", "lr"], None))
        self.assertEqual(lines[0], "ldmia   r9!, {r8, r12, lr}")
        self.assertEqual(lines[1:7], ["eor     r8, r8, r0", "str     r8, [r10, #0]",
                                      "eor     r12, r12, r2", "str     r12, [r10, #4]",
                                      "eor     lr, lr, r4", "str     lr, [r10, #8]"])
        self.assertEqual(lines[7], "ldmia   r9!, {r8, r12, lr}")
        self.assertEqual(lines[14], "ldmia   r9!, {r8, r12}")
        self.assertEqual(lines[15:19], ["eor     r8, r8, r5", "str     r8, [r10, #24]",
                                        "eor     r12, r12, r7", "str     r12, [r10, #28]"])
        self.assertEqual(len(lines), 19)
        # With the mask: an AND after every EOR.
        lines = collect(lambda w, ins: emit_mod.emit_ctr_xor_ldm(ins, fin, "r9", "r10",
                                                                 ["r8", "r12"], "lr"))
        self.assertEqual(lines[:4], ["ldmia   r9!, {r8, r12}", "eor     r8, r8, r0",
                                     "and     r8, r8, lr", "str     r8, [r10, #0]"])
        self.assertEqual(sum(l.startswith("and") for l in lines), 8)


class RoundTest(unittest.TestCase):
    def test_round_ends_where_asked(self):
        searcher = InListOrder()
        in_map = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]
        want = ["r11", "r10", "r9", "r8", "r7", "r6", "r5", "r4"]
        lines, regs = emit_mod.gen_round(searcher, "m1", 1, in_map, want, check_end=True)
        self.assertEqual(searcher.names, ["m1"])
        self.assertEqual(regs, want)
        self.assertIn("cmp", [l.split()[0] for l in lines])
        self.assertTrue(all(l.split()[0] in ("eor", "and", "ldr", "str", "ldrd", "strd", "ldmia",
                                             "cmp", "mov") for l in lines), lines)
        # The last round without MixColumns or the end check: fewer lines.
        last, _ = emit_mod.gen_round(searcher, "last", None, in_map, None, final=True)
        self.assertNotIn("cmp", [l.split()[0] for l in last])
        self.assertLess(len(last), len(lines))


class WholeFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.asm, cls.stats = emit_mod.emit()
        cls.lines = [l.split("//")[0].strip() for l in cls.asm.splitlines()]

    def test_header_and_entries(self):
        self.assertTrue(self.asm.startswith("// GENERATED by libs/crypto/tools/gen_aes_pair_arm.py"))
        for e in ENTRIES:
            with self.subTest(entry=e):
                self.assertIn(".global %s" % e, self.lines)
                self.assertIn(".type   %s, %%function" % e, self.lines)
                self.assertIn("%s:" % e, self.lines)
                self.assertIn(".size   %s, . - %s" % (e, e), self.lines)

    def test_branch_targets_are_defined(self):
        labels = {l[:-1] for l in self.lines if l.endswith(":")}
        targets = set()
        for l in self.lines:
            m = re.match(r"(b|beq|bne|adr)\s+(?:\w+, )?(\.L\w+)$", l)
            if m:
                targets.add(m.group(2))
        self.assertGreater(len(targets), 10)
        self.assertEqual(targets - labels, set())

    def test_registers_and_frame(self):
        regs = set(REGS) | {"sp", "pc"}
        for l in self.lines:
            for r in re.findall(r"\b(r\d+|lr|sp|pc)\b", l):
                self.assertIn(r, regs, l)
        frame = self.stats["frame"] - 36
        self.assertEqual(self.stats["frame"] % 8, 0)
        body = self.asm[:self.asm.index(".size   crypto_aes_fixsliced_pair_arm")]
        offsets = [int(x) for x in re.findall(r"\[sp, #(\d+)\]", body)]
        self.assertTrue(offsets)
        self.assertLess(max(offsets), frame)

    def test_static_counts_match_the_text(self):
        body = self.asm.split(".Lrounds:")[1].split("beq     .Llast")[0]
        n = sum(1 for l in body.splitlines()
                if l.strip() and not l.strip().startswith("//") and not l.strip().endswith(":"))
        self.assertEqual(n, self.stats["round1"])


if __name__ == "__main__":
    unittest.main()
