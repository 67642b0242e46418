"""Invalid inputs planned against what an earlier apply recorded: only terraform_data, in state format 4."""

import json
from pathlib import Path

import pytest

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.recorded_state import cty_type, write_state
from dynemodb.harness.scenarios import load_invalid_inputs


def test_a_recorded_resource_other_than_terraform_data_is_refused(tmp_path: Path) -> None:
    cases = tmp_path / "invalid_inputs.yaml"
    cases.write_text(
        'moved:\n  tfvars: billing_mode = "PAY_PER_REQUEST"\n  error: moves\n'
        "  state:\n    aws_dynamodb_table.this: { name: ledger }\n"
    )
    with pytest.raises(HarnessError, match=r"moved: `state:` maps terraform_data.NAME .* without AWS"):
        load_invalid_inputs(cases)


def test_records_are_typed_as_terraform_stores_dynamic_values(tmp_path: Path) -> None:
    write_state(tmp_path, {"n_case": {"terraform_data.table_layout": {"address": "this", "indexes": ""}}})
    (resource,) = json.loads((tmp_path / "terraform.tfstate").read_text())["resources"]
    assert (resource["module"], resource["type"], resource["name"]) == (
        "module.n_case",
        "terraform_data",
        "table_layout",
    )
    output = resource["instances"][0]["attributes"]["output"]
    assert output["type"] == ["object", {"address": "string", "indexes": "string"}]
    assert cty_type({"n": 1, "on": True, "list": ["a"]}) == [
        "object",
        {"n": "number", "on": "bool", "list": ["tuple", ["string"]]},
    ]
