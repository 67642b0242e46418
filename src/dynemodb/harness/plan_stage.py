"""The plan stage: one plan for every positive scenario, and plans of the invalid inputs until each has
been rejected or has planned cleanly. Both run at once; each is one provider start, not one per case."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dynemodb.harness import runner
from dynemodb.harness.combined_root import write_invalid_inputs_root, write_scenarios_root
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.expectations import check_scenario
from dynemodb.harness.paths import WORK_DIR
from dynemodb.harness.plan_values import module_counts, module_outputs, module_resources
from dynemodb.harness.scenarios import InvalidInput, Scenario
from dynemodb.harness.terraform import Toolchain

_INSTANCE = re.compile(r'module "(n_\w+)"|\.terraform/modules/(n_\w+)[/.]')


@dataclass
class PlanStage:
    plan: dict[str, Any]
    plan_file: Path
    scenarios: Sequence[Scenario]
    # Invalid-input case name -> the error messages its plan reported (empty: it planned without error).
    rejections: dict[str, list[str]]

    def scenario_view(self, scenario: Scenario) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
        resources = module_resources(self.plan, scenario.address)
        return resources, module_counts(resources), module_outputs(self.plan, scenario.module_name)

    def scenario_mismatches(self, scenario: Scenario) -> list[str]:
        resources, counts, outputs = self.scenario_view(scenario)
        if not resources:
            return [f"{scenario.name}: the plan holds no resources for {scenario.address}"]
        return check_scenario(scenario.name, scenario.expected(), resources, counts, outputs)


def _plan_scenarios(tc: Toolchain, workdir: Path, scenarios: Sequence[Scenario]) -> dict[str, Any]:
    write_scenarios_root(workdir, scenarios)
    runner.init(tc, workdir)
    return runner.plan_json(tc, workdir)


def _diagnostic_instance(diagnostic: dict[str, Any]) -> str | None:
    text = " ".join(
        str(part)
        for part in (
            diagnostic.get("snippet", {}).get("context"),
            diagnostic.get("range", {}).get("filename"),
            diagnostic.get("detail"),
        )
        if part
    )
    match = _INSTANCE.search(text)
    return (match.group(1) or match.group(2)) if match else None


def _plan_invalid_inputs(tc: Toolchain, workdir: Path, cases: Sequence[InvalidInput]) -> dict[str, list[str]]:
    """Terraform stops a plan's walk at variable validation errors before it evaluates preconditions, so
    cases not yet reported are planned again on their own until every case is reported or plans."""
    rejections: dict[str, list[str]] = {case.name: [] for case in cases}
    by_instance = {case.module_name: case.name for case in cases}
    pending = list(cases)
    write_invalid_inputs_root(workdir, pending)
    runner.init(tc, workdir)
    while pending:
        returncode, diagnostics = runner.plan_diagnostics(tc, workdir)
        reported = set()
        for diagnostic in diagnostics:
            if diagnostic.get("severity") != "error":
                continue
            instance = _diagnostic_instance(diagnostic)
            if instance not in by_instance:
                raise HarnessError(
                    f"An invalid-input plan failed for a reason no case accounts for: "
                    f"{diagnostic.get('summary')}: {diagnostic.get('detail')}"
                )
            message = " ".join(f"{diagnostic.get('summary', '')}: {diagnostic.get('detail', '')}".split())
            rejections[by_instance[instance]].append(message)
            reported.add(by_instance[instance])
        if returncode == 0 or not reported:
            break
        # Later rounds call a subset of the instances the first round initialised: no new init needed.
        pending = [case for case in pending if case.name not in reported]
        if pending:
            write_invalid_inputs_root(workdir, pending)
    return rejections


def run_plan_stage(
    tc: Toolchain,
    scenarios: Sequence[Scenario],
    invalid_inputs: Sequence[InvalidInput],
    workdir: Path = WORK_DIR / "plan",
) -> PlanStage:
    if workdir.exists():
        shutil.rmtree(workdir)
    positive, negative = workdir / "scenarios", workdir / "invalid"
    with ThreadPoolExecutor(max_workers=2) as pool:
        planned = pool.submit(_plan_scenarios, tc, positive, scenarios)
        rejected = pool.submit(_plan_invalid_inputs, tc, negative, invalid_inputs) if invalid_inputs else None
        plan = planned.result()
        rejections = rejected.result() if rejected else {}
    return PlanStage(plan=plan, plan_file=positive / "plan.json", scenarios=scenarios, rejections=rejections)
