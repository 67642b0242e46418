"""Ctrl-C for commands whose child processes only read: stop at once, say one word.

The plan-stage commands and the policy gate run terraform init, plan, show, validate and fmt (and Checkov)
on staged copies in the harness's own work directory: nothing remote changes and nothing of the user's is
written, so killing those children loses nothing. Waiting for them does: a terraform that got the
terminal's SIGINT stops gracefully, which takes tens of seconds mid-init, and its provider, interrupted in
its start-up handshake, makes terraform report a plugin "not compiled for this architecture", which is
false. So the first SIGINT or SIGTERM kills every descendant, keeps killing any a worker thread starts
after that, and the process exits within STOP_SECONDS whatever its threads are doing.

Not for the integration and sandbox runs: their terraform applies and destroys, and must stop gracefully
(integration/control.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

STOP_SECONDS = 1.5
_KILL_EVERY = 0.05
# Set once "interrupted" was printed, so the command's own Ctrl-C handling does not print it again.
ANNOUNCED = threading.Event()


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process we can see."""
    proc = Path("/proc")
    if proc.is_dir():
        found = {}
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # exited meanwhile
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        return found
    listing = subprocess.run(["ps", "-A", "-o", "pid=", "-o", "ppid="], capture_output=True, text=True, check=False)
    return {int(pid): int(ppid) for pid, ppid in (line.split() for line in listing.stdout.splitlines() if line.strip())}


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, pending = [], list(children.get(pid, []))
    while pending:
        child = pending.pop()
        found.append(child)
        pending.extend(children.get(child, []))
    return found


def kill_descendants() -> None:
    for pid in descendants(os.getpid()):
        with suppress(ProcessLookupError):  # exited meanwhile
            os.kill(pid, signal.SIGKILL)


class _Stopper:
    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.signum: int = signal.SIGINT

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self.signum = signum
        kill_descendants()
        print("interrupted", file=sys.stderr, flush=True)
        ANNOUNCED.set()
        threading.Thread(target=self._finish, name="stopper", daemon=True).start()
        raise KeyboardInterrupt

    def _finish(self) -> None:
        """Kill what worker threads still start; if the process has not exited by the deadline, exit it."""
        deadline = time.monotonic() + STOP_SECONDS
        while time.monotonic() < deadline:
            kill_descendants()
            time.sleep(_KILL_EVERY)
        kill_descendants()
        sys.stderr.flush()
        os._exit(128 + self.signum)


@contextmanager
def stop_at_once() -> Iterator[None]:
    """For the block (main thread): SIGINT and SIGTERM kill the children and raise KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopper = _Stopper()
    previous = {s: signal.signal(s, stopper.handle) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
