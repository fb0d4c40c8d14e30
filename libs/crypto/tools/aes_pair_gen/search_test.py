"""//libs/crypto/tools/aes_pair_gen:search_test: every recorded search
order (search_orders.json) is what the seeded search finds for its inputs
today. Sharded: shard k of n re-runs the searches k, k + n, ... in name
order (one search per shard at shard_count = 8, the slowest ~4 s)."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aes_pair_gen.emit import emit  # noqa: E402
from aes_pair_gen.schedule import Searcher, load_orders, search_order  # noqa: E402


def shard():
    """(index, count) from Bazel's test sharding environment."""
    if "TEST_SHARD_STATUS_FILE" in os.environ:
        open(os.environ["TEST_SHARD_STATUS_FILE"], "w").close()
    return int(os.environ.get("TEST_SHARD_INDEX", 0)), int(os.environ.get("TEST_TOTAL_SHARDS", 1))


class SearchTest(unittest.TestCase):
    def test_recorded_orders_are_what_the_search_finds(self):
        records = load_orders()
        searcher = Searcher(records)
        emit(searcher)  # the inputs of every search, from the recorded orders
        self.assertEqual(searcher.misses, [], "search_orders.json is stale")
        index, count = shard()
        names = sorted(searcher.requests)[index::count]
        for name in names:
            with self.subTest(search=name):
                start = time.time()
                order, params = search_order(**searcher.requests[name])
                print("search %s: %.1f s" % (name, time.time() - start), file=sys.stderr)
                self.assertEqual(params, records[name]["params"])
                self.assertEqual(order, records[name]["order"])


if __name__ == "__main__":
    unittest.main()
