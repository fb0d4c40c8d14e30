"""//libs/crypto/tools/aes_pair_gen:schedule_test: the order search gives
a permutation of the op list with every op after the ops it depends on
(AddRoundKey's tail kept last and in order), is deterministic for a seed
and never worse than the op list's own order; a Searcher uses a record
only when its digest matches the inputs; the records' file format round-
trips. Small searches (a few hundred steps) keep it fast."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.ir import Prog, add_round_key, sbox  # noqa: E402
from aes_pair_gen.regalloc import allocate  # noqa: E402
from aes_pair_gen.schedule import (Searcher, dependencies, dump_orders, load_orders,  # noqa: E402
                                   optimize_order, search_digest, search_order)

ITERS = 400
KNOBS = {"pair_far", "reload_window"}


def small_round(with_key=True):
    """The S-box circuit (and AddRoundKey): the search's real input."""
    p = Prog()
    out = sbox(p, [("in%d" % j, 0) for j in range(8)])
    if with_key:
        out = add_round_key(p, out, check_end=True)
    live_in = {"in%d" % j: "r%d" % (4 + j) for j in range(8)}
    return p.ops, [o[0] for o in out], live_in


class DependenciesTest(unittest.TestCase):
    def test_producers_and_the_key_tail(self):
        p = Prog()
        a = p.xor(("x", 0), ("y", 0))
        b = p.and_(("x", 0), ("y", 0))
        c = p.xor(a, b)
        add_round_key(p, [c] * 8, check_end=True)
        deps = dependencies(p.ops)
        self.assertEqual(deps[0], set())
        self.assertEqual(deps[1], set())
        self.assertEqual(deps[2], {0, 1})
        ark = 3  # the key-pointer load: after every op before it
        self.assertEqual(p.ops[ark]["op"], "ldkpend")
        self.assertEqual(deps[ark], {0, 1, 2})
        for i, o in enumerate(p.ops):
            if i > ark and o["op"] in ("ldm", "stkp", "cmp"):
                self.assertIn(i - 1, deps[i])


class OrderSearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ops, cls.outs, cls.live_in = small_round()
        cls.order, cls.params = search_order(cls.ops, cls.outs, cls.live_in, {}, 3, ITERS)

    def test_order_is_a_permutation(self):
        self.assertEqual(sorted(self.order), list(range(len(self.ops))))
        self.assertNotEqual(self.order, list(range(len(self.ops))))

    def test_every_op_after_its_dependencies(self):
        pos = {op: k for k, op in enumerate(self.order)}
        for i, deps in enumerate(dependencies(self.ops)):
            for d in deps:
                self.assertLess(pos[d], pos[i], "op %d before its dependency %d" % (i, d))

    def test_key_tail_stays_last_in_order(self):
        # From the key-pointer load on, the ops fill the end of the order,
        # the loads, store and compare in their list order.
        ark = next(i for i, o in enumerate(self.ops) if o["op"] == "ldkpend")
        tail = self.order[ark:]
        self.assertEqual(sorted(tail), list(range(ark, len(self.ops))))
        self.assertEqual([i for i in tail if self.ops[i]["op"] != "eor"],
                         [i for i in range(ark, len(self.ops)) if self.ops[i]["op"] != "eor"])

    def test_deterministic_and_not_worse_than_the_list_order(self):
        again = search_order(self.ops, self.outs, self.live_in, {}, 3, ITERS)
        self.assertEqual(again, (self.order, self.params))
        self.assertEqual(set(self.params), KNOBS)

        def cost(order, params):
            n, _ = allocate([self.ops[i] for i in order], self.live_in, {}, params, self.outs,
                            text=False)
            return n
        start = cost(range(len(self.ops)), {"pair_far": 12, "reload_window": 6})
        self.assertLessEqual(cost(self.order, self.params), start)

    def test_optimize_order_returns_the_ops_themselves(self):
        ops, params = optimize_order(self.ops, self.outs, self.live_in, {}, 3, ITERS)
        self.assertEqual([id(o) for o in ops], [id(self.ops[i]) for i in self.order])


class SearcherTest(unittest.TestCase):
    def test_records_are_used_only_for_matching_inputs(self):
        ops, outs, live_in = small_round(with_key=False)
        fresh = Searcher()
        got, params = fresh.order("s", ops, outs, live_in, {}, 1, iters=40)
        self.assertEqual(fresh.misses, ["s"])
        self.assertEqual(fresh.requests["s"]["seed"], 1)
        record = fresh.results["s"]
        self.assertEqual(record["digest"], search_digest(ops, outs, live_in, {}, 1, 40))

        # A record with a matching digest is used as is, even a made-up one.
        fake = dict(record, order=list(range(len(ops))))
        hit = Searcher({"s": fake})
        got, _ = hit.order("s", ops, outs, live_in, {}, 1, iters=40)
        self.assertEqual(hit.misses, [])
        self.assertEqual(got, ops)

        # Any change of the inputs (here the seed) is a miss: searched.
        miss = Searcher({"s": fake})
        got, _ = miss.order("s", ops, outs, live_in, {}, 2, iters=40)
        self.assertEqual(miss.misses, ["s"])
        self.assertNotEqual(miss.results["s"]["digest"], fake["digest"])

    def test_dump_and_load_round_trip(self):
        records = {
            "b": {"digest": "00ff", "params": {"reload_window": 2, "pair_far": 4},
                  "order": list(range(60))[::-1]},
            "a": {"digest": "abcd", "params": {"pair_far": 12, "reload_window": 6}, "order": [0]},
        }
        text = dump_orders(records)
        self.assertEqual(json.loads(text), records)
        self.assertTrue(all(len(line) <= 100 for line in text.splitlines()))
        self.assertLess(text.index('"a"'), text.index('"b"'))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(text)
        try:
            self.assertEqual(load_orders(f.name), records)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
