"""SIGINT and SIGTERM during a run: stop what is running, then clean up anyway.

The first signal sets the run's cancel event (worker threads poll it and stop their terraform gracefully)
and raises Interrupted in the main thread, so every `finally` runs: destroy, then stopping the server.
While cleanup is shielded, later signals are reported and ignored: a destroy cut short is exactly the
leftover this harness exists to prevent. SIGKILL still ends everything (the server then exits by itself).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM)


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
