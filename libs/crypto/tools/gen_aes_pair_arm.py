#!/usr/bin/env python3
"""Generates libs/crypto/aes_pair_arm.S, the fixsliced AES block-pair core in
Thumb-2 assembly for the Cortex-R boards.

Why a generator: a round is ~200 instructions over ~60 short-lived values
and 14 registers; allocating registers and spill slots by hand is where
mistakes hide. The generator writes every round as the same straight-line
gate list as the C++ reference (aes_bitslice.h, aes.cc), allocates registers
(furthest-next-use eviction, spills paired into STRD/LDRD), and tracks a
pending rotation per value so that every word and lane rotation of
MixColumns ends up in the barrel shifter of a later EOR/AND.

    python3 libs/crypto/tools/gen_aes_pair_arm.py > libs/crypto/aes_pair_arm.S
    python3 libs/crypto/tools/gen_aes_pair_arm.py --check   # simulate vs. AES

The parts live in aes_pair_gen/ (ir, regalloc, schedule, emit, armsim,
reference_aes, check). The rounds' op orders come from a seeded search
that takes ~20 s; its results are recorded in aes_pair_gen/search_orders.json
and used when their inputs are unchanged (else the search runs; after
changing the IR, the seeds or the search, run --record-orders).

--check runs the emitted assembly on a small simulator of the instructions
used and compares it with a textbook AES (FIPS-197 vectors plus random keys);
the board tests compare the real thing with the C++ core.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aes_pair_gen.check import check  # noqa: E402
from aes_pair_gen.emit import emit  # noqa: E402
from aes_pair_gen.schedule import ORDERS_FILE, Searcher, dump_orders, load_orders  # noqa: E402

USAGE = """usage: gen_aes_pair_arm.py [--check | --stats | --search | --record-orders]
  (none)           print aes_pair_arm.S (rounds in the recorded orders)
  --check          simulate the emitted code against a textbook AES
  --stats          static instruction counts per part
  --search         print aes_pair_arm.S, every order searched afresh (~20 s)
  --record-orders  search afresh and rewrite aes_pair_gen/search_orders.json
"""


def main(argv):
    if any(a not in ("--check", "--stats", "--search", "--record-orders") for a in argv):
        sys.stderr.write(USAGE)
        return 2
    fresh = "--search" in argv or "--record-orders" in argv
    searcher = Searcher() if fresh else Searcher(load_orders())
    asm, stats = emit(searcher)
    if searcher.misses and not fresh:
        print("searched (no matching record): %s; --record-orders updates %s"
              % (", ".join(searcher.misses), ORDERS_FILE), file=sys.stderr)
    if "--record-orders" in argv:
        with open(ORDERS_FILE, "w") as f:
            f.write(dump_orders(searcher.results))
        print("wrote", ORDERS_FILE, file=sys.stderr)
        return 0
    if "--check" in argv:
        counts = check(asm)
        print("ok; instructions per pair by rounds:", counts, file=sys.stderr)
        print("per-part static counts:", stats, file=sys.stderr)
        return 0
    if "--stats" in argv:
        print(stats)
        return 0
    sys.stdout.write(asm)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
