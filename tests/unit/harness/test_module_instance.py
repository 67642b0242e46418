"""The inputs the invariants judge a plan against: the module's defaults, the call's constants, and what a
root scenario states under `inputs:` for arguments its root computes."""

from pathlib import Path

import pytest

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.module_instance import UNKNOWN_INPUT, module_instance
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.scenarios import Scenario


def _plan(expressions: dict) -> dict:
    variables = {
        "tags": {"default": {}},
        "autoscaling": {"default": {"enabled": True, "read_max_capacity": 100, "target_utilization": 70}},
        "billing_mode": {"default": "PROVISIONED"},
    }
    call = {"source": str(MODULE_DIR), "expressions": expressions, "module": {"variables": variables}}
    root = {"source": "./roots/r_demo", "module": {"module_calls": {"ledger": call}}}
    return {"configuration": {"root_module": {"module_calls": {"r_demo": root}}}, "resource_changes": []}


def _scenario(tmp_path: Path, inputs: str = "") -> Scenario:
    expected = tmp_path / "demo.yaml"
    expected.write_text(f"description: a root scenario of the test\n{inputs}values: {{}}\n")
    return Scenario("demo", expected, root_dir=tmp_path)


def test_partial_objects_keep_their_optional_defaults_and_references_are_unknown(tmp_path: Path) -> None:
    plan = _plan({"autoscaling": {"constant_value": {"read_max_capacity": 20}}, "tags": {"references": ["local.tags"]}})
    inputs = module_instance(_scenario(tmp_path), plan).inputs
    assert inputs["autoscaling"] == {"enabled": True, "read_max_capacity": 20, "target_utilization": 70}
    assert inputs["billing_mode"] == "PROVISIONED"
    assert inputs["tags"] is UNKNOWN_INPUT


def test_stated_inputs_fill_what_the_root_computes(tmp_path: Path) -> None:
    plan = _plan({"tags": {"references": ["local.tags"]}})
    scenario = _scenario(tmp_path, "inputs:\n  tags: {Project: MetricCare}\n")
    assert module_instance(scenario, plan).inputs["tags"] == {"Project": "MetricCare"}


def test_stating_an_input_the_module_does_not_have_is_refused(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path, "inputs:\n  tag: {Project: MetricCare}\n")
    with pytest.raises(HarnessError, match=r"demo.yaml: `inputs:` names \['tag'\]"):
        module_instance(scenario, _plan({}))
