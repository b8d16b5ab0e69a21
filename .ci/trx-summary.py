"""Sums the TRX files of a test run: prints "PASSED FAILED SKIPPED" for .ci/run, which prints the closing line."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = sorted(Path(sys.argv[1]).rglob("*.trx"))
for trx in files:
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", NS):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped += 1
        else:
            failed += 1
print(passed, failed, skipped)
sys.exit(1 if failed or not files or passed == 0 else 0)
