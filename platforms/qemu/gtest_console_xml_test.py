#!/usr/bin/env python3
"""gtest_console_xml.py on logs a board prints: passing, failing, crashing."""

import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "gtest_console_xml.py")

LOG = """BOOT board=mps3_an536
[==========] Running 3 tests from 2 test suites.
[ RUN      ] Pool.Allocates
[       OK ] Pool.Allocates (3 ms)
[ RUN      ] Pool.Frees
pool_test.cc:40: Failure
Expected equality of these values:
[  FAILED  ] Pool.Frees (1 ms)
[ RUN      ] Node.Sends
[  SKIPPED ] Node.Sends (0 ms)
[  FAILED  ] 1 test, listed below:
[  FAILED  ] Pool.Frees
"""


def convert(log, status=0):
    out = subprocess.run(
        [sys.executable, SCRIPT, "--exit-status=%d" % status, "--name=t"],
        input=log, stdout=subprocess.PIPE, text=True, check=True).stdout
    return ET.fromstring(out)


class GtestConsoleXmlTest(unittest.TestCase):

    def test_each_case_with_its_outcome(self):
        root = convert(LOG, 1)
        cases = {(c.get("classname"), c.get("name")): c
                 for c in root.iter("testcase")}
        self.assertEqual(set(cases), {("Pool", "Allocates"), ("Pool", "Frees"),
                                      ("Node", "Sends")})
        self.assertIsNone(cases[("Pool", "Allocates")].find("failure"))
        failure = cases[("Pool", "Frees")].find("failure")
        self.assertIn("pool_test.cc:40: Failure", failure.text)
        self.assertEqual(cases[("Pool", "Frees")].get("time"), "0.001")
        self.assertIsNotNone(cases[("Node", "Sends")].find("skipped"))
        self.assertEqual(root.get("tests"), "3")
        self.assertEqual(root.get("failures"), "1")

    def test_a_crash_fails_the_case_that_was_running(self):
        root = convert("[ RUN      ] A.B\n*** unexpected exception: data abort\n",
                       1)
        (case,) = list(root.iter("testcase"))
        self.assertEqual((case.get("classname"), case.get("name")), ("A", "B"))
        self.assertEqual(case.find("failure").get("message"), "did not finish")
        self.assertIn("data abort", case.find("failure").text)

    def test_a_failing_program_without_failing_cases_still_fails(self):
        root = convert("[ RUN      ] A.B\n[       OK ] A.B (0 ms)\n", 3)
        self.assertEqual(root.get("failures"), "1")


if __name__ == "__main__":
    unittest.main()
