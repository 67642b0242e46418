"""What holds for every scenario, checked once by code for all of them (src/dynemodb/harness/invariants.py):
the scenario files then only state what each scenario is about."""

import json
import re

import hcl2
import pytest

from dynemodb.harness.contract import GRANTS
from dynemodb.harness.invariants import INVARIANTS, Invariant
from dynemodb.harness.module_instance import module_instance
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.plan_stage import PlanStage
from dynemodb.harness.scenarios import Scenario, load_scenarios
from dynemodb.ledger import schema, validation

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda i: i.__name__)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_invariant_holds(plan_stage: PlanStage, scenario: Scenario, invariant: Invariant) -> None:
    if scenario.name in plan_stage.broken:
        pytest.fail(f"{scenario.name} could not be planned; test_scenario_plan_matches_expected_values says why")
    problems = invariant(module_instance(scenario, plan_stage.plan))
    summary = (invariant.__doc__ or invariant.__name__).splitlines()[0]  # every invariant has a docstring
    assert not problems, f"{scenario.name}: {summary}\n" + "\n".join(problems)


# Actions that change or remove items or the table. No role deletes or administers; only the writer writes.
WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
NEVER_GRANTED = {"dynamodb:DeleteItem", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:*"}


def test_the_iam_contract_serves_the_ledger_client_and_no_more() -> None:
    writer, reader, auditor = GRANTS["writer"], GRANTS["reader"], GRANTS["auditor"]
    # dynemodb.ledger's own copy (the runtime cannot read the module) is the contract, exactly.
    assert (
        writer.all,
        reader.all,
        auditor.all,
    ) == (schema.WRITER_ACTIONS, schema.READER_ACTIONS, schema.REPORT_SCAN_ACTIONS)
    assert writer.all >= schema.REOPEN_ACTIONS and auditor.all >= schema.REPORT_ACTIONS
    assert not writer.all & NEVER_GRANTED, "the writer never deletes, scans or administers the table"
    assert not reader.all & (WRITE_ACTIONS | NEVER_GRANTED), "the reader only reads"
    assert not auditor.all & (WRITE_ACTIONS | NEVER_GRANTED - {"dynamodb:Scan"}), "the auditor only reads"


def test_the_names_the_module_reserves_are_the_ledgers_own_attributes() -> None:
    # hash_key, range_key and ttl_attribute each refuse the ledger's attribute names (variables.tf); the
    # three lists there are copies of dynemodb.ledger.schema.LEDGER_ATTRIBUTES.
    text = (MODULE_DIR / "variables.tf").read_text()
    lists = re.findall(r"!contains\((\[[^\]]*\]), var\.(hash_key|range_key|ttl_attribute)\)", text)
    assert sorted(name for _, name in lists) == ["hash_key", "range_key", "ttl_attribute"]
    for listed, name in lists:
        assert set(json.loads(listed)) == schema.LEDGER_ATTRIBUTES, name


def test_the_types_the_module_holds_indexes_to_are_the_types_the_ledger_writes() -> None:
    # main.tf's ledger_attribute_types is a copy of dynemodb.ledger.schema.ATTRIBUTE_TYPES (the module cannot
    # import the client): an index keyed on one of them with another type is refused at plan time.
    with (MODULE_DIR / "main.tf").open() as handle:
        locals_ = {k: v for block in hcl2.load(handle)["locals"] for k, v in block.items()}
    (types,) = locals_["ledger_attribute_types"]  # hcl2 wraps a map in a list
    assert types == schema.ATTRIBUTE_TYPES


def test_the_text_lengths_the_module_holds_index_keys_to_are_the_ledgers_limits() -> None:
    # main.tf's ledger_text_bytes is a copy of dynemodb.ledger.validation.TEXT_BYTES: an index keyed on text the
    # ledger may write longer than the key holds is refused at plan time.
    with (MODULE_DIR / "main.tf").open() as handle:
        locals_ = {k: v for block in hcl2.load(handle)["locals"] for k, v in block.items()}
    (limits,) = locals_["ledger_text_bytes"]
    assert limits == validation.TEXT_BYTES
