#!/usr/bin/python3
"""Converts an LCOV tracefile into a gcovr JSON tracefile.

    lcov_to_gcovr.py IN.dat OUT.json

`bazel coverage` writes LCOV (its standard format); Debian's gcovr 5.2 reads
gcov data or its own JSON (format 0.3, `gcovr --add-tracefile`), not LCOV.
Lines (DA), functions (FN/FNDA) and branches (BRDA, a branch never reached
counting as not taken) carry over; a file listed twice is merged.
"""

import json
import sys

GCOVR_JSON_FORMAT = "0.3"  # gcovr 5.2's JSON_FORMAT_VERSION


def parse_lcov(text):
    files = {}
    entry = None
    for raw in text.splitlines():
        tag, _, value = raw.strip().partition(":")
        if tag == "SF":
            entry = files.setdefault(value, {"lines": {}, "functions": {}, "branches": {}})
        elif entry is None:
            continue
        elif tag == "FN":
            number, _, name = value.partition(",")
            entry["functions"].setdefault(name, [int(number), 0])
        elif tag == "FNDA":
            count, _, name = value.partition(",")
            entry["functions"].setdefault(name, [0, 0])[1] += int(count)
        elif tag == "DA":
            number, count = value.split(",")[:2]
            entry["lines"][int(number)] = entry["lines"].get(int(number), 0) + int(count)
        elif tag == "BRDA":
            number, block, branch, taken = value.split(",", 3)
            key = (int(number), int(block), int(branch))
            entry["branches"][key] = entry["branches"].get(key, 0) + (0 if taken == "-" else int(taken))
        elif tag == "end_of_record":
            entry = None
    return files


def to_gcovr(files):
    out = []
    for path in sorted(files):
        entry = files[path]
        branches_by_line = {}
        for (number, block, branch), count in sorted(entry["branches"].items()):
            branches_by_line.setdefault(number, []).append(
                {"count": count, "fallthrough": False, "throw": False})
        lines = []
        for number in sorted(set(entry["lines"]) | set(branches_by_line)):
            lines.append({
                "line_number": number,
                "count": entry["lines"].get(number, 0),
                "branches": branches_by_line.get(number, []),
                "gcovr/noncode": False,
                "gcovr/excluded": False,
            })
        functions = [{"name": name, "lineno": number, "execution_count": count}
                     for name, (number, count) in sorted(entry["functions"].items())]
        out.append({"file": path, "lines": lines, "functions": functions})
    return {"gcovr/format_version": GCOVR_JSON_FORMAT, "files": out}


def main(argv):
    if len(argv) != 3:
        print("usage: lcov_to_gcovr.py IN.dat OUT.json", file=sys.stderr)
        return 2
    with open(argv[1]) as lcov:
        files = parse_lcov(lcov.read())
    with open(argv[2], "w") as out:
        json.dump(to_gcovr(files), out, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
