"""The moto server's lifecycle: a child process on a free loopback port, stopped on every way out.

The child runs in its own session so that a Ctrl-C aimed at the harness does not kill the server before
the harness has destroyed what it applied there; the harness stops it itself, last. If the harness dies
without stopping it (SIGKILL), the child notices its parent is gone and exits (serve.py).
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dynemodb.harness.emulator.endpoints import Emulator
from dynemodb.harness.errors import HarnessError

STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0


class MotoServer(Emulator):
    """A moto server this process started and owns."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, host: str = "127.0.0.1") -> None:
        super().__init__(f"http://{host}:{port}")
        self.process = process
        self.port = port

    @property
    def pid(self) -> int:
        return self.process.pid

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _read_port(process: subprocess.Popen[bytes], log: Path | None) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=0.5):
                if process.poll() is not None:
                    break
                continue
            line = process.stdout.readline().decode().strip()
            if line.startswith("PORT "):
                return int(line.split()[1])
            if not line and process.poll() is not None:
                break
    where = f"; see {log}" if log else ""
    raise HarnessError(f"The moto server did not start within {STARTUP_SECONDS:.0f} s{where}.")


def start(
    log: Path | None = None, delays: Mapping[str, float] | None = None, delay_marker: Path | None = None
) -> MotoServer:
    """Start a moto server; the caller must stop() it (or use moto_server()). Delays: see faults.py."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    stderr: IO[bytes] | int = subprocess.DEVNULL
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        stderr = log.open("wb")
    command = [sys.executable, "-m", "dynemodb.harness.emulator.serve", "--parent-pid", str(os.getpid())]
    command += [f"--delay={name}={seconds}" for name, seconds in (delays or {}).items()]
    if delay_marker is not None:
        command.append(f"--delay-marker={delay_marker}")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env, start_new_session=True)
    if log is not None:
        stderr.close()  # type: ignore[union-attr]  # the child holds its own copy
    try:
        return MotoServer(process=process, port=_read_port(process, log))
    except BaseException:
        process.kill()
        process.wait()
        raise


@contextmanager
def moto_server(
    log: Path | None = None, delays: Mapping[str, float] | None = None, delay_marker: Path | None = None
) -> Iterator[MotoServer]:
    """A running moto server, stopped when the block ends however it ends (return, error, Ctrl-C)."""
    server = start(log, delays, delay_marker)
    try:
        yield server
    finally:
        server.stop()
