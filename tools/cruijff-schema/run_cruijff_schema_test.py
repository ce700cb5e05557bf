#!/usr/bin/python3
"""Runs cruijff_kit v0.3.4's own schema test, unchanged, on one experiment_summary.yaml.

    run_cruijff_schema_test.py FILE

The test (tests/Contract/cruijff_kit-v0.3.4/tests/unit/test_experiment_summary_schema.py, pinned by
tools/contract/pin_cruijff_kit.sh) reads its module-level FIXTURE_PATH when each test runs; after
collection this points it at FILE, which is the one change it needs to read another file. Nothing is
written beside the pinned copy (no cache, no bytecode).

Prints one JSON object: {"passed": N, "failed": {test id: first line of the failure}}.
Exit 0 when every test passed, 1 when one failed, 2 on a usage error.
"""

import json
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
TEST = REPO / "tests" / "Contract" / "cruijff_kit-v0.3.4" / "tests" / "unit" / "test_experiment_summary_schema.py"


class PointAtFile:
    def __init__(self, target):
        self.target = target
        self.passed = 0
        self.failed = {}

    def pytest_collection_finish(self, session):
        for item in session.items:
            item.module.FIXTURE_PATH = self.target

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            text = str(report.longrepr).strip().splitlines()
            reason = next((line for line in reversed(text) if line.startswith("E ")), text[-1] if text else "")
            self.failed[report.nodeid.split("::", 1)[1]] = reason


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(sys.argv[1]).resolve()
    if not target.is_file():
        print(f"run_cruijff_schema_test.py: {target} is not a file", file=sys.stderr)
        return 2
    sys.dont_write_bytecode = True
    plugin = PointAtFile(target)
    with open(os.devnull, "w") as quiet:
        stdout = sys.stdout
        sys.stdout = quiet
        try:
            pytest.main(["-q", "-p", "no:cacheprovider", "--rootdir", str(TEST.parent), str(TEST)], plugins=[plugin])
        finally:
            sys.stdout = stdout
    print(json.dumps({"passed": plugin.passed, "failed": plugin.failed}, sort_keys=True))
    return 1 if plugin.failed or plugin.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
