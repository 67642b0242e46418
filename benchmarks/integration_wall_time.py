"""Benchmark: wall time of the moto integration flow, and where it goes.

Runs `python -m dynemodb.harness.integration run` (own moto server; every example applied, verified,
re-planned and destroyed, in parallel) and prints its wall time and the terraform time per step, summed
over the examples. Compare with --serial, which runs one example after another (what a per-example flow
would cost).

    python benchmarks/integration_wall_time.py [--serial]

Not a test: timings depend on the machine and its load (2 vCPUs here: about 100 s parallel).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = ("on_demand", "glue_lambda_access", "complete")


def _run(workdir: Path, examples: tuple[str, ...]) -> dict[str, object]:
    report = workdir / f"report-{'-'.join(examples)}.json"
    command = [sys.executable, "-m", "dynemodb.harness.integration", "run", "--workdir", str(workdir)]
    command += [arg for ex in examples for arg in ("--example", ex)] + ["--report", str(report)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return dict(json.loads(report.read_text()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serial", action="store_true", help="also run the examples one at a time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dynemodb-bench-") as tmp:
        started = time.monotonic()
        report = _run(Path(tmp), EXAMPLES)
        print(f"parallel: {time.monotonic() - started:.0f} s end to end (server start included), ok={report['ok']}")
        print(f"  run wall time {report['wall_seconds']} s; terraform by step {report['terraform_seconds_by_step']}")
        if args.serial:
            started = time.monotonic()
            for example in EXAMPLES:
                _run(Path(tmp) / example, (example,))
            print(f"serial:   {time.monotonic() - started:.0f} s end to end (one server per example)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
