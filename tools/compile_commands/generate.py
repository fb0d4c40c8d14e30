#!/usr/bin/python3
"""compile_commands.json from `bazel aquery --output=jsonproto` output.

    generate.py --workspace=DIR --execution-root=DIR --output-base=DIR
        --aquery=FILE[@CONFIG]... > compile_commands.json

Each --aquery file holds the CppCompile actions of one Bazel invocation
(tools/compile_commands.sh runs one per configuration, host or board);
CONFIG is that invocation's own output directory name (e.g. k8-fastbuild,
k8-fastbuildmps3_an536), the configuration whose flags a file should get
first: a host aquery also holds the board images' compiles, reached
through their platform transition. One entry per source file; it comes
from the first --aquery that compiles the file, from CONFIG's compile if
there is one, else from the first configuration that compiles it (so a
host run gives board-only files, such as the boards' start-up code, their
board flags).

Entries name the workspace as their directory and the compiler's own
arguments, with Bazel's relative output and external paths (bazel-out/...,
external/...) made absolute, so that clangd and other tools need none of
Bazel's symlinks, and without the GCC-only flags clang would reject
(GCC_ONLY_FLAGS). Board entries keep the arm-none-eabi-gcc command: run
clangd with --query-driver=<its path> so it asks that compiler for its
target and built-in include directories.
"""

import argparse
import json
import os
import re
import sys

# GCC flags that clang rejects as unknown, with no meaning for an editor:
# this one only shapes the paths in GCC's own dependency files.
GCC_ONLY_FLAGS = frozenset(["-fno-canonical-system-headers"])

_PATH_ARG = re.compile(r"^(?P<flag>-[^/=]*?=?)?(?P<path>(?:bazel-out|external)/.*)$")


def absolutize(arg, execution_root, output_base):
    """bazel-out/... and external/... (alone or after a flag) made absolute."""
    match = _PATH_ARG.match(arg)
    if not match:
        return arg
    path = match.group("path")
    if path.startswith("external/"):
        path = os.path.join(output_base, path)
    else:
        path = os.path.join(execution_root, path)
    return (match.group("flag") or "") + path


def source_of(arguments):
    """The file compiled: the argument after -c."""
    for index, arg in enumerate(arguments[:-1]):
        if arg == "-c":
            return arguments[index + 1]
    return None


def compiles(aquery):
    """(configuration name, source, arguments) of each CppCompile action."""
    configurations = {c["id"]: c["mnemonic"] for c in aquery.get("configuration", [])}
    for action in aquery.get("actions", []):
        if action.get("mnemonic") != "CppCompile":
            continue
        arguments = action.get("arguments", [])
        source = source_of(arguments)
        if source:
            yield configurations.get(action.get("configurationId"), ""), source, arguments


def generate(aqueries, workspace, execution_root, output_base):
    """aqueries: [(parsed aquery JSON, preferred configuration name or "")]."""
    chosen = {}  # source -> (rank, entry)
    for index, (aquery, preferred) in enumerate(aqueries):
        for config, source, arguments in compiles(aquery):
            rank = (index, 0 if config == preferred else 1)
            if source in chosen and chosen[source][0] <= rank:
                continue
            if source.startswith(("bazel-out/", "external/")):
                path = absolutize(source, execution_root, output_base)
            else:
                path = os.path.join(workspace, source)
            chosen[source] = (rank, {
                "directory": workspace,
                "file": path,
                "arguments": [absolutize(a, execution_root, output_base)
                              for a in arguments if a not in GCC_ONLY_FLAGS],
            })
    return [chosen[source][1] for source in sorted(chosen)]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--execution-root", required=True)
    parser.add_argument("--output-base", required=True)
    parser.add_argument("--aquery", action="append", required=True,
                        help="FILE[@CONFIG]: aquery --output=jsonproto output")
    args = parser.parse_args(argv[1:])

    aqueries = []
    for spec in args.aquery:
        path, _, preferred = spec.partition("@")
        with open(path) as f:
            aqueries.append((json.load(f), preferred))
    entries = generate(aqueries, args.workspace, args.execution_root, args.output_base)
    json.dump(entries, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
