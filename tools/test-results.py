"""Counts the outcomes in the TRX files `dotnet test --logger trx` wrote under a directory.

Prints "PASSED FAILED SKIPPED" on stdout (failed counts errors, time-outs and aborted tests too) and
names every skipped test on stderr: tools/test.sh treats a skip as a failure of the whole run.
"""
import glob
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def count(directory):
    passed = failed = skipped = 0
    skipped_names = []
    for path in sorted(glob.glob(directory + "/**/*.trx", recursive=True)):
        root = ET.parse(path).getroot()
        counters = root.find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            continue
        passed += int(counters.get("passed", 0))
        failed += sum(int(counters.get(key, 0)) for key in ("failed", "error", "timeout", "aborted"))
        skipped += int(counters.get("notExecuted", 0))
        skipped_names += [r.get("testName") for r in root.iter(f"{NS}UnitTestResult") if r.get("outcome") == "NotExecuted"]
    return passed, failed, skipped, skipped_names


if __name__ == "__main__":
    p, f, s, names = count(sys.argv[1])
    for name in names:
        print("test.sh: skipped (a failure of this run):", name, file=sys.stderr)
    print(p, f, s)
