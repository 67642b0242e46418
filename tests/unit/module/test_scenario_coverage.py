"""The scenarios keep covering what the issue asks for, so deleting one cannot silently shrink the gate."""

from dynemodb.harness.paths import EXAMPLES_DIR
from dynemodb.harness.scenarios import load_scenarios

REQUIRED = {
    "seed",
    "on_demand",
    "provisioned_autoscaling",
    "everything_on",
    "customer_managed_key",
    "role_attachments",
    "resource_policy",
    "alarms_with_actions",
}


def test_required_scenarios_exist() -> None:
    assert {s.name for s in load_scenarios()} >= REQUIRED


def test_every_example_is_a_scenario() -> None:
    examples = {p.name for p in EXAMPLES_DIR.iterdir() if p.is_dir()}
    planned = {s.root_dir.name for s in load_scenarios() if s.root_dir is not None}
    assert examples and examples <= planned


MAX_LINES = 80


def test_every_scenario_is_a_short_inventory_of_its_intent() -> None:
    # What holds for every scenario is checked by invariants.py; a scenario file says what it is about.
    for scenario in load_scenarios():
        lines = scenario.expected_file.read_text().count("\n")
        assert lines <= MAX_LINES, f"{scenario.expected_file.name}: {lines} lines; keep only what it is about"
        description = str(scenario.expected().get("description", "")).strip()
        assert len(description) >= 20, f"{scenario.expected_file.name}: say what the scenario is about in description:"


def test_every_scenario_asserts_values_and_counts() -> None:
    for scenario in load_scenarios():
        expected = scenario.expected()
        assert expected.get("values"), f"{scenario.name} asserts no resource values"
        assert expected.get("counts"), f"{scenario.name} asserts no resource counts"
