"""The gate's outputs: SARIF and JUnit XML written by Checkov's own writers (one Checkov report per target,
with the gate's judgement filed in: declared failures and source suppressions as suppressed results), plus
the gate's own problems, the mutation score, and a short human summary."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from dynemodb.harness.paths import MODULE_DIR, REPO_ROOT
from dynemodb.harness.policy.gate import GateResult, Target, locate
from dynemodb.harness.policy.scan import Finding, custom_checks
from dynemodb.harness.scenarios import load_scenarios

FILES = {"sarif": "policy.sarif", "junit": "policy-junit.xml", "summary": "policy-summary.md"}
GATE_RULE = "DYNEMODB_POLICY_GATE"


def _where(target: Target, finding: Finding, roots: dict[str, Path]) -> tuple[str, int]:
    path, line, _ = locate(finding, roots.get(target.name))
    try:
        return path.resolve().relative_to(REPO_ROOT.resolve()).as_posix(), max(line, 1)
    except ValueError:
        return path.as_posix(), max(line, 1)


def fix_for(check_id: str, check_name: str) -> str:
    check = custom_checks().get(check_id)
    return check.guideline if check else f"make the resource satisfy Checkov's {check_id} ({check_name})"


def _reports(result: GateResult) -> list[Any]:
    """One Checkov report per target, its records pointing at the source and judged as the gate judged them."""
    from checkov.common.models.enums import CheckResult
    from checkov.common.output.report import Report

    roots = {f"plan {s.name}": s.root_dir or MODULE_DIR for s in load_scenarios()}
    reports = []
    for target in result.targets:
        report = Report(f"{target.mode} {target.name.split(' ', 1)[1]}")
        for finding in target.findings:
            record = copy.copy(finding.record)
            record.repo_file_path, line = _where(target, finding, roots)
            record.file_path, record.file_line_range, record.code_block = record.repo_file_path, [line, line], []
            record.resource, record.details = (
                finding.resource,
                [*finding.details, f"Fix: {fix_for(finding.check_id, finding.check_name)}"],
            )
            why = target.expected.get(finding.check_id) if finding.result == "failed" else None
            if why or finding.result == "skipped":
                comment = f"declared for {target.name}: {why}" if why else finding.suppress_comment
                record.check_result = {"result": CheckResult.SKIPPED, "suppress_comment": comment}
            else:
                record.check_result = {
                    "result": CheckResult.FAILED if finding.result == "failed" else CheckResult.PASSED
                }
            report.add_record(record)
        reports.append(report)
    return reports


def _problems(result: GateResult) -> list[tuple[str, str]]:
    return [(t.name, p) for t in result.targets for p in t.problems] + [("gate", p) for p in result.problems]


def write_sarif(result: GateResult, reports: list[Any], path: Path) -> None:
    from checkov.common.output.sarif import Sarif

    sarif = Sarif(reports, tool="dynemoDB policy gate (Checkov)").json
    run = sarif["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:  # Checkov names a rule after its first result; give it the check
        rule["help"] = {"text": f"How to fix: {fix_for(rule['id'], rule['name'])}"}
    for entry in run["results"]:
        if entry.get("suppressions") and entry["suppressions"][0]["justification"].startswith("declared for "):
            entry["suppressions"][0]["kind"] = "external"
        entry["message"]["text"] += ": " + "; ".join(a["description"] for a in entry.get("attachments", []))
    if _problems(result):
        run["tool"]["driver"]["rules"].append(
            {
                "id": GATE_RULE,
                "name": "PolicyGate",
                "shortDescription": {"text": "The gate could not establish compliance"},
            }
        )
    run["results"] += [
        {
            "ruleId": GATE_RULE,
            "level": "error",
            "message": {"text": f"{name}: {problem}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": ".checkov.yaml"}}}],
        }
        for name, problem in _problems(result)
    ]
    run["properties"] = {"mutationScore": result.mutation, "wallTimeSeconds": round(result.wall_time, 1)}
    path.write_text(json.dumps(sarif, indent=2) + "\n")


def write_junit(result: GateResult, reports: list[Any], path: Path) -> None:
    from checkov.common.output.report import Report
    from junit_xml import TestCase, TestSuite  # type: ignore[import-untyped]

    suites = []
    for target, report in zip(result.targets, reports, strict=True):
        suite = report.get_test_suite()
        suite.name = target.name
        for problem in target.problems:
            case = TestCase(name=f"gate: {problem[:100]}", classname=target.name)
            case.add_failure_info(message=problem)
            suite.test_cases.append(case)
        suites.append(suite)
    if result.problems:
        cases = [TestCase(name=p[:100], classname="gate") for p in result.problems]
        for case, problem in zip(cases, result.problems, strict=True):
            case.add_failure_info(message=problem)
        suites.append(TestSuite("gate", cases))
    path.write_text(Report.get_junit_xml_string(suites))


def summary_markdown(result: GateResult) -> str:
    roots = {f"plan {s.name}": s.root_dir or MODULE_DIR for s in load_scenarios()}
    findings = [f for t in result.targets for f in t.findings]
    violations = [(t, f) for t in result.targets for f in t.violations]
    score, modes = result.mutation, [t.mode for t in result.targets]
    lines = [
        f"# Policy gate: {'PASSED' if result.ok else 'FAILED'}",
        "",
        f"{modes.count('hcl')} HCL targets and {modes.count('plan')} plan scenarios; {len(findings)} results from "
        f"{len({f.check_id for f in findings})} checks ({sum(f.custom for f in findings)} custom); "
        f"{len(violations)} violation(s); wall time {result.wall_time:.1f} s.",
        "",
        "Policy mutation score: "
        + (
            ", ".join(f"{mode} {s['killed']}/{s['total']}" for mode, s in score["modes"].items())
            + (
                " (stale: the checks or mutants changed since; run `pytest tests/unit/policies`)"
                if score["stale"]
                else ""
            )
            if score
            else "not measured (run `pytest tests/unit/policies`)"
        ),
        "",
    ]
    if violations:
        lines += ["## Violations", "", "| Where | Resource | Rule | How to fix |", "|---|---|---|---|"]
        for target, f in violations:
            uri, line = _where(target, f, roots)
            rule = f"{f.check_id} {f.check_name}" + (": " + "; ".join(f.details) if f.details else "")
            fix = _cell(fix_for(f.check_id, f.check_name))
            lines.append(f"| {target.name} (`{uri}:{line}`) | `{f.resource}` | {_cell(rule)} | {fix} |")
        lines.append("")
    if _problems(result):
        lines += ["## Gate problems", "", *(f"- **{n}**: {_cell(p)}" for n, p in _problems(result)), ""]
    expected = [(t, c, why) for t in result.targets for c, why in sorted(t.expected.items())]
    if expected:
        lines += ["## Knowingly failing (declared, with reason)", "", "| Target | Rule | Why |", "|---|---|---|"]
        lines += [f"| {t.name} | {c} | {_cell(why)} |" for t, c, why in expected] + [""]
    inline = [
        f"- **{f.check_id}** on `{f.resource}` ({t.name}): {_cell(f.suppress_comment)}"
        for t in result.targets
        for f in t.results("skipped")
    ]
    lines += ["## Suppressed", "", "Skipped everywhere in `.checkov.yaml`:", ""]
    lines += [f"- **{s.check_id}**: {_cell(s.reason)}" for s in result.skips] or ["- none"]
    lines += ["", "Suppressed on a resource (`#checkov:skip`):", "", *(inline or ["- none"]), ""]
    undecided = {(c, f"{t.name}: {r}") for t in result.targets for c, r in t.undecided}
    if undecided:
        counts = {c: sum(1 for k, _ in undecided if k == c) for c, _ in undecided}
        lines += ["## Left to the plan scan", ""]
        lines += [
            f"- **{c}**: {n} table(s) in HCL hold values Checkov cannot evaluate; the plan scan judged them."
            for c, n in sorted(counts.items())
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_reports(result: GateResult, reports_dir: Path) -> dict[str, Path]:
    reports_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: reports_dir / name for kind, name in FILES.items()}
    checkov_reports = _reports(result)
    write_sarif(result, checkov_reports, paths["sarif"])
    write_junit(result, checkov_reports, paths["junit"])
    paths["summary"].write_text(summary_markdown(result))
    return paths
