#!/usr/bin/python3
"""Bazel 4.2.3's coverage tools for C++ built with GCC, offline.

Bazel runs two tools from @remote_coverage_tools (normally a Java program it
downloads). Both are this file; which one runs follows from the name it is
called by:

lcov_merger  (at the end of each test under `bazel coverage`)
    --coverage_dir=DIR --output_file=FILE [--filter_sources=REGEX]...
    [--source_file_manifest=FILE] [other flags, ignored]
  Bazel's collect_cc_coverage.sh has run gcov on the test's .gcda files and
  left gcov's JSON reports (*.gcov.json.gz, GCC >= 9) in DIR. They become
  one LCOV tracefile, FILE (the test's coverage.dat): only sources listed in
  the manifest, none matching a filter, paths relative to the workspace.
  LCOV tracefiles (*.dat) already in DIR are merged in too.

coverage_report_generator  (--combined_report=lcov)
    --reports_file=FILE --output_file=FILE [other flags, ignored]
  Merges the tracefiles listed in the reports file (one path a line) into
  one (bazel-out/_coverage/_coverage_report.dat).

Counts of the same line, function or branch add up across reports.
tools/coverage.sh turns the combined tracefile into an HTML report.
"""

import argparse
import glob
import gzip
import json
import os
import re
import sys

# file -> {"lines": {line: count}, "functions": {name: [line, count]},
#          "branches": {(line, block, branch): count or None}}
Coverage = dict


def _file_entry(coverage, path):
    return coverage.setdefault(path, {"lines": {}, "functions": {}, "branches": {}})


def _workspace_path(path):
    """Paths as the compiler saw them, relative to the execution root."""
    for prefix in ("/proc/self/cwd/", "./"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return os.path.normpath(path)


def add_gcov_json(coverage, report):
    """Adds one gcov JSON report (gcov -i of GCC 9 and later)."""
    for source in report.get("files", []):
        entry = _file_entry(coverage, _workspace_path(source["file"]))
        for function in source.get("functions", []):
            name = function.get("demangled_name") or function["name"]
            known = entry["functions"].setdefault(name, [function["start_line"], 0])
            known[1] += function["execution_count"]
        for line in source.get("lines", []):
            number = line["line_number"]
            entry["lines"][number] = entry["lines"].get(number, 0) + line["count"]
            for index, branch in enumerate(line.get("branches", [])):
                key = (number, 0, index)
                taken = branch["count"] if line["count"] > 0 else None
                before = entry["branches"].get(key)
                if before is None:
                    entry["branches"][key] = taken
                elif taken is not None:
                    entry["branches"][key] = before + taken


def add_lcov(coverage, text):
    """Adds one LCOV tracefile."""
    entry = None
    for raw in text.splitlines():
        line = raw.strip()
        tag, _, value = line.partition(":")
        if tag == "SF":
            entry = _file_entry(coverage, _workspace_path(value))
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
            taken = None if taken == "-" else int(taken)
            before = entry["branches"].get(key)
            entry["branches"][key] = (taken if before is None
                                      else before if taken is None else before + taken)
        elif tag == "end_of_record":
            entry = None


def to_lcov(coverage):
    """The tracefile: files, functions, branches and lines in sorted order."""
    out = []
    for path in sorted(coverage):
        entry = coverage[path]
        out.append("SF:%s" % path)
        functions = sorted(entry["functions"].items(), key=lambda item: (item[1][0], item[0]))
        for name, (number, _) in functions:
            out.append("FN:%d,%s" % (number, name))
        for name, (_, count) in functions:
            out.append("FNDA:%d,%s" % (count, name))
        out.append("FNF:%d" % len(functions))
        out.append("FNH:%d" % sum(1 for _, (_, count) in functions if count > 0))
        branches = sorted(entry["branches"].items())
        for (number, block, branch), taken in branches:
            out.append("BRDA:%d,%d,%d,%s" % (number, block, branch, "-" if taken is None else taken))
        out.append("BRF:%d" % len(branches))
        out.append("BRH:%d" % sum(1 for _, taken in branches if taken))
        lines = sorted(entry["lines"].items())
        for number, count in lines:
            out.append("DA:%d,%d" % (number, count))
        out.append("LH:%d" % sum(1 for _, count in lines if count > 0))
        out.append("LF:%d" % len(lines))
        out.append("end_of_record")
    return "\n".join(out) + ("\n" if out else "")


def _merge_entry(into, entry):
    for number, count in entry["lines"].items():
        into["lines"][number] = into["lines"].get(number, 0) + count
    for name, (number, count) in entry["functions"].items():
        into["functions"].setdefault(name, [number, 0])[1] += count
    for key, taken in entry["branches"].items():
        before = into["branches"].get(key)
        into["branches"][key] = (taken if before is None
                                 else before if taken is None else before + taken)


def map_virtual_includes(coverage, allowed):
    """Headers seen through bazel-out/.../_virtual_includes/<target>/<path>
    (the symlink trees of cc_library's include_prefix/strip_include_prefix)
    are reported under the one instrumented source that ends in <path>."""
    for path in list(coverage):
        if "/_virtual_includes/" not in path:
            continue
        tail = path.split("/_virtual_includes/", 1)[1].partition("/")[2]
        sources = [a for a in allowed if a == tail or a.endswith("/" + tail)]
        if len(sources) == 1:
            _merge_entry(_file_entry(coverage, sources[0]), coverage.pop(path))


def keep_only(coverage, allowed, filters):
    """Drops files not in allowed (when given) or matching a filter."""
    patterns = [re.compile(f) for f in filters]
    for path in list(coverage):
        if (allowed is not None and path not in allowed) or any(p.match(path) for p in patterns):
            del coverage[path]


def lcov_merger(argv):
    parser = argparse.ArgumentParser(prog="lcov_merger")
    parser.add_argument("--coverage_dir", required=True)
    parser.add_argument("--output_file", required=True)
    parser.add_argument("--filter_sources", action="append", default=[])
    parser.add_argument("--source_file_manifest")
    args, _ = parser.parse_known_args(argv)

    coverage = {}
    for path in sorted(glob.glob(os.path.join(args.coverage_dir, "**", "*.gcov.json.gz"),
                                 recursive=True)):
        with gzip.open(path, "rt") as report:
            add_gcov_json(coverage, json.load(report))
    for path in sorted(glob.glob(os.path.join(args.coverage_dir, "**", "*.dat"), recursive=True)):
        if os.path.abspath(path) != os.path.abspath(args.output_file):
            with open(path) as report:
                add_lcov(coverage, report.read())

    allowed = None
    if args.source_file_manifest and os.path.exists(args.source_file_manifest):
        with open(args.source_file_manifest) as manifest:
            allowed = {_workspace_path(line.strip()) for line in manifest if line.strip()}
    if os.environ.get("VERBOSE_COVERAGE"):
        print("lcov_merger: sources in the reports: %s" % sorted(coverage), file=sys.stderr)
        print("lcov_merger: instrumented sources: %s" % sorted(allowed or []), file=sys.stderr)
    if allowed is not None:
        map_virtual_includes(coverage, allowed)
    keep_only(coverage, allowed, args.filter_sources)
    with open(args.output_file, "w") as out:
        out.write(to_lcov(coverage))
    return 0


def coverage_report_generator(argv):
    parser = argparse.ArgumentParser(prog="coverage_report_generator")
    parser.add_argument("--reports_file", required=True)
    parser.add_argument("--output_file", required=True)
    args, _ = parser.parse_known_args(argv)

    coverage = {}
    with open(args.reports_file) as reports:
        for path in (line.strip() for line in reports):
            if path and os.path.exists(path):
                with open(path) as report:
                    add_lcov(coverage, report.read())
    with open(args.output_file, "w") as out:
        out.write(to_lcov(coverage))
    return 0


def main(argv):
    tool = os.path.basename(argv[0])
    if tool.startswith("coverage_report_generator"):
        return coverage_report_generator(argv[1:])
    if tool.startswith("lcov_merger"):
        return lcov_merger(argv[1:])
    print("coverage_tools.py: call me as lcov_merger or coverage_report_generator", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
