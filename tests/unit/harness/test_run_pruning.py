"""Old integration runs are pruned: the latest few stay for a look, and a run whose state still lists
resources stays whatever its age (its state is what a destroy needs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dynemodb.harness.integration.run import KEEP_RUNS, prune_runs

# run directory -> resources its example's state still lists; listed oldest first.
RUNS = {f"1201000{n}00aaaaaa": 0 for n in range(KEEP_RUNS + 3)} | {"1130000000killed": 2}
OLDEST_FIRST = ["1130000000killed", *sorted(name for name in RUNS if name != "1130000000killed")]


def _lay_out(workdir: Path) -> None:
    for age, name in enumerate(reversed(OLDEST_FIRST)):
        state = workdir / name / "on_demand" / "terraform.tfstate"
        state.parent.mkdir(parents=True)
        (workdir / name / "module" / "dynemoDB").mkdir(parents=True)  # every run snapshots the module
        state.write_text(json.dumps({"resources": [{"type": "aws_dynamodb_table"}] * RUNS[name]}))
        os.utime(workdir / name, (1_800_000_000 - age * 60,) * 2)
    (workdir / "notes").mkdir()  # not a run: never touched


def test_keeps_the_latest_runs_and_any_run_that_still_holds_resources(tmp_path: Path) -> None:
    _lay_out(tmp_path)
    pruned = prune_runs(tmp_path)
    kept = sorted(p.name for p in tmp_path.iterdir())
    latest = OLDEST_FIRST[-KEEP_RUNS:]
    assert kept == sorted([*latest, "1130000000killed", "notes"])
    assert sorted(p.name for p in pruned) == sorted(set(OLDEST_FIRST) - set(latest) - {"1130000000killed"})
