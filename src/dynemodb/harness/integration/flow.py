"""The integration flow for any target: apply every example, verify it, check runtime permissions, re-plan
for drift, and always destroy and look for leftovers, whatever happened before (error or signal)."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.batch import Batch
from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.report import RunReport
from dynemodb.harness.integration.signals import Interrupted, RunControl
from dynemodb.harness.integration.target import Target
from dynemodb.harness.integration.verify import verify
from dynemodb.harness.terraform import Toolchain

# Runtime permission checks differ by target (moto: assumed roles; sandbox: the policy simulator).
RuntimeCheck = Callable[[Deployment], list[str]]
Log = Callable[[str], None]


def describe(error: BaseException) -> str:
    return str(error) if isinstance(error, HarnessError) else f"{type(error).__name__}: {error}"


def _check(batch: Batch, report: RunReport, runtime_check: RuntimeCheck, log: Log) -> None:
    for dep in batch.applied():
        for phase, check in (("verify", verify), ("permissions", runtime_check)):
            try:
                report.add(phase, check(dep))
            except Exception as exc:  # a crash in one check must not skip the others, nor the destroy
                report.add(phase, [f"{dep.example}: {phase} could not run: {describe(exc)}"])
        log(f"verified {dep.example}")


def _cleanup(batch: Batch, report: RunReport, log: Log) -> None:
    pending = [d.example for d in batch.deployments.values() if d.apply_started and not d.destroyed]
    log(f"destroying {', '.join(pending) or 'nothing'}")
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
    runtime_check: RuntimeCheck,
    log: Log = print,
    run_id: str | None = None,
) -> RunReport:
    """Apply, verify, re-plan and destroy `examples` on `target`; the report says what went wrong."""
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    batch = Batch.prepare(tc, target, examples, workdir, control, run_id)
    report = RunReport(batch.run_id, target.kind, list(examples), batch.timings)
    try:
        log(f"run {batch.run_id}: applying {', '.join(examples)} on {target.kind}")
        for example, error in batch.apply().items():
            report.add("apply", [f"{example}: {describe(error)}"])
        _check(batch, report, runtime_check, log)
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
