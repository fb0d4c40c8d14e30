"""//libs/crypto:aes_pair_arm_regen_test: libs/crypto/aes_pair_arm.S is
byte for byte what the generator emits (from the recorded search orders,
which must match the generator's current inputs), and the emitted code, run
on the generator's simulator, agrees with a textbook AES on every entry
point and path (aes_pair_gen/check.py). That the recorded orders are what
the search finds is //libs/crypto/tools/aes_pair_gen:search_test."""

import difflib
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aes_pair_gen.check import check  # noqa: E402
from aes_pair_gen.emit import emit  # noqa: E402
from aes_pair_gen.schedule import Searcher, load_orders  # noqa: E402

CHECKED_IN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "aes_pair_arm.S")
REGENERATE = "python3 libs/crypto/tools/gen_aes_pair_arm.py > libs/crypto/aes_pair_arm.S"


class RegenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.records = load_orders()
        cls.searcher = Searcher(cls.records)
        cls.asm, cls.stats = emit(cls.searcher)

    def test_recorded_orders_match_the_inputs(self):
        self.assertEqual(self.searcher.misses, [],
                         "search_orders.json is stale for these searches: run "
                         "python3 libs/crypto/tools/gen_aes_pair_arm.py --record-orders")
        self.assertEqual(sorted(self.records), sorted(self.searcher.requests),
                         "search_orders.json records searches the generator does not make")

    def test_checked_in_file_is_the_output(self):
        with open(CHECKED_IN) as f:
            checked_in = f.read()
        if checked_in != self.asm:
            diff = difflib.unified_diff(checked_in.splitlines(), self.asm.splitlines(),
                                        "aes_pair_arm.S (checked in)", "generator", lineterm="")
            self.fail("aes_pair_arm.S is stale: run %s\n%s"
                      % (REGENERATE, "\n".join(list(diff)[:50])))

    def test_emitted_code_simulates_to_aes(self):
        counts = check(self.asm)
        # The dynamic counts the README quotes (instructions per pair).
        self.assertEqual(counts[10], 2157)
        self.assertEqual(counts[14], 2976)


if __name__ == "__main__":
    unittest.main()
