"""Reads a `kdsim test --junit` report with junitparser (Debian's python3-junitparser) and checks
its shape strictly with xml.etree: one <testsuite name="kdsim"> whose counts match its testcases.
  check_junit.py REPORT NAME=VERDICT...    (VERDICT: pass | failure | error)
"""
import sys
import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml

report, wanted = sys.argv[1], dict(arg.split("=", 1) for arg in sys.argv[2:])


def fail(why):
    sys.exit(f"check_junit: {report}: {why}")


# junitparser: what CI tools read.
xml = JUnitXml.fromfile(report)
suites = list(xml)
if len(suites) != 1 or suites[0].name != "kdsim":
    fail(f"expected one testsuite named kdsim, got {[s.name for s in suites]}")
suite = suites[0]
seen = {}
for case in suite:
    kinds = {type(r) for r in case.result}
    verdict = "error" if Error in kinds else "failure" if Failure in kinds else "pass"
    if verdict != "pass" and not all(r.message for r in case.result):
        fail(f"{case.name}: {verdict} without a message")
    seen[case.name] = verdict
    if not case.classname.startswith("kdsim"):
        fail(f"{case.name}: classname {case.classname}")
if seen != wanted:
    fail(f"verdicts differ:\n  expected {sorted(wanted.items())}\n  got      {sorted(seen.items())}")
if (suite.tests, suite.failures, suite.errors) != (
    len(seen), list(seen.values()).count("failure"), list(seen.values()).count("error")):
    fail(f"testsuite counts tests={suite.tests} failures={suite.failures} errors={suite.errors} disagree")

# xml.etree: the exact structure.
root = ET.parse(report).getroot()
if root.tag != "testsuites" or [c.tag for c in root] != ["testsuite"]:
    fail(f"root <{root.tag}> should hold exactly one <testsuite>")
ts = root[0]
for attr in ("tests", "failures", "errors", "time"):
    if attr not in ts.attrib:
        fail(f"testsuite has no {attr} attribute")
float(ts.get("time"))
for tc in ts:
    if tc.tag != "testcase":
        fail(f"unexpected <{tc.tag}> in the testsuite")
    arch = tc.get("classname").removeprefix("kdsim.")
    if wanted[tc.get("name")] != "error" and arch not in ("arm64", "x86_64"):
        fail(f"{tc.get('name')}: classname {tc.get('classname')} is not kdsim.<arch>")
    if float(tc.get("time")) < 0:
        fail(f"{tc.get('name')}: negative time")
    children = [c.tag for c in tc]
    if any(c not in ("failure", "error", "system-out") for c in children) or len(children) > 2:
        fail(f"{tc.get('name')}: unexpected children {children}")
print(f"check_junit: {report}: {len(seen)} testcases, verdicts as expected")
