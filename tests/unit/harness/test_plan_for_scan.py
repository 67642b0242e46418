"""The policy scan reads a trimmed copy of the scenarios' plan: Checkov must judge it exactly as the whole plan."""

from __future__ import annotations

import json

from dynemodb.harness.plan_for_scan import plan_for_scan
from dynemodb.harness.plan_stage import PlanStage
from dynemodb.harness.policy.config import load_skips
from dynemodb.harness.policy.scan import run_checkov

UPDATE = {"address": "aws_s3_bucket.b", "change": {"actions": ["update"], "before": {"a": 1}, "after": {"a": 2}}}
CREATE = {"address": "aws_s3_bucket.c", "change": {"actions": ["create"], "before": None, "after": {"a": 2}}}


def test_the_whole_plan_and_its_trimmed_copy_get_the_same_findings(plan_stage: PlanStage) -> None:
    whole = plan_stage.plan_file.with_name("plan.json")
    skips = [s.check_id for s in load_skips()]
    findings = {
        path.name: sorted((f.check_id, f.result, f.resource, f.details) for f in scan.findings)
        for path in (whole, plan_stage.plan_file)
        for scan in [run_checkov("plan", path, skip_checks=skips, log_file=None)]
    }
    assert len(findings[whole.name]) > 100
    assert findings[whole.name] == findings[plan_stage.plan_file.name]
    assert plan_stage.plan_file.stat().st_size < whole.stat().st_size * 0.7


def test_an_update_keeps_before_and_after_a_create_drops_after() -> None:
    # Checkov lists an update's changed attributes from before/after; a create has no before to compare.
    trimmed = plan_for_scan({"resource_changes": [UPDATE, CREATE], "checks": [{"status": "pass"}]})
    assert [entry["change"]["after"] for entry in trimmed["resource_changes"]] == [{"a": 2}, None]
    assert "checks" not in json.dumps(trimmed)
