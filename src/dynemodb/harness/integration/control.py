"""Stopping a run cleanly: signals become a cancel event, and terraform runs as a child process that
stops gracefully when the run is cancelled.

Signals. The first SIGINT or SIGTERM sets the run's cancel event (worker threads poll it and stop their
terraform gracefully) and raises Interrupted in the main thread, so every `finally` runs: destroy, then
stopping the server. While cleanup is shielded, later signals are reported and ignored: a destroy cut short
is exactly the leftover this harness exists to prevent. SIGKILL still ends everything (the server then
exits by itself).

Terraform. Each command runs in its own session, so a Ctrl-C meant for the harness does not reach it
directly: the harness decides. When the run is cancelled it sends terraform one SIGINT, terraform's own
graceful stop (start nothing new, write the state), and waits for it, so that the destroy that follows
starts from a written state. A create call in flight is abandoned by the provider (context canceled) even
though AWS may have completed it: that resource is missing from the state, and the run deletes it by its
run tag after the destroy (cleanup.py). Commands run with `interruptible=False` (destroy) ignore
cancellation altogether.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.report import Timings

HANDLED = (signal.SIGINT, signal.SIGTERM)
POLL_SECONDS = 0.25
# How long a gracefully stopping terraform may take to finish its calls in flight and write the state.
GRACE_SECONDS = 300.0


class Interrupted(BaseException):  # like KeyboardInterrupt: not an Exception, so not swallowed
    """The run was interrupted by a signal; cleanup still runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


class RunControl:
    """Cancellation shared by the main thread and the worker threads of one run."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.signum: int | None = None
        self._shielded = 0

    @property
    def interrupted(self) -> bool:
        return self.cancel.is_set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._shielded or self.cancel.is_set():
            name = signal.Signals(signum).name
            print(f"{name} received: cleanup is running and will finish first", file=sys.stderr, flush=True)
            self.cancel.set()
            return
        self.signum = signum
        self.cancel.set()
        raise Interrupted(signum)

    @contextmanager
    def handling_signals(self) -> Iterator[None]:
        """Install the handlers for the block (main thread only), restoring the previous ones after."""
        previous = {s: signal.signal(s, self._handle) for s in HANDLED}
        try:
            yield
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    @contextmanager
    def shielded(self) -> Iterator[None]:
        """Cleanup that signals must not cut short."""
        self._shielded += 1
        try:
            yield
        finally:
            self._shielded -= 1

    def exit_code(self) -> int | None:
        """The shell's convention for a run ended by a signal (128 + number), or None if none came."""
        return None if self.signum is None else 128 + self.signum


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
