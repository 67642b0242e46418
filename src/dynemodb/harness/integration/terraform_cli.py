"""Running terraform apply, plan and destroy as child processes the harness can stop cleanly.

Each command runs in its own session, so a Ctrl-C meant for the harness does not reach it directly: the
harness decides. When the run is cancelled it sends terraform one SIGINT, terraform's own graceful stop
(start nothing new, write the state), and waits for it, so that the destroy that follows starts from a
written state. A create call in flight is abandoned by the provider (context canceled) even though AWS may
have completed it: that resource is missing from the state, and the flow deletes it by its run tag after
the destroy (reaper.py). Commands run with `interruptible=False` (destroy) ignore cancellation altogether.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.signals import Interrupted

POLL_SECONDS = 0.25
# How long a gracefully stopping terraform may take to finish its calls in flight and write the state.
GRACE_SECONDS = 300.0


@dataclass(frozen=True)
class Timing:
    example: str
    step: str
    seconds: float


@dataclass
class Timings:
    """Wall time of every terraform step of a run; shared by the worker threads (append is atomic)."""

    entries: list[Timing] = field(default_factory=list)

    def add(self, example: str, step: str, seconds: float) -> None:
        self.entries.append(Timing(example, step, seconds))

    def by_step(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for entry in self.entries:
            totals[entry.step] = totals.get(entry.step, 0.0) + entry.seconds
        return totals


@dataclass
class Terraform:
    binary: str
    workdir: Path
    env: dict[str, str]
    example: str
    cancel: threading.Event
    timings: Timings

    def run(
        self,
        step: str,
        args: Sequence[str],
        *,
        ok: Sequence[int] = (0,),
        interruptible: bool = True,
        capture: bool = False,
    ) -> int:
        """Run `terraform <args>`, logging to <workdir>/logs/<step>.log; return the exit code (one of `ok`).

        With `capture`, stdout goes to <step>.out on its own (see `captured`), so JSON stays parseable.
        """
        if interruptible and self.cancel.is_set():
            raise Interrupted(signal.SIGINT)
        log_path = self.workdir / "logs" / f"{step}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        out_path = log_path.with_suffix(".out")
        with log_path.open("wb") as log, out_path.open("wb") if capture else nullcontext(log) as out:
            process = subprocess.Popen(
                [self.binary, *args],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=log if capture else subprocess.STDOUT,
                start_new_session=True,
            )
            stopped = self._wait(process, interruptible)
        self.timings.add(self.example, step, time.monotonic() - started)
        if stopped:
            raise Interrupted(signal.SIGINT)
        if process.returncode not in ok:
            tail = log_path.read_text(errors="replace")[-4000:].strip()
            raise HarnessError(
                f"{self.example}: terraform {step} failed (exit {process.returncode}); log {log_path}:\n{tail}"
            )
        return process.returncode

    def captured(self, step: str) -> str:
        return (self.workdir / "logs" / f"{step}.out").read_text()

    def _wait(self, process: subprocess.Popen[bytes], interruptible: bool) -> bool:
        """Wait for `process`; True when it was stopped because the run was cancelled."""
        try:
            while process.poll() is None:
                if interruptible and self.cancel.is_set():
                    _stop_gracefully(process)
                    return True
                time.sleep(POLL_SECONDS)
            return False
        except BaseException:
            # Interrupted or KeyboardInterrupt in this (main) thread: never leave terraform running alone.
            _stop_gracefully(process)
            raise


def _stop_gracefully(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
