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


# Actions that change or remove items or the table. No role deletes or administers; only the writer writes.
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
NEVER_GRANTED = {"dynamodb:DeleteItem", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:*"}


def test_the_iam_contract_serves_the_ledger_client_and_no_more() -> None:
    contract = contract_actions()
    writer, reader = set(contract["writer"]["table"]), set(contract["reader"]["table"])
    assert writer >= schema.WRITER_ACTIONS, "the writer must allow what dynemodb.ledger writes"
    assert reader >= schema.READER_ACTIONS, "the reader must allow what the skip-done Lambda reads"
    assert "dynamodb:Scan" not in writer | reader, "Glue jobs and the Lambda never scan the ledger"
    for role, actions in contract.items():
        granted = set(actions["table"]) | set(actions["index"])
        assert not granted & NEVER_GRANTED, f"{role}: no role deletes items or administers the table"
        if role != "writer":
            assert not granted & WRITE_ACTIONS, f"{role}: only the writer writes"
        assert set(actions["index"]) <= {"dynamodb:Query"}, f"{role}: indexes are only queried"
