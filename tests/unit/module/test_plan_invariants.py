"""What holds for every scenario, checked once by code for all of them (src/dynemodb/harness/invariants.py):
the scenario files then only state what each scenario is about."""

import pytest

from dynemodb.harness.contract import contract_actions
from dynemodb.harness.invariants import INVARIANTS, Invariant
from dynemodb.harness.module_instance import module_instance
from dynemodb.harness.plan_stage import PlanStage
from dynemodb.harness.scenarios import Scenario, load_scenarios
from dynemodb.ledger import schema

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda i: i.__name__)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_invariant_holds(plan_stage: PlanStage, scenario: Scenario, invariant: Invariant) -> None:
    if scenario.name in plan_stage.broken:
        pytest.fail(f"{scenario.name} could not be planned; test_scenario_plan_matches_expected_values says why")
    problems = invariant(module_instance(scenario, plan_stage.plan))
    assert not problems, f"{scenario.name}: {invariant.__doc__.splitlines()[0]}\n" + "\n".join(problems)


# Actions that change or remove items or the table: the reader may have none, the writer none that deletes.
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
NEVER_GRANTED = {"dynamodb:DeleteItem", "dynamodb:DeleteTable", "dynamodb:Scan", "dynamodb:UpdateTable", "dynamodb:*"}


def test_the_iam_contract_serves_the_ledger_client_and_no_more() -> None:
    contract = contract_actions()
    assert set(contract["writer"]) >= schema.WRITER_ACTIONS, "the writer must allow what dynemodb.ledger writes"
    assert set(contract["reader"]) >= schema.READER_ACTIONS, "the reader must allow what the skip-done Lambda reads"
    assert not set(contract["writer"]) & NEVER_GRANTED, "the writer never deletes, scans or administers the table"
    assert not set(contract["reader"]) & (WRITE_ACTIONS | NEVER_GRANTED), "the reader only reads"
    assert set(contract["index"]) == {"dynamodb:Query"}, "indexes are only queried"
