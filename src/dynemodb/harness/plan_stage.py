"""The plan stage: one plan for every positive scenario, and plans of the invalid inputs until each has
been rejected or has planned cleanly. Both run at once; each is one provider start, not one per case."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynemodb.harness import runner
from dynemodb.harness.combined_root import SourceMap, write_invalid_inputs_root, write_scenarios_root
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.expectations import check_scenario
from dynemodb.harness.paths import MODULE_DIR, REPO_ROOT, WORK_DIR
from dynemodb.harness.plan_values import module_counts, module_outputs, module_resources
from dynemodb.harness.scenarios import InvalidInput, Scenario
from dynemodb.harness.terraform import Toolchain

_INSTANCE = re.compile(r'module "(n_\w+)"|\.terraform/modules/(n_\w+)[/.]')
# A positive scenario's instance in a diagnostic: its module call, its staged root, or its module copy.
_SCENARIO_INSTANCE = re.compile(r'module "([sr]_\w+)"|\.terraform/modules/([sr]_\w+)[/.]|roots/([sr]_\w+)/')
_MODULE_FILE = re.compile(r"\.terraform/modules/[sr]_\w+(?:\.\w+)*/")


@dataclass
class PlanStage:
    plan: dict[str, Any]
    plan_file: Path
    scenarios: Sequence[Scenario]
    # Invalid-input case name -> the error messages its plan reported (empty: it planned without error).
    rejections: dict[str, list[str]]
    # Scenario name -> why it could not be planned (each message once, naming the user's file and line).
    # Such a scenario is left out of the plan so the others are still judged.
    broken: dict[str, list[str]] = field(default_factory=dict)

    def scenario_view(self, scenario: Scenario) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
        resources = module_resources(self.plan, scenario.address)
        return resources, module_counts(resources), module_outputs(self.plan, scenario.module_name)

    def scenario_mismatches(self, scenario: Scenario) -> list[str]:
        if scenario.name in self.broken:
            return self.broken[scenario.name]
        resources, counts, outputs = self.scenario_view(scenario)
        if not resources:
            return [f"{scenario.name}: the plan holds no resources for {scenario.address}"]
        return check_scenario(scenario.name, scenario.expected(), resources, counts, outputs)


def _repo_relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def scenario_message(diagnostic: dict[str, Any], sources: SourceMap) -> tuple[str | None, str]:
    """(module instance, one line naming the user's file and line) for a plan error diagnostic."""
    snippet, where = diagnostic.get("snippet") or {}, diagnostic.get("range") or {}
    filename, line = str(where.get("filename", "")), (where.get("start") or {}).get("line")
    text = " ".join(str(p) for p in (snippet.get("context"), filename, diagnostic.get("detail")) if p)
    match = _SCENARIO_INSTANCE.search(text)
    instance = next((g for g in match.groups() if g), None) if match else None
    detail = _MODULE_FILE.sub(f"{_repo_relative(MODULE_DIR)}/", str(diagnostic.get("detail", "")))
    message = " ".join(f"{diagnostic.get('summary', '')}: {detail}".split())
    location = None
    if instance in sources.tfvars and filename == "main.tf" and line:
        tfvars, first = sources.tfvars[instance]
        location = f"{_repo_relative(tfvars)}:{line - first + 1}"
    elif instance in sources.roots and filename.startswith(f"roots/{instance}/"):
        location = f"{_repo_relative(sources.roots[instance] / Path(filename).name)}:{line}"
    elif instance in sources.tfvars or instance in sources.roots:
        origin = sources.tfvars[instance][0] if instance in sources.tfvars else sources.roots[instance]
        inside = _MODULE_FILE.sub(f"{_repo_relative(MODULE_DIR)}/", filename)
        location = f"{_repo_relative(origin)} (raised at {inside}:{line})"
    return instance, f"{location or filename}: {message}"


def _plan_scenarios(
    tc: Toolchain, workdir: Path, scenarios: Sequence[Scenario]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Plan every scenario in one root. A scenario whose own inputs break the plan is reported (by its
    file and line) and left out, and the rest are planned again, so one bad scenario fails alone."""
    by_instance = {s.module_name: s.name for s in scenarios}
    sources = write_scenarios_root(workdir, scenarios)
    broken = {name: [problem] for name, problem in sources.unwritable.items()}
    runner.init(tc, workdir)
    while True:
        returncode, diagnostics = runner.plan_diagnostics(tc, workdir, "-out=plan.tfplan")
        if returncode == 0:
            return runner.show_json(tc, workdir), broken
        found: dict[str, list[str]] = {}
        unexplained: list[str] = []
        for diagnostic in diagnostics:
            if diagnostic.get("severity") != "error":
                continue
            instance, message = scenario_message(diagnostic, sources)
            bucket = found.setdefault(by_instance[instance], []) if instance in by_instance else unexplained
            if message not in bucket:
                bucket.append(message)
        if unexplained or not found:
            lines = unexplained or [f"terraform plan failed in {workdir} without saying why (exit {returncode})"]
            raise HarnessError("The scenarios' plan failed:\n" + "\n".join(dict.fromkeys(lines)))
        broken.update(found)
        remaining = [s for s in scenarios if s.name not in broken]
        if not remaining:
            return {}, broken
        # A subset of the instances the first init installed: no new init needed.
        sources = write_scenarios_root(workdir, remaining)


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
        plan, broken = planned.result()
        rejections = rejected.result() if rejected else {}
    return PlanStage(plan, positive / "plan.json", scenarios, rejections, broken)
