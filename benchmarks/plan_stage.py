"""Benchmark: the plan stage against native `terraform test` and one bare plan, in one run (figures, not
a timed test). Every figure is a cold run: nothing is cached between repeats.

Reports
  A. the plan stage: `pytest tests/unit/module` in this interpreter (every scenario's plan, its
     invariants, every invalid input, the module's structure, the policy gate on every plan);
  B. the native peer: the same tfvars scenarios and invalid inputs as `terraform test` run blocks
     (`command = plan`; `expect_failures` naming the variable or precondition that should fail), generated
     into a temporary copy of the module, init included;
  C. one bare `terraform plan` of examples/complete (the everything-on example), after its init, with the
     harness's Go runtime settings (Toolchain.for_planning in terraform.py; B has them too), and for reference with
     Go's defaults, as a user's own `terraform plan` runs;
and the ratios B / A (target >= 3) and A / C (target <= 4, goal 3), C with the harness's settings. Each
figure is wall-clock and CPU time (user + system of every process the measurement waited for): on a
shared machine the wall clock follows the load, the CPU time much less.

    python benchmarks/plan_stage.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dynemodb.harness import runner
from dynemodb.harness.invalid_packs import validations as variable_validations
from dynemodb.harness.invalid_plans import precondition_messages
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, REPO_ROOT
from dynemodb.harness.scenarios import InvalidInput, load_invalid_inputs, load_scenarios
from dynemodb.harness.staging import OFFLINE_PROVIDER_SETTINGS, provider_block, stage_root
from dynemodb.harness.terraform import Toolchain, toolchain

PLAN_STAGE_PATHS = ("tests/unit/module",)
# Invalid inputs whose plan also fails with an error no checkable object owns, which `expect_failures`
# cannot name (the run would fail, and terraform test skips every run after a failed one).
NOT_EXPECTABLE = {
    "gsi_name_clashes_with_audit_index": "also 'Duplicate object key' in autoscaling.tf's for expression",
}


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system seconds of the commands run (and everything they waited for)


@contextmanager
def timed(into: list[Timing]) -> Iterator[None]:
    """Append the wall and child CPU time of the block to `into`. CPU time barely moves with the load of a
    shared machine, so it backs the wall-clock figures there."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    yield
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    into.append(Timing(time.perf_counter() - started, cpu))


def plan_stage(into: list[Timing]) -> None:
    with timed(into):
        subprocess.run(
            [sys.executable, "-m", "pytest", *PLAN_STAGE_PATHS, "-q", "-p", "no:cacheprovider"],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )


def _expected_failure(case: InvalidInput, validations: dict[str, list[str]], preconditions: list[str]) -> str:
    """The checkable object whose failure `case` expects; ValueError says why terraform test cannot expect it."""
    if case.name in NOT_EXPECTABLE:
        raise ValueError(NOT_EXPECTABLE[case.name])
    if case.state:
        raise ValueError("planned against recorded state, which a run block cannot start from")
    for name, messages in validations.items():
        if any(case.error in message for message in messages):
            return f"var.{name}"
    if any(case.error in message for message in preconditions):
        return "terraform_data.input_checks"
    raise ValueError("no validation or precondition message matches")


def native_test_file() -> tuple[str, int, int, dict[str, str]]:
    """The .tftest.hcl text, the number of scenario and invalid-input runs, and cases left out (with why)."""
    validations = {name: list(rule.messages) for name, rule in variable_validations().items()}
    preconditions = precondition_messages()
    parts = [provider_block(OFFLINE_PROVIDER_SETTINGS)]
    scenarios = [s for s in load_scenarios() if s.tfvars_file is not None]
    for scenario in scenarios:
        assert scenario.tfvars_file is not None
        body = "\n".join(f"    {line}" for line in scenario.tfvars_file.read_text().splitlines())
        parts.append(f'run "s_{scenario.name}" {{\n  command = plan\n  variables {{\n{body}\n  }}\n}}\n')
    left_out: dict[str, str] = {}
    invalid = 0
    for case in load_invalid_inputs():
        try:
            target = _expected_failure(case, validations, preconditions)
        except ValueError as why:
            left_out[case.name] = str(why)
            continue
        invalid += 1
        body = "\n".join(f"    {line}" for line in case.tfvars.splitlines())
        parts.append(
            f'run "n_{case.name}" {{\n  command = plan\n  variables {{\n{body}\n  }}\n'
            f"  expect_failures = [{target}]\n}}\n"
        )
    return "\n".join(parts), len(scenarios), invalid, left_out


def native_test(tc: Toolchain, text: str, into: list[Timing]) -> str:
    """Init plus `terraform test` of a copy of the module holding `text` as its test file; its summary."""
    with tempfile.TemporaryDirectory(prefix="dynemodb-native-") as tmp:
        module = Path(tmp) / "dynemoDB"
        shutil.copytree(MODULE_DIR, module, ignore=shutil.ignore_patterns(".terraform*", "README.md"))
        (module / "tests").mkdir()
        (module / "tests" / "plan.tftest.hcl").write_text(text)
        planning = tc.for_planning()
        with timed(into):
            runner.init(planning, module)
            proc = subprocess.run(
                [tc.binary, "test", "-no-color"],
                cwd=module,
                env=planning.env(),
                capture_output=True,
                text=True,
                check=False,
            )
    return next((line for line in reversed(proc.stdout.splitlines()) if line.strip()), "(no output)")


def bare_plans(tc: Toolchain, tuned: list[Timing], default: list[Timing]) -> None:
    """After init, one plan with the harness's Go settings and one with Go's defaults."""
    with tempfile.TemporaryDirectory(prefix="dynemodb-bench-") as tmp:
        staged = stage_root(EXAMPLES_DIR / "complete", Path(tmp) / "complete")
        runner.init(tc, staged)
        for env, into in ((tc.for_planning().env(), tuned), (tc.env(), default)):
            with timed(into):
                subprocess.run(
                    [tc.binary, "plan", "-input=false", "-no-color", "-out=plan.tfplan"],
                    cwd=staged,
                    env=env,
                    check=True,
                    capture_output=True,
                )


def _median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def _figures(timings: list[Timing]) -> str:
    median = _median(timings)
    walls = ", ".join(f"{t.wall:.1f}" for t in timings)
    return f"{median.wall:.1f} s wall (median of [{walls}]), {median.cpu:.1f} s CPU"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    args = parser.parse_args()
    scenarios, invalid = len(load_scenarios()), len(load_invalid_inputs())
    text, native_scenarios, native_invalid, left_out = native_test_file()
    load_before = os.getloadavg()[0]
    stage: list[Timing] = []
    native: list[Timing] = []
    bare: list[Timing] = []
    bare_default: list[Timing] = []
    summary = ""
    with toolchain() as tc:
        for _ in range(args.repeat):
            plan_stage(stage)
            summary = native_test(tc, text, native)
            bare_plans(tc, bare, bare_default)
    a, b, c = _median(stage), _median(native), _median(bare)
    print(f"A plan stage: {_figures(stage)} ({scenarios} scenarios, {invalid} invalid inputs)")
    print(
        f"B native terraform test: {_figures(native)} ({native_scenarios} scenario runs, {native_invalid} "
        f"invalid-input runs; init included); last result: {summary}"
    )
    if left_out:
        reasons = [f"{name} ({why})" for name, why in left_out.items()]
        print(f"  left out of B, terraform test cannot expect them: {'; '.join(reasons)}")
    print(
        f"C bare terraform plan of examples/complete: {_figures(bare)}; with Go's default GC {_figures(bare_default)}"
    )
    print(
        f"B / A: {b.wall / a.wall:.2f} wall, {b.cpu / a.cpu:.2f} CPU (target >= 3)   "
        f"A / C: {a.wall / c.wall:.2f} wall, {a.cpu / c.cpu:.2f} CPU bare plans (target <= 4, goal 3)"
    )
    # On a shared machine the load explains most of the spread between runs.
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
