"""A scenario whose own inputs break the plan is reported by the user's file and line, once, and only it
fails: the diagnostics below are Terraform 1.11's JSON for such inputs, mapped through the generated root."""

from pathlib import Path

import pytest

from dynemodb.harness import runner
from dynemodb.harness.combined_root import write_scenarios_root
from dynemodb.harness.scenario_errors import scenario_message
from dynemodb.harness.scenarios import load_scenarios


@pytest.fixture
def scenarios_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "scenarios"
    directory.mkdir()
    inputs = {
        "good": 'table_name = "ledger-good"\n',
        "bad_value": '# a comment first\n\ntable_name = "ledger-bad"\nread_capacity = 0\n',
        "not_hcl": 'table_name = = "x"\n',
    }
    for name, tfvars in inputs.items():
        (directory / f"{name}.tfvars").write_text(tfvars)
        (directory / f"{name}.yaml").write_text("description: a scenario of the test\nvalues: {}\n")
    return directory


def _diagnostic(filename: str, line: int, context: str, detail: str) -> dict:
    return {
        "severity": "error",
        "summary": "Invalid value for variable",
        "detail": detail,
        "range": {"filename": filename, "start": {"line": line, "column": 19}},
        "snippet": {"context": context},
    }


def test_a_bad_value_is_reported_at_its_line_in_the_users_file(scenarios_dir: Path, tmp_path: Path) -> None:
    sources = write_scenarios_root(tmp_path / "root", load_scenarios(scenarios_dir))
    root_lines = (tmp_path / "root" / "main.tf").read_text().splitlines()
    line = next(n for n, text in enumerate(root_lines, 1) if "read_capacity = 0" in text)
    detail = "read_capacity must be >= 1.\n\nChecked at .terraform/modules/s_bad_value/variables.tf:91,3-13."
    instance, message = scenario_message(_diagnostic("main.tf", line, 'module "s_bad_value"', detail), sources)
    assert instance == "s_bad_value"
    assert message.startswith(f"{scenarios_dir / 'bad_value.tfvars'}:4: Invalid value for variable: read_capacity")
    assert "module/dynemoDB/variables.tf:91" in message and ".terraform" not in message


def test_a_failed_precondition_names_the_scenario_and_where_the_module_raised_it(
    scenarios_dir: Path, tmp_path: Path
) -> None:
    sources = write_scenarios_root(tmp_path / "root", load_scenarios(scenarios_dir))
    diagnostic = _diagnostic(".terraform/modules/s_good/main.tf", 46, 'resource "terraform_data" "x"', "no capacity.")
    instance, message = scenario_message(diagnostic, sources)
    assert instance == "s_good"
    assert message.startswith(f"{scenarios_dir / 'good.tfvars'} (raised at module/dynemoDB/main.tf:46):")


def test_inputs_that_are_not_hcl_leave_only_that_scenario_out_of_the_root(scenarios_dir: Path, tmp_path: Path) -> None:
    sources = write_scenarios_root(tmp_path / "root", load_scenarios(scenarios_dir))
    assert list(sources.unwritable) == ["not_hcl"]
    assert sources.unwritable["not_hcl"].startswith(f"{scenarios_dir / 'not_hcl.tfvars'}:1:")
    root = (tmp_path / "root" / "main.tf").read_text()
    assert 'module "s_good"' in root and 'module "s_bad_value"' in root and "s_not_hcl" not in root


def test_an_error_in_the_module_is_reported_once_not_once_per_instance() -> None:
    per_instance = "".join(
        f"\nError: Invalid precondition expression\n\n  on .terraform/modules/{name}/main.tf line 46, in resource:\n"
        "  46:       condition     = true\n"
        for name in ("n_case_one", "n_case_two", "r_example.ledger")
    )
    assert runner.distinct_errors(per_instance + "\nError: Another thing\n").count("Error: ") == 2
    assert "module/dynemoDB/main.tf line 46" in runner.distinct_errors(per_instance)
