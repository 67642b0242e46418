"""The gate's outputs: SARIF (code scanning), JUnit XML (CI test reports) and a short human summary."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from dynemodb.harness.paths import REPO_ROOT
from dynemodb.harness.policy.gate import GateResult, Target, fix_for, source_location
from dynemodb.harness.policy.scan import Finding
from dynemodb.harness.scenarios import load_scenarios

SARIF_FILE = "policy.sarif"
JUNIT_FILE = "policy-junit.xml"
SUMMARY_FILE = "policy-summary.md"
GATE_RULE = "DYNEMODB_POLICY_GATE"


def _repo_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _scenario_roots() -> dict[str, Path]:
    from dynemodb.harness.paths import MODULE_DIR

    roots: dict[str, Path] = {}
    for scenario in load_scenarios():
        roots[f"plan {scenario.name}"] = scenario.root_dir or MODULE_DIR
    return roots


def _location(target: Target, finding: Finding, roots: dict[str, Path]) -> tuple[str, int]:
    path, line = source_location(finding, roots.get(target.name))
    return _repo_path(path), max(line, 1)


def _target_file(target: Target) -> str:
    path = target.path
    if path.is_dir():
        main = path / "main.tf"
        path = main if main.exists() else path
    return _repo_path(path)


def _message(target: Target, finding: Finding) -> str:
    details = "; ".join(finding.details)
    text = f"{finding.check_id} {finding.check_name} — {finding.resource} ({target.name})"
    if details:
        text += f": {details}"
    return f"{text}. Fix: {fix_for(finding.check_id, finding.check_name)}."


def write_sarif(result: GateResult, path: Path) -> None:
    roots = _scenario_roots()
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []

    def rule(finding: Finding) -> None:
        if finding.check_id not in rules:
            rules[finding.check_id] = {
                "id": finding.check_id,
                "name": finding.check_id,
                "shortDescription": {"text": finding.check_name or finding.check_id},
                "help": {"text": f"How to fix: {fix_for(finding.check_id, finding.check_name)}"},
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["dynemodb" if finding.custom else "checkov"]},
            }

    def add(target: Target, finding: Finding, suppression: dict[str, str] | None) -> None:
        rule(finding)
        uri, line = _location(target, finding, roots)
        fingerprint = hashlib.sha256(f"{target.name}|{finding.check_id}|{finding.resource}".encode()).hexdigest()
        entry: dict[str, Any] = {
            "ruleId": finding.check_id,
            "level": "error",
            "message": {"text": _message(target, finding)},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}},
                    "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
                }
            ],
            "partialFingerprints": {"dynemodbPolicyFinding/v1": fingerprint},
        }
        if suppression:
            entry["suppressions"] = [suppression]
        results.append(entry)

    for target in result.targets:
        for finding in target.violations:
            add(target, finding, None)
        for finding in target.expected_failures:
            why = target.expected[finding.check_id]
            add(target, finding, {"kind": "external", "justification": f"declared for {target.name}: {why}"})
        for finding in target.suppressed:
            add(target, finding, {"kind": "inSource", "justification": finding.suppress_comment})
        for problem in target.problems:
            results.append(_gate_result(f"{target.name}: {problem}", _target_file(target)))
    for problem in result.problems:
        results.append(_gate_result(problem, ".checkov.yaml"))
    if any(r["ruleId"] == GATE_RULE for r in results):
        rules[GATE_RULE] = {
            "id": GATE_RULE,
            "name": "PolicyGate",
            "shortDescription": {"text": "The policy gate could not establish compliance"},
            "help": {"text": "Read the message: a check did not run, judged nothing, or an expectation is stale."},
            "defaultConfiguration": {"level": "error"},
        }
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dynemoDB policy gate (Checkov)",
                        "version": _checkov_version(),
                        "informationUri": "https://www.checkov.io/",
                        "rules": [rules[k] for k in sorted(rules)],
                    }
                },
                "results": results,
            }
        ],
    }
    path.write_text(json.dumps(sarif, indent=2) + "\n")


def _gate_result(text: str, uri: str) -> dict[str, Any]:
    return {
        "ruleId": GATE_RULE,
        "level": "error",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}}],
        "partialFingerprints": {"dynemodbPolicyFinding/v1": hashlib.sha256(text.encode()).hexdigest()},
    }


def _checkov_version() -> str:
    try:
        from checkov.version import version

        return str(version)
    except ImportError:
        return "unknown"


def write_junit(result: GateResult, path: Path) -> None:
    suites = ET.Element("testsuites", name="dynemoDB policy gate", time=f"{result.wall_time:.1f}")
    totals: Counter[str] = Counter()
    for target in result.targets:
        suite = ET.SubElement(suites, "testsuite", name=target.name)
        counts: Counter[str] = Counter()
        for finding in sorted(target.findings, key=lambda f: (f.check_id, f.resource)):
            case = ET.SubElement(
                suite, "testcase", classname=target.name, name=f"{finding.check_id} {finding.resource}"
            )
            counts["tests"] += 1
            if finding.result == "failed" and finding.check_id not in target.expected:
                failure = ET.SubElement(case, "failure", message=f"{finding.check_id} failed on {finding.resource}")
                failure.text = _message(target, finding)
                counts["failures"] += 1
            elif finding.result == "failed":
                ET.SubElement(case, "skipped", message=f"knowingly fails: {target.expected[finding.check_id]}")
                counts["skipped"] += 1
            elif finding.result == "skipped":
                ET.SubElement(case, "skipped", message=f"suppressed: {finding.suppress_comment}")
                counts["skipped"] += 1
        for problem in target.problems:
            case = ET.SubElement(suite, "testcase", classname=target.name, name=f"gate: {problem[:100]}")
            ET.SubElement(case, "failure", message=problem).text = problem
            counts["tests"] += 1
            counts["failures"] += 1
        for key in ("tests", "failures", "skipped"):
            suite.set(key, str(counts[key]))
        totals.update(counts)
    if result.problems:
        suite = ET.SubElement(suites, "testsuite", name="gate")
        for problem in result.problems:
            case = ET.SubElement(suite, "testcase", classname="gate", name=problem[:100])
            ET.SubElement(case, "failure", message=problem).text = problem
        suite.set("tests", str(len(result.problems)))
        suite.set("failures", str(len(result.problems)))
        totals.update({"tests": len(result.problems), "failures": len(result.problems)})
    for key in ("tests", "failures", "skipped"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(result: GateResult) -> str:
    roots = _scenario_roots()
    hcl = [t for t in result.targets if t.mode == "hcl"]
    plan = [t for t in result.targets if t.mode == "plan"]
    findings = [f for t in result.targets for f in t.findings]
    violations = result.violations
    status = "PASSED" if result.ok else "FAILED"
    lines = [
        f"# Policy gate: {status}",
        "",
        f"{len(hcl)} HCL targets and {len(plan)} plan scenarios; {len(findings)} results from "
        f"{len({f.check_id for f in findings})} checks ({len([f for f in findings if f.custom])} custom); "
        f"{len(violations)} violation(s); wall time {result.wall_time:.1f} s.",
        "",
    ]
    problems = [(t.name, p) for t in result.targets for p in t.problems] + [("gate", p) for p in result.problems]
    if violations:
        lines += ["## Violations", "", "| Where | Resource | Rule | How to fix |", "|---|---|---|---|"]
        for target, finding in violations:
            uri, line = _location(target, finding, roots)
            rule = f"{finding.check_id} {finding.check_name}"
            if finding.details:
                rule += ": " + "; ".join(finding.details)
            fix = fix_for(finding.check_id, finding.check_name)
            lines.append(
                f"| {_cell(target.name)} (`{uri}:{line}`) | `{finding.resource}` | {_cell(rule)} | {_cell(fix)} |"
            )
        lines.append("")
    if problems:
        lines += ["## Gate problems", ""]
        lines += [f"- **{name}**: {_cell(problem)}" for name, problem in problems]
        lines.append("")
    expected = [(t, c, why) for t in result.targets for c, why in sorted(t.expected.items())]
    if expected:
        lines += ["## Knowingly failing (declared, with reason)", "", "| Target | Rule | Why |", "|---|---|---|"]
        lines += [f"| {t.name} | {c} | {_cell(why)} |" for t, c, why in expected]
        lines.append("")
    lines += ["## Suppressed", "", "Skipped everywhere in `.checkov.yaml`:", ""]
    lines += [f"- **{s.check_id}**: {_cell(s.reason)}" for s in result.skips] or ["- none"]
    inline = [(t, f) for t in result.targets for f in t.suppressed]
    lines += ["", "Suppressed on a resource (`#checkov:skip`):", ""]
    lines += [f"- **{f.check_id}** on `{f.resource}` ({t.name}): {_cell(f.suppress_comment)}" for t, f in inline] or [
        "- none"
    ]
    undecided: dict[str, set[str]] = defaultdict(set)
    for target in hcl:
        for check_id, resource in target.undecided:
            undecided[check_id].add(f"{target.name}: {resource}")
    if undecided:
        lines += ["", "## Left to the plan scan", ""]
        lines += [
            f"- **{check_id}**: {len(items)} table(s) in HCL hold values Checkov cannot evaluate "
            "(for example autoscaling computed by for_each over module locals); the plan scan judged them."
            for check_id, items in sorted(undecided.items())
        ]
    lines.append("")
    return "\n".join(lines)


def write_reports(result: GateResult, reports: Path) -> dict[str, Path]:
    reports.mkdir(parents=True, exist_ok=True)
    paths = {"sarif": reports / SARIF_FILE, "junit": reports / JUNIT_FILE, "summary": reports / SUMMARY_FILE}
    write_sarif(result, paths["sarif"])
    write_junit(result, paths["junit"])
    paths["summary"].write_text(summary_markdown(result))
    return paths
