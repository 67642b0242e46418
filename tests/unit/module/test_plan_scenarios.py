"""Each scenario's real plan matches its expected file; each invalid input fails the plan with its message."""

import pytest

from dynemodb.harness.plan_stage import PlanStage
from dynemodb.harness.scenarios import InvalidInput, Scenario, load_invalid_inputs, load_scenarios

SCENARIOS = load_scenarios()
INVALID_INPUTS = load_invalid_inputs()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_plan_matches_expected_values(plan_stage: PlanStage, scenario: Scenario) -> None:
    problems = plan_stage.scenario_mismatches(scenario)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", INVALID_INPUTS, ids=lambda c: c.name)
def test_invalid_input_is_rejected_at_plan_time(plan_stage: PlanStage, case: InvalidInput) -> None:
    messages = plan_stage.rejections[case.name]
    assert messages, f"{case.name}: planned without error; expected {case.error!r}"
    assert any(case.error in message for message in messages), (
        f"{case.name}: expected an error containing {case.error!r}, got {messages}"
    )
