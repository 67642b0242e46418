"""The gate's own rules, on small inputs: skipped checks need reasons, stale or empty results fail the gate,
reports carry what a reviewer needs, and the custom checks' settings work."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from policy_support import FIXTURES_DIR

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import REPO_ROOT
from dynemodb.harness.policy.config import load_skips
from dynemodb.harness.policy.gate import GateResult, Target, judge_common, judge_plan
from dynemodb.harness.policy.report import write_reports
from dynemodb.harness.policy.scan import Finding, custom_checks, run_checkov

CHECKS = custom_checks()


def _finding(check_id: str, result: str, resource: str = "module.s_x.aws_dynamodb_table.this[0]", **kw: str) -> Finding:
    return Finding(
        check_id=check_id,
        check_name=f"name of {check_id}",
        result=result,
        resource=resource,
        file=str(REPO_ROOT / ".dynemodb" / "plan.json"),
        lines=(1, 1),
        details=("what is wrong",),
        suppress_comment=kw.get("comment", ""),
    )


def judge_plan_target(target: Target, plan: dict, prefix: str, hcl: list[Finding] | None = None) -> None:
    judge_plan(target, plan, prefix, CHECKS, hcl or [])
    judge_common(target)


PLANNED = {
    "module.s_x.aws_dynamodb_table.this[0]": "aws_dynamodb_table",
    "module.s_x.aws_iam_policy.writer[0]": "aws_iam_policy",
}
PLAN = {
    "planned_values": {
        "root_module": {
            "child_modules": [
                {"address": "module.s_x", "resources": [{"address": a, "type": t} for a, t in PLANNED.items()]}
            ]
        }
    }
}


def _complete(extra: list[Finding]) -> list[Finding]:
    """Every custom check passing on everything of the plan it covers, and ``extra``."""
    passing = [
        _finding(c, "passed", a) for a, t in PLANNED.items() for c, check in CHECKS.items() if t in check.resources
    ]
    return [*passing, *extra]


def test_repo_config_gives_every_skip_a_reason() -> None:
    skips = load_skips()
    assert skips, ".checkov.yaml skips nothing: then drop the section, or the gate lost its config"
    assert all(len(s.reason) > 30 for s in skips), skips


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("skip-check:\n  - CKV_AWS_1\n", "no reason"),
        ("skip-check:\n  # never judge our own rule\n  - CKV_MC_1\n", "custom check"),
        ("skip-check: [CKV_AWS_1]\n", "own line"),
    ],
)
def test_config_refuses_unexplained_or_custom_skips(tmp_path: Path, text: str, error: str) -> None:
    config = tmp_path / ".checkov.yaml"
    config.write_text(text)
    with pytest.raises(HarnessError, match=error):
        load_skips(config)


def test_config_reads_reasons_above_and_beside_entries(tmp_path: Path) -> None:
    config = tmp_path / ".checkov.yaml"
    config.write_text(
        "skip-path:\n  - x\nskip-check:\n  # first line\n  # second line\n  - CKV_AWS_1\n  - CKV_AWS_2  # why\n"
    )
    skips = load_skips(config)
    assert [(s.check_id, s.reason) for s in skips] == [("CKV_AWS_1", "first line second line"), ("CKV_AWS_2", "why")]


def test_complete_and_compliant_target_passes() -> None:
    target = Target("plan x", "plan", REPO_ROOT, _complete([]))
    judge_plan_target(target, PLAN, "module.s_x.")
    assert target.ok, target.problems


def test_unjudged_table_fails_the_gate() -> None:
    findings = [f for f in _complete([]) if f.check_id != "CKV_MC_4"]
    target = Target("plan x", "plan", REPO_ROOT, findings)
    judge_plan_target(target, PLAN, "module.s_x.")
    assert any("CKV_MC_4 did not judge module.s_x.aws_dynamodb_table.this[0]" in p for p in target.problems)


def test_what_the_plan_cannot_know_takes_the_hcl_verdict_of_the_same_declaration() -> None:
    findings = [f for f in _complete([]) if f.check_id != "CKV_MC_3"]
    hcl = [_finding("CKV_MC_3", "failed", "aws_iam_policy.writer[0]")]
    target = Target("plan x", "plan", REPO_ROOT, findings)
    judge_plan_target(target, PLAN, "module.s_x.", hcl)
    assert not target.problems
    assert [(f.resource, f.result) for f in target.violations] == [("module.s_x.aws_iam_policy.writer[0]", "failed")]
    assert "decided by the HCL scan" in target.violations[0].details[-1]


def test_a_scenario_of_module_inputs_takes_no_verdict_from_the_module_s_defaults() -> None:
    # The module's HCL scan judges its defaults, not the scenario's inputs: it places and suppresses, never decides.
    findings = [f for f in _complete([]) if f.check_id != "CKV_MC_3"]
    target = Target("plan x", "plan", REPO_ROOT, findings)
    judge_plan(target, PLAN, "module.s_x.", CHECKS, [_finding("CKV_MC_3", "passed", "aws_iam_policy.writer[0]")], False)
    assert target.problems == [
        "CKV_MC_3 did not judge module.s_x.aws_iam_policy.writer[0]: the gate cannot tell whether it complies"
    ]


def test_empty_scan_fails_the_gate() -> None:
    target = Target("plan x", "plan", REPO_ROOT, [])
    judge_plan_target(target, {"planned_values": {}}, "module.s_x.")
    assert any("judged anything" in p for p in target.problems)


def test_declared_failure_that_no_longer_fails_is_stale() -> None:
    target = Target("plan x", "plan", REPO_ROOT, _complete([]), expected={"CKV_MC_1": "TTL off on purpose"})
    judge_plan_target(target, PLAN, "module.s_x.")
    assert any("CKV_MC_1 is declared" in p for p in target.problems)


def test_undeclared_failure_is_a_violation_and_declared_one_is_not() -> None:
    failing = [_finding("CKV_MC_5", "failed"), _finding("CKV_AWS_28", "failed")]
    findings = [f for f in _complete(failing) if not (f.check_id == "CKV_MC_5" and f.result == "passed")]
    target = Target("plan x", "plan", REPO_ROOT, findings, expected={"CKV_AWS_28": "same as CKV_MC_5"})
    judge_plan_target(target, PLAN, "module.s_x.")
    assert [f.check_id for f in target.violations] == ["CKV_MC_5"]
    assert not target.problems


def test_suppression_without_reason_fails_the_gate() -> None:
    findings = [f for f in _complete([]) if f.check_id != "CKV_MC_1"]
    findings.append(_finding("CKV_MC_1", "skipped", comment="No comment provided"))
    target = Target("plan x", "plan", REPO_ROOT, findings)
    judge_plan_target(target, PLAN, "module.s_x.")
    assert any("without a reason" in p for p in target.problems)


def test_reports_name_resource_rule_fix_and_suppressions(tmp_path: Path) -> None:
    violation = _finding("CKV_MC_1", "failed")
    expected = _finding("CKV_MC_5", "failed")
    suppressed = _finding("CKV_MC_2", "skipped", comment="tags come from the account's tag policy")
    target = Target("plan x", "plan", REPO_ROOT, [violation, expected, suppressed], {"CKV_MC_5": "PITR off here"})
    target.problems.append("CKV_MC_4 did not judge something")
    mutation = {"modes": {"plan": {"killed": 18, "total": 18}}, "stale": False}
    result = GateResult([target], load_skips(), ["CKV_MC_9 produced no result"], wall_time=1.5, mutation=mutation)
    paths = write_reports(result, tmp_path)

    sarif = json.loads(paths["sarif"].read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert "suppressions" not in by_rule["CKV_MC_1"]
    assert by_rule["CKV_MC_5"]["suppressions"][0]["justification"].endswith("PITR off here")
    assert by_rule["CKV_MC_2"]["suppressions"][0]["kind"] == "inSource"
    assert sum(r["ruleId"] == "DYNEMODB_POLICY_GATE" for r in results) == 2
    assert "enable_ttl" in by_rule["CKV_MC_1"]["message"]["text"]  # how to fix
    assert by_rule["CKV_MC_5"]["suppressions"][0]["kind"] == "external"
    assert sarif["runs"][0]["properties"]["mutationScore"]["modes"]["plan"]["killed"] == 18

    junit = ET.parse(paths["junit"]).getroot()
    assert junit.get("failures") == "3"  # the violation, the target problem, the gate problem

    summary = paths["summary"].read_text()
    assert "FAILED" in summary
    assert "module.s_x.aws_dynamodb_table.this[0]" in summary and "CKV_MC_1" in summary
    assert "PITR off here" in summary and "tags come from the account's tag policy" in summary
    assert "Policy mutation score: plan 18/18" in summary
    assert all(s.check_id in summary for s in load_skips())


@pytest.fixture
def required_tags(request: pytest.FixtureRequest) -> Iterator[None]:
    saved = os.environ.get("CKV_MC_REQUIRED_TAGS")
    os.environ["CKV_MC_REQUIRED_TAGS"] = request.param
    yield
    if saved is None:
        os.environ.pop("CKV_MC_REQUIRED_TAGS")
    else:
        os.environ["CKV_MC_REQUIRED_TAGS"] = saved


@pytest.mark.parametrize("required_tags", ["Environment, Owner"], indirect=True)
@pytest.mark.usefixtures("required_tags")
def test_required_tag_keys_are_configurable(tmp_path: Path) -> None:
    scan = run_checkov("hcl", FIXTURES_DIR / "CKV_MC_2", checks=["CKV_MC_2"])
    outcome = {os.path.basename(os.path.dirname(f.file)): f.result for f in scan.findings}
    # Owner on the table and Environment from default_tags satisfy the configured keys; Project is not asked for.
    assert outcome["fail_default_tags_incomplete"] == "passed"
    assert outcome["pass_literal"] == "failed"  # no Owner


def test_plan_failures_honour_skip_comments_in_the_source(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "main.tf").write_text(
        'module "ledger" {\n  #checkov:skip=CKV_MC_5:restored from the data lake instead\n  source = "./mod"\n}\n'
    )
    (tmp_path / "mod" / "main.tf").write_text(
        'resource "aws_dynamodb_table" "this" {\n  count = 1\n  #checkov:skip=CKV_MC_1:rows are deleted by the loader\n'
        '  name = "x"\n  ttl {\n    enabled = false\n  }\n}\n\n'
        'resource "aws_dynamodb_table" "spare" {\n  count = 0\n}\n'
    )
    scan = run_checkov("hcl", tmp_path, checks=["CKV_MC_1", "CKV_MC_2", "CKV_MC_5"])
    address = "module.r_x.module.ledger.aws_dynamodb_table.this[0]"
    target = Target(
        "plan x", "plan", REPO_ROOT, [_finding(c, "failed", address) for c in ("CKV_MC_1", "CKV_MC_2", "CKV_MC_5")]
    )
    judge_plan(target, {}, "module.r_x.", CHECKS, scan.findings, declared=scan.declared)
    judged = {f.check_id: f for f in target.findings}
    assert judged["CKV_MC_1"].result == "skipped"
    assert judged["CKV_MC_1"].suppress_comment == "rows are deleted by the loader"
    assert judged["CKV_MC_5"].result == "skipped"  # pushed down from the module call, as Checkov does in HCL
    assert judged["CKV_MC_2"].result == "failed"
    assert (judged["CKV_MC_2"].file, judged["CKV_MC_2"].lines[0]) == (str(tmp_path / "mod" / "main.tf"), 1)
    # What the HCL scan judged nothing of (here `count = 0`) is still placed where it is written.
    spare = Target("plan x", "plan", REPO_ROOT, [_finding("CKV_MC_1", "failed", address.replace("this", "spare"))])
    judge_plan(spare, {}, "module.r_x.", CHECKS, [], declared=scan.declared)
    line = (tmp_path / "mod" / "main.tf").read_text().splitlines().index('resource "aws_dynamodb_table" "spare" {') + 1
    assert (spare.findings[0].file, spare.findings[0].lines) == (str(tmp_path / "mod" / "main.tf"), (line, line))


def test_checkov_no_output_never_silences_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    # CHECKOV_NO_OUTPUT=1 makes Checkov report nothing and exit 0; the gate's scans must not inherit it.
    monkeypatch.setenv("CHECKOV_NO_OUTPUT", "1")
    scan = run_checkov("hcl", FIXTURES_DIR / "CKV_MC_5" / "fail_missing", checks=["CKV_MC_5"])
    assert [f.result for f in scan.findings] == ["failed"]
    assert "CHECKOV_NO_OUTPUT" not in os.environ
