"""Benchmark: the plan stage against native `terraform test` and one bare plan, in one run (figures, not
a timed test). Every figure is a cold run: nothing is cached between repeats.

Reports
  A. the plan stage: `pytest tests/unit/module` in this interpreter (every scenario's plan, its
     invariants, every invalid input, the module's structure, the policy gate on every plan);
  B. the native peer: the same tfvars scenarios and invalid inputs as `terraform test` run blocks
     (`command = plan`; `expect_failures` naming the variable or precondition that should fail), generated
     into a temporary copy of the module, init included;
  C. one bare `terraform plan` of examples/complete (the everything-on example), after its init, with the
     harness's Go runtime settings (GO_RUNTIME in terraform.py; B has them too), and for reference with
     Go's defaults, as a user's own `terraform plan` runs;
and the ratios B / A (target >= 3) and A / C (target <= 4, goal 3), C with the harness's settings.

    python benchmarks/plan_stage.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hcl2

from dynemodb.harness import runner
from dynemodb.harness.invalid_plans import precondition_messages
from dynemodb.harness.paths import EXAMPLES_DIR, MODULE_DIR, REPO_ROOT
from dynemodb.harness.scenarios import InvalidInput, load_invalid_inputs, load_scenarios
from dynemodb.harness.staging import OFFLINE_PROVIDER_SETTINGS, provider_block, stage_root
from dynemodb.harness.terraform import GO_RUNTIME, Toolchain, toolchain

PLAN_STAGE_PATHS = ("tests/unit/module",)
# Invalid inputs whose plan also fails with an error no checkable object owns, which `expect_failures`
# cannot name (the run would fail, and terraform test skips every run after a failed one).
NOT_EXPECTABLE = {
    "gsi_name_clashes_with_audit_index": "also 'Duplicate object key' in autoscaling.tf's for expression",
}


def plan_stage_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", *PLAN_STAGE_PATHS, "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _validation_messages() -> dict[str, list[str]]:
    with (MODULE_DIR / "variables.tf").open() as handle:
        variables = {n: b for block in hcl2.load(handle)["variable"] for n, b in block.items()}
    return {
        name: [" ".join(str(v["error_message"][0]).replace('\\"', '"').split()) for v in body.get("validation", [])]
        for name, body in variables.items()
    }


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
    validations, preconditions = _validation_messages(), precondition_messages()
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


def native_test_seconds(tc: Toolchain, text: str) -> tuple[float, str]:
    """Init plus `terraform test` of a copy of the module holding `text` as its test file."""
    with tempfile.TemporaryDirectory(prefix="dynemodb-native-") as tmp:
        module = Path(tmp) / "dynemoDB"
        shutil.copytree(MODULE_DIR, module, ignore=shutil.ignore_patterns(".terraform*", "README.md"))
        (module / "tests").mkdir()
        (module / "tests" / "plan.tftest.hcl").write_text(text)
        started = time.perf_counter()
        runner.init(tc, module)
        proc = subprocess.run(
            [tc.binary, "test", "-no-color"], cwd=module, env=tc.env(), capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
    summary = next((line for line in reversed(proc.stdout.splitlines()) if line.strip()), "(no output)")
    return seconds, summary


def bare_plan_seconds(tc: Toolchain) -> tuple[float, float, float]:
    """Init, then one plan with the harness's Go settings and one with Go's defaults."""
    with tempfile.TemporaryDirectory(prefix="dynemodb-bench-") as tmp:
        staged = stage_root(EXAMPLES_DIR / "complete", Path(tmp) / "complete")
        started = time.perf_counter()
        runner.init(tc, staged)
        init_seconds = time.perf_counter() - started
        plans = []
        for env in (tc.env(), {k: v for k, v in tc.env().items() if k not in GO_RUNTIME}):
            started = time.perf_counter()
            subprocess.run(
                [tc.binary, "plan", "-input=false", "-no-color", "-out=plan.tfplan"],
                cwd=staged,
                env=env,
                check=True,
                capture_output=True,
            )
            plans.append(time.perf_counter() - started)
        return init_seconds, plans[0], plans[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    args = parser.parse_args()
    scenarios, invalid = len(load_scenarios()), len(load_invalid_inputs())
    text, native_scenarios, native_invalid, left_out = native_test_file()
    load_before = os.getloadavg()[0]
    stage, native, bare, bare_default, init = [], [], [], [], []
    summary = ""
    with toolchain() as tc:
        for _ in range(args.repeat):
            stage.append(plan_stage_seconds())
            seconds, summary = native_test_seconds(tc, text)
            native.append(seconds)
            init_s, plan_s, default_s = bare_plan_seconds(tc)
            init.append(init_s)
            bare.append(plan_s)
            bare_default.append(default_s)
    a, b, c = statistics.median(stage), statistics.median(native), statistics.median(bare)
    rounded = lambda xs: ", ".join(f"{x:.1f}" for x in xs)  # noqa: E731
    print(f"A plan stage: {a:.1f} s median of [{rounded(stage)}] ({scenarios} scenarios, {invalid} invalid inputs)")
    print(
        f"B native terraform test: {b:.1f} s median of [{rounded(native)}] ({native_scenarios} scenario runs, "
        f"{native_invalid} invalid-input runs; init included); last result: {summary}"
    )
    if left_out:
        reasons = [f"{name} ({why})" for name, why in left_out.items()]
        print(f"  left out of B, terraform test cannot expect them: {'; '.join(reasons)}")
    print(
        f"C bare terraform plan of examples/complete: {c:.1f} s median of [{rounded(bare)}] "
        f"(init {statistics.median(init):.1f} s); with Go's default GC {statistics.median(bare_default):.1f} s"
    )
    print(f"B / A: {b / a:.2f} (target >= 3)   A / C: {a / c:.2f} bare plans (target <= 4, goal 3)")
    # On a shared machine the load explains most of the spread between runs.
    print(f"load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
