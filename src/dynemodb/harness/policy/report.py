"""The gate's outputs: SARIF and JUnit XML from Checkov's own writers, over one Checkov report per target with
the gate's judgement filed in (declared failures and source suppressions as suppressed results, gate problems
as failed results of DYNEMODB_POLICY_GATE), and a short human summary; the mutation score in both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dynemodb.harness.paths import REPO_ROOT
from dynemodb.harness.policy.config import CONFIG_FILE
from dynemodb.harness.policy.gate import GateResult
from dynemodb.harness.policy.scan import Finding, custom_checks

FILES = {"sarif": "policy.sarif", "junit": "policy-junit.xml", "summary": "policy-summary.md"}
GATE_RULE, GATE_RULE_NAME = "DYNEMODB_POLICY_GATE", "The gate could not establish compliance"


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _where(finding: Finding) -> tuple[str, int]:
    return _relative(Path(finding.file)), max(finding.lines[0], 1)


def fix_for(check_id: str, check_name: str) -> str:
    if check_id == GATE_RULE:
        return "each result says what to change"
    check = custom_checks().get(check_id)
    return check.guideline if check else f"make the resource satisfy Checkov's {check_id} ({check_name})"


def _reports(result: GateResult) -> list[Any]:
    """One Checkov report per target (and one for the gate), its records pointing at the source and judged as
    the gate judged them."""
    from checkov.common.models.enums import CheckResult
    from checkov.common.output.record import Record
    from checkov.common.output.report import Report

    def record(finding: Finding, check_result: dict[str, Any], details: list[str]) -> Record:
        (uri, line), check = _where(finding), custom_checks().get(finding.check_id)
        made = Record(
            finding.check_id, finding.check_name, check_result, [], uri, [line, line], finding.resource, None, "", uri
        )
        made.repo_file_path, made.details, made.guideline = uri, details, check.guideline if check else None
        return made

    def problem(where: str, text: str, file: Path) -> Record:
        failed = {"result": CheckResult.FAILED}
        return record(Finding(GATE_RULE, GATE_RULE_NAME, "failed", where, str(file), (1, 1)), failed, [text])

    reports = []
    for target in result.targets:
        report = Report(target.name)
        for finding in target.findings:
            why = target.expected.get(finding.check_id) if finding.result == "failed" else None
            if why or finding.result == "skipped":
                comment = f"declared for {target.name}: {why}" if why else finding.suppress_comment
                check_result: dict[str, Any] = {"result": CheckResult.SKIPPED, "suppress_comment": comment}
            else:
                check_result = {"result": CheckResult[finding.result.upper()]}
            fix = f"Fix: {fix_for(finding.check_id, finding.check_name)}"
            report.add_record(record(finding, check_result, [*finding.details, fix]))
        for text in target.problems:
            report.add_record(problem(target.name, text, target.path))
        reports.append(report)
    gate = Report("gate")
    for text in result.problems:
        gate.add_record(problem("gate", text, CONFIG_FILE))
    return [*reports, gate] if result.problems else reports


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
    run["properties"] = {"mutationScore": result.mutation, "wallTimeSeconds": round(result.wall_time, 1)}
    path.write_text(json.dumps(sarif, indent=2) + "\n")


def write_junit(reports: list[Any], path: Path) -> None:
    from checkov.common.output.report import Report

    suites = []
    for report in reports:
        suites.append(report.get_test_suite())
        suites[-1].name = report.check_type
    path.write_text(Report.get_junit_xml_string(suites))


def _score(score: dict[str, Any] | None) -> str:
    if not score:
        return "not measured (run `pytest tests/unit/policies`)"
    text = ", ".join(f"{mode} {s['killed']}/{s['total']}" for mode, s in score["modes"].items())
    return text + (" (stale: the checks or mutants changed since; run `pytest tests/unit/policies`)" * score["stale"])


def summary_markdown(result: GateResult) -> str:
    findings = [f for t in result.targets for f in t.findings]
    violations = [(t, f) for t in result.targets for f in t.violations]
    modes = [t.mode for t in result.targets]
    lines = [
        f"# Policy gate: {'PASSED' if result.ok else 'FAILED'}",
        "",
        f"{modes.count('hcl')} HCL targets and {modes.count('plan')} plan scenarios; {len(findings)} results from "
        f"{len({f.check_id for f in findings})} checks ({sum(f.custom for f in findings)} custom); "
        f"{len(violations)} violation(s); wall time {result.wall_time:.1f} s.",
        "",
        f"Policy mutation score: {_score(result.mutation)}",
        "",
    ]
    if violations:
        lines += ["## Violations", "", "| Where | Resource | Rule | How to fix |", "|---|---|---|---|"]
        for target, f in violations:
            uri, line = _where(f)
            rule = f"{f.check_id} {f.check_name}" + (": " + "; ".join(f.details) if f.details else "")
            fix = fix_for(f.check_id, f.check_name)
            lines.append(f"| {target.name} (`{uri}:{line}`) | `{f.resource}` | {_cell(rule)} | {_cell(fix)} |")
        lines.append("")
    problems = [(t.name, p) for t in result.targets for p in t.problems] + [("gate", p) for p in result.problems]
    if problems:
        lines += ["## Gate problems", "", *(f"- **{n}**: {_cell(p)}" for n, p in problems), ""]
    expected = [f"| {t.name} | {c} | {_cell(why)} |" for t in result.targets for c, why in sorted(t.expected.items())]
    if expected:
        lines += ["## Knowingly failing (declared, with reason)", "", "| Target | Rule | Why |", "|---|---|---|"]
        lines += [*expected, ""]
    inline = [
        f"- **{f.check_id}** on `{f.resource}` ({t.name}): {_cell(f.suppress_comment)}"
        for t in result.targets
        for f in t.results("skipped")
    ]
    lines += ["## Suppressed", "", "Skipped everywhere in `.checkov.yaml`:", ""]
    lines += [f"- **{s.check_id}**: {_cell(s.reason)}" for s in result.skips] or ["- none"]
    lines += ["", "Suppressed on a resource (`#checkov:skip`):", "", *(inline or ["- none"]), ""]
    undecided = sorted({(c, f"{t.name}: {r}") for t in result.targets for c, r in t.undecided})
    if undecided:
        lines += ["## Left to the plan scan", ""]
        lines += [
            f"- **{c}**: {sum(k == c for k, _ in undecided)} table(s) in HCL hold values Checkov cannot evaluate; "
            "the plan scan judged them."
            for c in sorted({c for c, _ in undecided})
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_reports(result: GateResult, reports_dir: Path) -> dict[str, Path]:
    reports_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: reports_dir / name for kind, name in FILES.items()}
    checkov_reports = _reports(result)
    write_sarif(result, checkov_reports, paths["sarif"])
    write_junit(checkov_reports, paths["junit"])
    paths["summary"].write_text(summary_markdown(result))
    return paths
