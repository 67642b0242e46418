"""Benchmark: the plan gate against one bare `terraform plan`, in one run (figures, not a timed test).

Reports
  A. the wall time of what `nox -s plan_tests` runs (pytest over its paths, in this interpreter, so the
     figure excludes creating nox's virtualenv), with the number of scenarios and invalid inputs planned;
  B. one bare `terraform plan` of examples/complete (the everything-on example), after its init;
and the ratio A / B (target: at most 4).

    python benchmarks/plan_stage.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dynemodb.harness import runner
from dynemodb.harness.paths import EXAMPLES_DIR, REPO_ROOT
from dynemodb.harness.scenarios import load_invalid_inputs, load_scenarios
from dynemodb.harness.staging import stage_root
from dynemodb.harness.terraform import toolchain

PLAN_TEST_PATHS = ("tests/unit/module", "tests/unit/harness")


def plan_tests_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", *PLAN_TEST_PATHS, "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def bare_plan_seconds() -> tuple[float, float]:
    with toolchain() as tc, tempfile.TemporaryDirectory(prefix="dynemodb-bench-") as tmp:
        staged = stage_root(EXAMPLES_DIR / "complete", Path(tmp) / "complete")
        started = time.perf_counter()
        runner.init(tc, staged)
        init_seconds = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(
            [tc.binary, "plan", "-input=false", "-no-color", "-out=plan.tfplan"],
            cwd=staged,
            env=tc.env(),
            check=True,
            capture_output=True,
        )
        return init_seconds, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    args = parser.parse_args()
    scenarios, invalid = len(load_scenarios()), len(load_invalid_inputs())
    gate, bare, init = [], [], []
    for _ in range(args.repeat):
        gate.append(plan_tests_seconds())
        init_s, plan_s = bare_plan_seconds()
        init.append(init_s)
        bare.append(plan_s)
    a, b = statistics.median(gate), statistics.median(bare)
    print(f"plan_tests-equivalent: {a:.1f} s median of {gate!r} ({scenarios} scenarios, {invalid} invalid inputs)")
    print(f"bare terraform plan of examples/complete: {b:.1f} s median (init {statistics.median(init):.1f} s)")
    print(f"ratio: {a / b:.2f} (target <= 4)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
