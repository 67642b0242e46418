"""Plan scenarios as data: `<name>.tfvars` (inputs to one module instance) or a root configuration,
plus `<name>.yaml` (expected values, counts and outputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.paths import INVALID_INPUTS_FILE, REPO_ROOT, SCENARIOS_DIR
from dynemodb.harness.recorded_state import RECORDABLE

EXPECTED_SECTIONS = {"description", "root", "inputs", "values", "counts", "outputs", "policy"}


@dataclass(frozen=True)
class Scenario:
    """One positive scenario. Exactly one of tfvars_file and root_dir is set."""

    name: str
    expected_file: Path
    tfvars_file: Path | None = None
    root_dir: Path | None = None

    @property
    def module_name(self) -> str:
        # Module instance name in the combined plan root: s_ for module inputs, r_ for root configs.
        return ("s_" if self.tfvars_file else "r_") + self.name

    @property
    def address(self) -> str:
        return f"module.{self.module_name}"

    def expected(self) -> dict[str, Any]:
        return load_yaml(self.expected_file)


@dataclass(frozen=True)
class InvalidInput:
    """A negative scenario: module inputs that must fail the plan with `error` in the message."""

    name: str
    tfvars: str
    error: str
    # terraform_data records a previous apply left ("terraform_data.NAME" -> its output): the plan runs
    # against them, for refusals that compare the recorded layout with the configured one.
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def module_name(self) -> str:
        return f"n_{self.name}"


def load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise HarnessError(f"{path}: not valid YAML ({exc}).") from exc
    if not isinstance(data, dict):
        raise HarnessError(f"{path}: expected a mapping of sections, got {type(data).__name__}.")
    return data


def _valid_name(name: str, where: Path) -> str:
    if not name.replace("_", "").isalnum() or not name[0].isalpha():
        raise HarnessError(f"{where}: scenario names are letters, digits and _ starting with a letter; rename it.")
    return name


def load_scenarios(directory: Path = SCENARIOS_DIR) -> list[Scenario]:
    scenarios = []
    for expected_file in sorted(directory.glob("*.yaml")):
        name = _valid_name(expected_file.stem, expected_file)
        expected = load_yaml(expected_file)
        unknown = set(expected) - EXPECTED_SECTIONS
        if unknown:
            raise HarnessError(
                f"{expected_file}: unknown section(s) {sorted(unknown)}; use {sorted(EXPECTED_SECTIONS)}."
            )
        tfvars = expected_file.with_suffix(".tfvars")
        if "root" in expected:
            root = (REPO_ROOT / expected["root"]).resolve()
            if not root.is_dir():
                raise HarnessError(f"{expected_file}: root {expected['root']!r} is not a directory in the repo.")
            scenarios.append(Scenario(name, expected_file, root_dir=root))
        elif tfvars.is_file():
            scenarios.append(Scenario(name, expected_file, tfvars_file=tfvars))
        else:
            raise HarnessError(
                f"{expected_file}: no {tfvars.name} beside it and no `root:`; add the tfvars file "
                "or name the root configuration to plan."
            )
    if not scenarios:
        raise HarnessError(f"No scenarios in {directory}: the plan gate would check nothing.")
    return scenarios


def load_invalid_inputs(path: Path = INVALID_INPUTS_FILE) -> list[InvalidInput]:
    cases = []
    for name, case in load_yaml(path).items():
        _valid_name(name, path)
        if not isinstance(case, dict) or not {"tfvars", "error"} <= set(case):
            raise HarnessError(f"{path}: {name} needs `tfvars:` (HCL) and `error:` (expected message text).")
        state = case.get("state") or {}
        if not isinstance(state, dict) or not all(str(key).startswith(RECORDABLE) for key in state):
            raise HarnessError(
                f"{path}: {name}: `state:` maps terraform_data.NAME to the output a previous apply recorded "
                "(only terraform_data: a plan refreshes it without AWS)."
            )
        cases.append(InvalidInput(name, str(case["tfvars"]), " ".join(str(case["error"]).split()), state))
    if not cases:
        raise HarnessError(f"{path} lists no invalid inputs: the validation gate would check nothing.")
    return cases
