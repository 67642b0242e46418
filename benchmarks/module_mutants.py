"""Module mutation score: how many semantic defects of module/dynemoDB the pre-merge gate catches.

Each mutant in benchmarks/module_mutants.yaml is applied, one at a time, to a temporary copy of the
repository (module/ itself is never edited). On each, the gate runs as `nox -s plan_tests` would judge a
module change: `pytest tests/unit/module` (every scenario's plan and invariants, every invalid input, the
module's structure, the policy gate on every plan), then, if that passed, the policy gate's HCL scan of
the module and examples. A mutant is killed when either fails. The unmutated copy must pass first, or
every mutant would look killed.

A mutant whose search text does not match the module as it is fails the whole run before anything is
planned: it must be updated, never counted. A mutant listed with `equivalent: <reason>` is one shown
not to change behaviour, and one with `beyond_the_gate: <reason>` a real defect that plans of new tables
cannot show (it needs state); both are reported apart, with their reasons, and not counted.

    python benchmarks/module_mutants.py [--only NAME ...] [--list] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
MUTANTS_FILE = Path(__file__).with_suffix(".yaml")
MODULE = Path("module") / "dynemoDB"
# Not needed by the gate, or rebuilt by it: left out of the copy.
NOT_COPIED = {".git", ".venv", ".nox", ".dynemodb", "reports", "__pycache__", ".pytest_cache", ".ruff_cache"}
GATE_TIMEOUT = 900


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    search: str
    replace: str
    why: str
    occurrence: int | None = None
    equivalent: str | None = None
    # A real defect the plan gate cannot observe (it needs state, say), with what would catch it.
    beyond_the_gate: str | None = None

    def apply(self, text: str) -> str:
        """The mutated text; raises ValueError when the search text does not pick exactly one place."""
        starts = [m.start() for m in re.finditer(re.escape(self.search), text)]
        if self.occurrence is None and len(starts) != 1:
            raise ValueError(f"search text occurs {len(starts)} times in {self.path} (expected once)")
        if self.occurrence is not None and len(starts) < self.occurrence:
            raise ValueError(f"search text occurs {len(starts)} times in {self.path}, occurrence {self.occurrence}")
        start = starts[(self.occurrence or 1) - 1]
        mutated = text[:start] + self.replace + text[start + len(self.search) :]
        if mutated == text:
            raise ValueError("the replacement equals the search text: not a mutant")
        return mutated


def load_mutants(path: Path = MUTANTS_FILE) -> list[Mutant]:
    entries = yaml.safe_load(path.read_text()) or []
    mutants = [Mutant(**entry) for entry in entries]
    names = [m.name for m in mutants]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SystemExit(f"{path}: mutant names repeated: {repeated}")
    return mutants


def stale_mutants(mutants: list[Mutant], module_dir: Path) -> list[str]:
    problems = []
    for mutant in mutants:
        target = module_dir / mutant.path
        if not target.is_file():
            problems.append(f"{mutant.name}: {MODULE / mutant.path} does not exist")
            continue
        try:
            mutant.apply(target.read_text())
        except ValueError as exc:
            problems.append(f"{mutant.name}: {exc}")
    return problems


def _copy_repo(dest: Path) -> None:
    shutil.copytree(REPO_ROOT, dest, ignore=lambda _dir, names: [n for n in names if n in NOT_COPIED])


def _first_failure(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" - ")[0]
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def run_gate(copy: Path) -> tuple[bool, str]:
    """Run the gate in `copy`: (passed, what failed first)."""
    # The copy's own harness code, not the editable install's: edits to the checkout during a run must not
    # change the gate that judges the mutants.
    pythonpath = os.pathsep.join(filter(None, [str(copy / "src"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": pythonpath}
    pytest = [sys.executable, "-m", "pytest", "tests/unit/module", "-x", "-q", "-p", "no:cacheprovider"]
    proc = subprocess.run(pytest, cwd=copy, env=env, capture_output=True, text=True, timeout=GATE_TIMEOUT)
    if proc.returncode != 0:
        return False, _first_failure(proc.stdout + proc.stderr)
    with tempfile.TemporaryDirectory(prefix="dynemodb-mutant-reports-") as reports:
        gate = [sys.executable, "-m", "dynemodb.harness.policy", "gate", "--no-plan", "--reports", reports]
        proc = subprocess.run(gate, cwd=copy, env=env, capture_output=True, text=True, timeout=GATE_TIMEOUT)
    if proc.returncode != 0:
        return False, "policy gate (HCL): " + _first_failure(proc.stdout + proc.stderr)
    return True, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and check they apply, then stop")
    parser.add_argument("--jobs", type=int, default=1, help="mutants judged at once, each in its own copy")
    args = parser.parse_args()
    mutants = load_mutants()
    stale = stale_mutants(mutants, REPO_ROOT / MODULE)
    if stale:
        print("Mutants that no longer match the module (update them in benchmarks/module_mutants.yaml):")
        print("\n".join(f"  {line}" for line in stale))
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {m.name for m in mutants})
        if unknown:
            print(f"no mutant named {unknown}")
            return 2
        mutants = [m for m in mutants if m.name in args.only]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.name}: {mutant.why}")
        print(f"{len(mutants)} mutants, all applicable")
        return 0

    with tempfile.TemporaryDirectory(prefix="dynemodb-mutants-") as tmp:
        copies: queue.Queue[Path] = queue.Queue()
        for number in range(max(1, args.jobs)):
            copy = Path(tmp) / f"repo{number}"
            _copy_repo(copy)
            copies.put(copy)
        started = time.perf_counter()
        passed, failure = run_gate(copies.queue[0])
        print(f"baseline (unmutated copy): {'passes' if passed else 'FAILS'} in {time.perf_counter() - started:.0f} s")
        if not passed:
            print(f"  {failure}\nThe gate must pass on the module as it is before mutants mean anything.")
            return 2

        def judge(mutant: Mutant) -> tuple[Mutant, bool, str, float]:
            copy = copies.get()
            target = copy / MODULE / mutant.path
            original = target.read_text()
            target.write_text(mutant.apply(original))
            started = time.perf_counter()
            try:
                passed, failure = run_gate(copy)
            finally:
                target.write_text(original)
                copies.put(copy)
            return mutant, passed, failure, time.perf_counter() - started

        killed, survivors, equivalent = [], [], []
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for mutant, passed, failure, seconds in pool.map(judge, mutants):
                if mutant.equivalent or mutant.beyond_the_gate:
                    equivalent.append(mutant)
                    kind = "equivalent" if mutant.equivalent else "beyond the plan gate"
                    outcome = "killed anyway" if not passed else "survives"
                    verdict = f"{kind} ({outcome}): {mutant.equivalent or mutant.beyond_the_gate}"
                elif passed:
                    survivors.append(mutant)
                    verdict = "SURVIVED"
                else:
                    killed.append(mutant)
                    verdict = f"killed by {failure}"
                print(f"{mutant.name}: {verdict} [{seconds:.0f} s]", flush=True)
    counted = len(killed) + len(survivors)
    print(f"\nmutation score: {len(killed)}/{counted} killed", end="")
    print(f" ({len(equivalent)} equivalent or beyond the plan gate, not counted)" if equivalent else "")
    for mutant in survivors:
        print(f"  survivor {mutant.name}: {mutant.why}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
