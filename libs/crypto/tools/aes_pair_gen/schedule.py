"""The order of a round's ops: their dependencies and the seeded search
for the order (and two allocator knobs) that the allocator turns into the
fewest instructions."""

import hashlib
import json
import os
import random

from aes_pair_gen.regalloc import AllocError, allocate


def dependencies(ops):
    """deps[i]: ops that must precede op i. The AddRoundKey ops (from the
    key-pointer load on), if any, stay after everything else and in their
    order."""
    prod = {}
    for i, o in enumerate(ops):
        for d in o["dst"]:
            prod[d] = i
    ark = next((i for i, o in enumerate(ops) if o["op"] in ("ldkp", "ldkpend")), len(ops))
    deps = []
    for i, o in enumerate(ops):
        d = {prod[s] for s in o["src"] if s in prod}
        if i == ark:
            d |= set(range(ark))
        elif i > ark and o["op"] in ("ldm", "stkp", "cmp"):
            d.add(i - 1)
        deps.append(d)
    return deps


def optimize_order(ops, outs, live_in, pref, seed, iters):
    """Searches a topological order of the round's ops (and two allocator
    knobs) for the fewest instructions: greedy list schedules with random
    weights, then random single-op moves kept when not worse. Deterministic
    for a given seed."""
    rng = random.Random(seed)
    n = len(ops)
    deps = dependencies(ops)
    users = [[] for _ in ops]
    for i in range(n):
        for d in deps[i]:
            users[d].append(i)

    def cost(order, params):
        try:
            n, _ = allocate([ops[i] for i in order], live_in, pref, params, outs, text=False)
        except AllocError:
            return 10**6
        return n

    # Per op, for the greedy score: its sources (and each once), results.
    srcs = [o["src"] for o in ops]
    distinct = [tuple(set(s)) for s in srcs]
    n_dst = [len(o["dst"]) for o in ops]
    n_src = [max(1, len(s)) for s in srcs]
    uses = {}
    for s in srcs:
        for v in s:
            uses[v] = uses.get(v, 0) + 1

    def greedy(w):
        """A list schedule: of the ready ops, the one scoring highest for
        w: values it kills, results it makes, how recently its sources
        were made, noise, and its position in the op list."""
        w0, w1, w2, w3, w4 = w
        random = rng.random
        left = dict(uses)
        indeg = [len(deps[i]) for i in range(n)]
        ready = [i for i in range(n) if indeg[i] == 0]
        born = {}
        order = []
        while ready:
            after = len(order) + 1
            best = None
            for i in ready:
                kills = 0
                for v in distinct[i]:
                    if left[v] == 1:
                        kills += 1
                recent = 0
                for v in srcs[i]:
                    recent += born.get(v, 0)
                recent = recent / n_src[i]
                score = (w0 * kills - w1 * n_dst[i] + w2 * recent / after
                         + w3 * random() - w4 * i / n)
                if best is None or score > best_score:
                    best, best_score = i, score
            ready.remove(best)
            order.append(best)
            for v in srcs[best]:
                left[v] -= 1
            for v in ops[best]["dst"]:
                born[v] = len(order)
            for u in users[best]:
                indeg[u] -= 1
                if indeg[u] == 0:
                    ready.append(u)
        return order

    best_order = list(range(n))
    best_params = {"pair_far": 12, "reload_window": 6}
    best = cost(best_order, best_params)
    for _ in range(iters // 4):
        w = [rng.uniform(0, 3) for _ in range(5)]
        params = {"pair_far": rng.choice([4, 8, 12, 20]), "reload_window": rng.choice([2, 4, 6, 10])}
        order = greedy(w)
        c = cost(order, params)
        if c < best:
            best, best_order, best_params = c, order, params
    order = list(best_order)
    for _ in range(iters):
        pos = {op: k for k, op in enumerate(order)}
        k = rng.randrange(n)
        op = order[k]
        lo = max([pos[d] for d in deps[op]], default=-1) + 1
        hi = min([pos[u] for u in users[op]], default=n)
        if hi - lo < 2:
            continue
        t = rng.randrange(lo, hi)
        cand = order[:k] + order[k + 1:]
        cand.insert(t if t < k else t - 1 + (1 if t > k else 0) - (1 if t > k else 0), op)
        c = cost(cand, best_params)
        if c <= best:
            best, order = c, cand
    return [ops[i] for i in order], best_params


SEARCH_ITERS = 5000


# --------------------------------------------------------------------------
# Recorded searches. Every search is deterministic, but the eight of the
# generator take ~20 s together, so their results are checked in
# (search_orders.json): per search its name, a digest of its inputs, the
# order found (indices into the op list) and the allocator knobs. emit uses a
# record when the digest matches and searches otherwise;
# //libs/crypto/tools/aes_pair_gen:search_test re-runs every recorded search
# and compares.

ORDERS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "search_orders.json")


def search_digest(ops, outs, live_in, pref, seed, iters):
    """Identifies a search by everything its result depends on."""
    text = json.dumps([ops, outs, live_in, pref, seed, iters], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def load_orders(path=ORDERS_FILE):
    with open(path) as f:
        return json.load(f)


def dump_orders(records):
    """The file's text (JSON): searches by name, orders wrapped at 100
    columns."""
    out = []
    for name in sorted(records):
        r = records[name]
        nums = [str(i) for i in r["order"]]
        rows, row = [], []
        for x in nums:
            if row and len("      " + ", ".join(row + [x]) + ",") > 100:
                rows.append(", ".join(row))
                row = []
            row.append(x)
        rows.append(", ".join(row))
        out.append('  %s: {\n    "digest": %s,\n    "params": %s,\n    "order": [\n      %s\n    ]\n  }'
                   % (json.dumps(name), json.dumps(r["digest"]),
                      json.dumps(r["params"], sort_keys=True), ",\n      ".join(rows)))
    return "{\n" + ",\n".join(out) + "\n}\n"


class Searcher:
    """Gives each named search's op order and knobs: from records (name ->
    {"digest", "order", "params"}) when the inputs' digest matches, else by
    running optimize_order (then the name is in misses). requests keeps
    every search's inputs; results what was used, as records."""

    def __init__(self, records=None):
        self.records = records or {}
        self.requests = {}
        self.results = {}
        self.misses = []

    def order(self, name, ops, outs, live_in, pref, seed, iters=None):
        iters = SEARCH_ITERS if iters is None else iters
        assert name not in self.requests, name
        digest = search_digest(ops, outs, live_in, pref, seed, iters)
        self.requests[name] = {"ops": ops, "outs": outs, "live_in": live_in, "pref": pref,
                               "seed": seed, "iters": iters}
        rec = self.records.get(name)
        if rec is not None and rec["digest"] == digest:
            order, params = rec["order"], rec["params"]
        else:
            self.misses.append(name)
            order, params = search_order(ops, outs, live_in, pref, seed, iters)
        self.results[name] = {"digest": digest, "order": list(order), "params": dict(params)}
        return [ops[i] for i in order], dict(params)


def search_order(ops, outs, live_in, pref, seed, iters):
    """optimize_order's result as indices into ops."""
    found, params = optimize_order(ops, outs, live_in, pref, seed, iters)
    index = {id(o): i for i, o in enumerate(ops)}
    return [index[id(o)] for o in found], params
