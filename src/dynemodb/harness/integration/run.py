"""The integration run for any target: apply every root, verify it, check runtime permissions, re-plan for
drift, and always destroy, reap and look for leftovers, whatever happened before (error or signal).

A Batch is every root of one run, staged together; each step (apply, re-plan, destroy) runs one terraform
process per root at once: most of a step is the provider starting, so this is where the wall time goes.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.cleanup import leftovers, reap_run
from dynemodb.harness.integration.control import Interrupted, RunControl
from dynemodb.harness.integration.deployment import (
    Deployment,
    checked_run_id,
    new_run_id,
    prepare,
    snapshot_module,
)
from dynemodb.harness.integration.report import RunReport, Timings
from dynemodb.harness.integration.target import Target
from dynemodb.harness.integration.verify import verify
from dynemodb.harness.paths import MODULE_DIR
from dynemodb.harness.terraform import Toolchain

Log = Callable[[str], None]
Step = Callable[[Deployment], None]

KEEP_RUNS = 5  # staged roots, logs and states of the latest runs stay for a look; older ones are pruned
DESTROY_ATTEMPTS = 2  # a real account's eventual consistency can fail a first destroy (IAM, policies)
DESTROY_RETRY_SECONDS = 10.0


def describe(error: BaseException) -> str:
    return str(error) if isinstance(error, HarnessError) else f"{type(error).__name__}: {error}"


def _holds_resources(run_dir: Path) -> bool:
    """Whether any state under `run_dir` still lists a resource (a run killed before its destroy)."""
    for state in run_dir.glob("*/terraform.tfstate"):
        try:
            if json.loads(state.read_text()).get("resources"):
                return True
        except (OSError, ValueError):
            return True  # unreadable: keep it rather than guess
    return False


def prune_runs(workdir: Path, keep: int = KEEP_RUNS) -> list[Path]:
    """Delete the directories of all but the `keep` latest runs under `workdir`; return what was deleted.

    A run whose state still lists resources is kept whatever its age: its state is what a destroy needs."""
    runs = sorted(
        (d for d in workdir.iterdir() if (d / "module" / MODULE_DIR.name).is_dir()),  # a run's module snapshot
        key=lambda d: d.stat().st_mtime,
        reverse=True,
    )
    pruned = [d for d in runs[keep:] if not _holds_resources(d)]
    for run_dir in pruned:
        shutil.rmtree(run_dir, ignore_errors=True)
    return pruned


def _destroy(dep: Deployment) -> None:
    for attempt in range(1, DESTROY_ATTEMPTS + 1):
        try:
            dep.destroy()
            return
        except HarnessError:
            if attempt == DESTROY_ATTEMPTS:
                raise
            time.sleep(DESTROY_RETRY_SECONDS)


@dataclass
class Batch:
    run_id: str
    target: Target
    deployments: dict[str, Deployment]
    control: RunControl
    timings: Timings
    apply_failures: dict[str, BaseException] = field(default_factory=dict)
    apply_seconds: float = 0.0

    @classmethod
    def prepare(
        cls,
        tc: Toolchain,
        target: Target,
        examples: Sequence[str],
        workdir: Path,
        control: RunControl,
        run_id: str | None = None,
        roots: Mapping[str, Path] | None = None,
    ) -> Batch:
        """Stage every example (or `roots`: name -> configuration directory, for roots that are not
        examples) for a new run; nothing is applied yet. A fresh run id unless one is given."""
        run_id, timings = checked_run_id(run_id) if run_id else new_run_id(), Timings()
        workdir = workdir / run_id  # concurrent runs sharing a workdir must not restage each other's roots
        snapshot = snapshot_module(workdir)
        created_at = time.time()
        dirs: Mapping[str, Path | None] = roots or dict.fromkeys(examples)
        deployments = {
            name: prepare(tc, target, name, run_id, created_at, workdir, snapshot, control.cancel, timings, root)
            for name, root in dirs.items()
        }
        return cls(run_id, target, deployments, control, timings)

    def each(self, deployments: Sequence[Deployment], step: Step) -> dict[str, BaseException]:
        """Run `step` on every deployment at once (one thread, one terraform each); the failures by name.

        An interruption (a signal in this thread, or a worker stopped by the cancel event) is raised once
        every worker has stopped, so cleanup never races a terraform command that is still running.
        """
        failures: dict[str, BaseException] = {}
        if not deployments:
            return failures
        with ThreadPoolExecutor(max_workers=len(deployments), thread_name_prefix="tf") as pool:
            futures = {pool.submit(step, d): d for d in deployments}
            try:
                for future in as_completed(futures):
                    error = future.exception()
                    if error is not None:
                        failures[futures[future].example] = error
            except BaseException:
                self.control.cancel.set()  # workers stop their terraform gracefully; the pool waits for them
                raise
        interrupted = [e for e in failures.values() if isinstance(e, Interrupted | KeyboardInterrupt)]
        if interrupted:
            raise interrupted[0]
        return failures

    def apply(self) -> dict[str, BaseException]:
        """Init and apply every root (its own inputs only); the failures by name."""
        started = time.monotonic()
        self.apply_failures = self.each(list(self.deployments.values()), Deployment.apply)
        self.apply_seconds = time.monotonic() - started
        return self.apply_failures

    def deployment(self, example: str) -> Deployment:
        """The applied deployment of `example`; HarnessError saying why when its apply failed."""
        if example in self.apply_failures:
            raise HarnessError(f"{example} did not apply: {self.apply_failures[example]}")
        return self.deployments[example]

    def applied(self) -> list[Deployment]:
        return [d for name, d in self.deployments.items() if name not in self.apply_failures and d.outputs]

    def drift(self) -> dict[str, list[str]]:
        """Example -> what its re-plan would change (an empty list: no drift)."""
        found: dict[str, list[str]] = {}
        failures = self.each(self.applied(), lambda d: found.__setitem__(d.example, d.drift()))
        for example, error in failures.items():
            found[example] = [f"{example}: re-plan failed: {error}"]
        return found

    def pending(self) -> list[Deployment]:
        """Everything an apply was started for (interrupted applies included) and not yet destroyed."""
        return [d for d in self.deployments.values() if d.apply_started and not d.destroyed]

    def destroy(self) -> dict[str, BaseException]:
        return self.each(self.pending(), _destroy)

    def reap(self) -> tuple[list[str], list[str]]:
        """After destroy: delete what still carries this run's id (see cleanup.py); (reaped, failures)."""
        return reap_run(self.target.client, self.run_id)

    def leftovers(self) -> list[str]:
        return leftovers(self.target.client, self.run_id, [d.table_name for d in self.deployments.values()])


def _check(batch: Batch, report: RunReport, log: Log) -> None:
    for dep in batch.applied():
        for phase, check in (("verify", verify), ("permissions", batch.target.runtime_problems)):
            try:
                report.add(phase, check(dep))
            except Exception as exc:  # a crash in one check must not skip the others, nor the destroy
                report.add(phase, [f"{dep.example}: {phase} could not run: {describe(exc)}"])
        log(f"verified {dep.example}")


def _cleanup(batch: Batch, report: RunReport, log: Log) -> None:
    if not any(d.apply_started for d in batch.deployments.values()):
        # Stopped before any apply (in init, say): only an apply creates resources, so there is nothing
        # to destroy, reap or look for, and a Ctrl-C here ends the run at once.
        log("nothing was applied: nothing to destroy")
        return
    log(f"destroying {', '.join(d.example for d in batch.pending()) or 'nothing'}")
    for example, error in batch.destroy().items():
        report.add("destroy", [f"{example}: {describe(error)}"])
    try:
        reaped, failures = batch.reap()
        report.reaped = reaped
        report.add("leftovers", failures)
        if reaped:
            log(f"deleted by their run tag (not in Terraform's state): {', '.join(reaped)}")
        if reaped and report.interrupted is None and not report.problems["apply"]:
            # Nothing was in flight, so Terraform knew every resource: its destroy should have left nothing.
            report.add("destroy", [f"terraform destroy left {item} behind" for item in reaped])
        report.add("leftovers", batch.leftovers())
    except Exception as exc:
        report.add("leftovers", [f"could not reap or list what is left: {describe(exc)}"])


def run(
    tc: Toolchain,
    target: Target,
    examples: Sequence[str],
    workdir: Path,
    control: RunControl,
    log: Log = print,
    run_id: str | None = None,
) -> RunReport:
    """Apply, verify, re-plan and destroy `examples` on `target`; the report says what went wrong."""
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    prune_runs(workdir)
    batch = Batch.prepare(tc, target, examples, workdir, control, run_id)
    report = RunReport(batch.run_id, target.kind, list(examples), batch.timings)
    try:
        log(f"run {batch.run_id}: applying {', '.join(examples)} on {target.kind}")
        for example, error in batch.apply().items():
            report.add("apply", [f"{example}: {describe(error)}"])
        _check(batch, report, log)
        log("re-planning for drift")
        for lines in batch.drift().values():
            report.add("drift", lines)
    except (Interrupted, KeyboardInterrupt) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        report.interrupted = signal.Signals(signum).name
        log(f"{report.interrupted}: stopping, then destroying what was applied")
    finally:
        with control.shielded():
            _cleanup(batch, report, log)
            report.wall_seconds = time.monotonic() - started
    return report
