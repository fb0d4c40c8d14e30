#!/usr/bin/python3
"""Checks generate.py on the aquery output of one small target, //libs/kdf:kdf,
captured once for the host and once for the Cortex-R52 board (testdata/):

    bazel aquery --output=jsonproto 'mnemonic("CppCompile", //libs/kdf:kdf)'
    bazel aquery --config=mps3_an536 --output=jsonproto '...same...'
"""

import copy
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402

WORKSPACE = "/src/fw"
EXECUTION_ROOT = "/cache/execroot/cortex_r_secure"
OUTPUT_BASE = "/cache"


def load(name):
    with open(os.path.join(HERE, "testdata", name)) as f:
        return json.load(f)


HOST = load("kdf_host.aquery.json")
BOARD = load("kdf_mps3_an536.aquery.json")


def run(*aqueries):
    return generate.generate(list(aqueries), WORKSPACE, EXECUTION_ROOT, OUTPUT_BASE)


def combined(first, second):
    """One aquery result holding both, as a host query that reaches a board
    image through its transition does (ids of the second shifted)."""
    result = copy.deepcopy(first)
    shift = 1000
    extra = copy.deepcopy(second)
    for config in extra["configuration"]:
        config["id"] += shift
    for action in extra["actions"]:
        action["configurationId"] += shift
    result["configuration"] += extra["configuration"]
    result["actions"] += extra["actions"]
    return result


class GenerateTest(unittest.TestCase):
    def check_common(self, entry):
        self.assertEqual(entry["directory"], WORKSPACE)
        self.assertEqual(entry["file"], WORKSPACE + "/libs/kdf/kdf.cc")
        arguments = entry["arguments"]
        self.assertEqual(arguments[arguments.index("-c") + 1], "libs/kdf/kdf.cc")
        for arg in arguments:
            self.assertFalse(arg.startswith(("bazel-out/", "external/")), arg)
            self.assertNotIn("-Ibazel-out/", arg)
            self.assertNotIn(arg, generate.GCC_ONLY_FLAGS)

    def test_host_entry(self):
        entries = run((HOST, "k8-fastbuild"))
        self.assertEqual(len(entries), 1)
        entry = entries[0]
        self.check_common(entry)
        self.assertEqual(entry["arguments"][0], "/usr/bin/gcc")
        self.assertIn("-std=c++20", entry["arguments"])
        self.assertIn("-I" + EXECUTION_ROOT + "/bazel-out/k8-fastbuild/bin/libs/kdf/_virtual_includes/kdf",
                      entry["arguments"])
        self.assertNotIn("-mcpu=cortex-r52", entry["arguments"])

    def test_board_entry(self):
        entries = run((BOARD, "k8-fastbuildmps3_an536"))
        self.assertEqual(len(entries), 1)
        entry = entries[0]
        self.check_common(entry)
        self.assertTrue(entry["arguments"][0].endswith("/bin/arm-none-eabi-gcc"), entry["arguments"][0])
        for flag in ["-mcpu=cortex-r52", "-mfloat-abi=hard", "-mthumb", "-fno-exceptions"]:
            self.assertIn(flag, entry["arguments"])
        self.assertIn(EXECUTION_ROOT + "/bazel-out/k8-fastbuildmps3_an536/bin", entry["arguments"])

    def test_first_aquery_wins(self):
        host_first = run((HOST, "k8-fastbuild"), (BOARD, "k8-fastbuildmps3_an536"))
        self.assertEqual(len(host_first), 1)
        self.assertEqual(host_first[0]["arguments"][0], "/usr/bin/gcc")
        board_first = run((BOARD, "k8-fastbuildmps3_an536"), (HOST, "k8-fastbuild"))
        self.assertIn("-mcpu=cortex-r52", board_first[0]["arguments"])

    def test_own_configuration_wins_within_one_aquery(self):
        both = combined(BOARD, HOST)  # the board's compile listed first
        [entry] = run((both, "k8-fastbuild"))
        self.assertEqual(entry["arguments"][0], "/usr/bin/gcc")
        [entry] = run((combined(HOST, BOARD), "k8-fastbuildmps3_an536"))
        self.assertIn("-mcpu=cortex-r52", entry["arguments"])

    def test_absolutize(self):
        self.assertEqual(generate.absolutize("external/x/y.h", EXECUTION_ROOT, OUTPUT_BASE),
                         OUTPUT_BASE + "/external/x/y.h")
        self.assertEqual(generate.absolutize("-isystemexternal/x", EXECUTION_ROOT, OUTPUT_BASE),
                         "-isystem" + OUTPUT_BASE + "/external/x")
        self.assertEqual(generate.absolutize("-frandom-seed=bazel-out/a.o", EXECUTION_ROOT, OUTPUT_BASE),
                         "-frandom-seed=" + EXECUTION_ROOT + "/bazel-out/a.o")
        self.assertEqual(generate.absolutize("libs/a.cc", EXECUTION_ROOT, OUTPUT_BASE), "libs/a.cc")
        self.assertEqual(generate.absolutize("-Ilibs/external/x", EXECUTION_ROOT, OUTPUT_BASE),
                         "-Ilibs/external/x")

    def test_command_line(self):
        """The script end to end: valid JSON on stdout."""
        out = subprocess.run(
            [sys.executable, os.path.join(HERE, "generate.py"), "--workspace=" + WORKSPACE,
             "--execution-root=" + EXECUTION_ROOT, "--output-base=" + OUTPUT_BASE,
             "--aquery=" + os.path.join(HERE, "testdata", "kdf_host.aquery.json") + "@k8-fastbuild",
             "--aquery=" + os.path.join(HERE, "testdata", "kdf_mps3_an536.aquery.json")],
            check=True, capture_output=True, text=True).stdout
        entries = json.loads(out)
        self.assertEqual([e["file"] for e in entries], [WORKSPACE + "/libs/kdf/kdf.cc"])


if __name__ == "__main__":
    unittest.main()
