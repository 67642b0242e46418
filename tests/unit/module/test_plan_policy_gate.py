"""The policy gate applied to each scenario's share of the plan (the gate's own plan judgement, on the plan
this session already made): the checks that fail are exactly those the scenario declares under
`policy: failed:`, and the plan alone judged every table and IAM document."""

from __future__ import annotations

import pytest

from dynemodb.harness.plan_stage import PlanStage
from dynemodb.harness.policy.config import load_skips
from dynemodb.harness.policy.gate import Target, scan_plan_targets, scenario_policy
from dynemodb.harness.policy.scan import Scan, custom_checks
from dynemodb.harness.scenarios import Scenario, load_scenarios

SCENARIOS = load_scenarios()


@pytest.fixture(scope="module")
def plan_gate(plan_stage: PlanStage) -> tuple[dict[str, Target], Scan]:
    skips = [s.check_id for s in load_skips()]
    targets, scan = scan_plan_targets(plan_stage.plan_file, SCENARIOS, skips, None, custom_checks())
    return {t.name.removeprefix("plan "): t for t in targets}, scan


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_passes_the_policy_gate(plan_gate: tuple[dict[str, Target], Scan], scenario: Scenario) -> None:
    target = plan_gate[0][scenario.name]
    lines = [f"{f.check_id} failed on {f.resource}: {'; '.join(f.details) or f.check_name}" for f in target.violations]
    lines += target.problems
    assert not lines, f"{scenario.expected_file.name} (declare knowing failures under policy: failed:):\n" + "\n".join(
        lines
    )


def test_every_custom_check_ran_on_the_plan(plan_gate: tuple[dict[str, Target], Scan]) -> None:
    ran = {f.check_id for f in plan_gate[1].findings}
    missing = [c for c in custom_checks() if c not in ran]
    assert not missing, f"no result from {missing} on the scenarios' plan: Checkov did not load or run them"


def test_examples_and_seed_declare_no_failures() -> None:
    # The seed and every example must pass every check: they are what users copy.
    for scenario in SCENARIOS:
        if scenario.root_dir is not None:
            assert not scenario_policy(scenario), f"{scenario.name} is a user-facing root: it may not fail a check"
