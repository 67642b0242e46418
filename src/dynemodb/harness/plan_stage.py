"""The plan stage: one plan for every positive scenario, and plans of the invalid inputs until each has
been rejected or has planned cleanly. One running provider serves all of them; the invalid inputs are
initialised and planned while the scenarios are, and may still be running when the scenarios' plan is
handed back (their results are waited for when first read), so whatever judges the plan overlaps with them."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dynemodb.harness import runner
from dynemodb.harness.combined_root import write_scenarios_root
from dynemodb.harness.errors import HarnessError
from dynemodb.harness.expectations import check_scenario
from dynemodb.harness.invalid_plans import plan_invalid_inputs
from dynemodb.harness.paths import WORK_DIR
from dynemodb.harness.plan_for_scan import write_plan_for_scan
from dynemodb.harness.plan_values import module_counts, module_outputs, module_resources
from dynemodb.harness.provider_server import shared_provider
from dynemodb.harness.scenario_errors import scenario_message
from dynemodb.harness.scenarios import InvalidInput, Scenario
from dynemodb.harness.terraform import Toolchain


@dataclass
class PlanStage:
    plan: dict[str, Any]
    plan_file: Path  # what the policy scan reads of the plan (plan_for_scan.py); plan.json beside it is all of it
    scenarios: Sequence[Scenario]
    # Scenario name -> why it could not be planned (each message once, naming the user's file and line).
    # Such a scenario is left out of the plan so the others are still judged.
    broken: dict[str, list[str]] = field(default_factory=dict)
    _rejected: Future[dict[str, list[str]]] | None = None
    _pool: ThreadPoolExecutor | None = None
    _provider: ExitStack = field(default_factory=ExitStack)

    _reported: bool = False

    @property
    def rejections(self) -> dict[str, list[str]]:
        """Invalid-input case name -> the error messages its plan reported (empty: it planned cleanly).
        If planning them failed, the first read raises why and later reads say to look there."""
        if self._rejected is None:
            return {}
        try:
            return self._rejected.result()
        except HarnessError:
            if self._reported:
                raise HarnessError("The invalid inputs could not be planned (see the first failure).") from None
            self._reported = True
            raise

    def close(self) -> None:
        """Wait for the invalid inputs' plans (they use the toolchain's CLI config and the shared provider
        until they end), then stop the provider."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self._provider.close()

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


def _head_start(task: Callable[[], object]) -> None:
    # Only a head start: what fails here fails again where it is used, and is reported there.
    with suppress(Exception):
        task()


@contextmanager
def _beside(task: Callable[[], object] | None) -> Iterator[None]:
    """``task`` in a thread while the block runs; it has ended when the block has (so that nobody imports
    the same modules at the same time)."""
    thread = threading.Thread(target=_head_start, args=(task,), daemon=True) if task else None
    if thread is not None:
        thread.start()
    try:
        yield
    finally:
        if thread is not None:
            thread.join()


def _plan_scenarios(
    tc: Toolchain, workdir: Path, scenarios: Sequence[Scenario], while_showing: Callable[[], object] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Plan every scenario in one root (already initialised). A scenario whose own inputs break the plan
    is reported by its file and line and left out, and the rest planned again, so it fails alone.
    ``while_showing`` runs in a thread beside `terraform show`, and has ended when this returns."""
    by_instance = {s.module_name: s.name for s in scenarios}
    sources = write_scenarios_root(workdir, scenarios)
    broken = {name: [problem] for name, problem in sources.unwritable.items()}
    while True:
        returncode, diagnostics = runner.plan_diagnostics(tc, workdir, "-out=plan.tfplan")
        if returncode == 0:
            with _beside(while_showing):
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
        # A subset of the instances init installed: no new init needed.
        sources = write_scenarios_root(workdir, remaining)


def run_plan_stage(
    tc: Toolchain,
    scenarios: Sequence[Scenario],
    invalid_inputs: Sequence[InvalidInput],
    workdir: Path = WORK_DIR / "plan",
    wait_for_rejections: bool = True,
    while_showing: Callable[[], object] | None = None,
) -> PlanStage:
    """Plan the scenarios and the invalid inputs. With wait_for_rejections=False the invalid inputs may
    still be planning on return: read `rejections` (which waits) or call close() before the toolchain ends.
    ``while_showing``: the caller's own preparation to read the plan, run in a thread while the scenarios'
    plan is turned into JSON, when the CPU the plan needed is free (the policy scan's import)."""
    tc = tc.for_planning()
    if workdir.exists():
        shutil.rmtree(workdir)
    positive, negative = workdir / "scenarios", workdir / "invalid"
    write_scenarios_root(positive, scenarios)
    runner.init(tc, positive)
    provider = ExitStack()
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        tc = provider.enter_context(shared_provider(tc, positive))
        rejected = pool.submit(plan_invalid_inputs, tc, negative, invalid_inputs) if invalid_inputs else None
        plan, broken = _plan_scenarios(tc, positive, scenarios, while_showing)
    except BaseException:
        pool.shutdown(wait=True)
        provider.close()
        raise
    plan_file = write_plan_for_scan(plan, positive / "plan-for-scan.json")
    stage = PlanStage(plan, plan_file, scenarios, broken, rejected, pool, _provider=provider)
    if wait_for_rejections:
        stage.rejections  # noqa: B018 - waits for them, and raises what their planning raised
        stage.close()
    return stage
