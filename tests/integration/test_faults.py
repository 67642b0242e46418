"""Faults: a signal in the middle of an apply. The harness stops terraform gracefully, destroys everything
it applied (including the resource whose creation was in flight), reports the interruption, exits with
128 + the signal number, and stops its moto server.

CreateTable is answered late (emulator/faults.py) so the signal lands while terraform is inside that call
with the table already created: the hardest moment for a cleanup.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dynemodb.harness.emulator import moto_server
from dynemodb.harness.integration.cleanup import tagged
from dynemodb.harness.integration.deployment import RUN_ID_TAG
from dynemodb.harness.interrupts import descendants

DELAY = "CreateTable=8"
TIMEOUT = 240.0


def _wait_for(condition: Callable[[], Any], what: str, process: subprocess.Popen[str], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process.poll() is not None:
            raise AssertionError(f"the harness exited ({process.returncode}) before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _harness(tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "dynemodb.harness.integration", "run", "--example", "on_demand",
        "--workdir", str(tmp_path / "work"), "--report", str(tmp_path / "report.json"),
        "--delay-marker", str(tmp_path / "marker"), *extra,
    ]  # fmt: skip
    log = (tmp_path / "harness.log").open("w")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)


def _interrupt_mid_create_table(tmp_path: Path, process: subprocess.Popen[str], signum: int) -> dict[str, Any]:
    marker = tmp_path / "marker"
    _wait_for(lambda: marker.exists() and "CreateTable" in marker.read_text(), "CreateTable was called", process)
    process.send_signal(signum)
    process.wait(TIMEOUT)
    output = (tmp_path / "harness.log").read_text()
    assert process.returncode == 128 + signum, output
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["interrupted"] == signal.Signals(signum).name, output
    assert report["problems"]["destroy"] == [], output
    assert report["problems"]["leftovers"] == [], output
    assert any(t["step"] == "destroy" for t in report["timings"]), output
    # The table whose CreateTable was in flight is not in Terraform's state; its run tag finds it.
    assert any(item.startswith("dynamodb table ") for item in report["reaped"]), output
    return report


def test_sigint_mid_apply_destroys_everything(tmp_path: Path) -> None:
    # The server is the test's, so it can look at what is left after the harness is gone.
    with moto_server(delays={"CreateTable": 8}, delay_marker=tmp_path / "marker") as server:
        process = _harness(tmp_path, "--endpoint", server.endpoint)
        report = _interrupt_mid_create_table(tmp_path, process, signal.SIGINT)
        assert tagged(server.client, lambda tags: tags.get(RUN_ID_TAG) == report["run_id"]) == []
        assert server.client("dynamodb").list_tables()["TableNames"] == []
        assert server.client("sns").list_topics()["Topics"] == []


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] == "Z"  # a zombie has exited
    except FileNotFoundError:
        return True


def _refuses(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_sigterm_mid_apply_destroys_and_stops_the_server(tmp_path: Path) -> None:
    process = _harness(tmp_path, f"--delay={DELAY}")
    log = tmp_path / "harness.log"
    found = _wait_for(
        lambda: re.search(r"moto server http://127\.0\.0\.1:(\d+) \(pid (\d+)\)", log.read_text()),
        "the server line",
        process,
    )
    port, pid = int(found.group(1)), int(found.group(2))
    _interrupt_mid_create_table(tmp_path, process, signal.SIGTERM)
    assert _gone(pid), f"moto server pid {pid} still running"
    assert _refuses(port)
    assert f"moto server stopped (pid {pid})" in log.read_text()


def test_server_exits_when_its_owner_is_killed(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", (
            "import os, signal, sys\n"
            "from dynemodb.harness.emulator.server import start\n"
            "server = start()\n"
            "print(server.port, server.pid, flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n"
        )],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    port, pid = map(int, owner.communicate(timeout=60)[0].split())
    assert owner.returncode == -signal.SIGKILL
    try:
        deadline = time.monotonic() + 15
        while not _gone(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _gone(pid) and _refuses(port)
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)  # do not leave it behind if the test fails


def _terraform_init_running(pid: int) -> bool:
    for child in descendants(pid):
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(argv) > 1 and argv[0].endswith((b"terraform", b"tofu")) and argv[1] == b"init":
            return True
    return False


INIT_STOP_WITHIN = 6.0  # measured 1.5-2.5 s (terraform's own stop, then the server's); margin for load


def test_sigint_during_init_stops_at_once(tmp_path: Path) -> None:
    # Nothing is applied yet, so there is nothing to destroy or reap: the run ends as soon as terraform does.
    process = _harness(tmp_path)
    _wait_for(lambda: _terraform_init_running(process.pid), "terraform init started", process)
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    process.wait(TIMEOUT)
    took = time.monotonic() - sent
    output = (tmp_path / "harness.log").read_text()
    assert process.returncode == 128 + signal.SIGINT, output
    assert "nothing was applied: nothing to destroy" in output and "Traceback" not in output, output
    assert json.loads((tmp_path / "report.json").read_text())["interrupted"] == "SIGINT", output
    assert took < INIT_STOP_WITHIN, f"took {took:.1f} s to stop:\n{output}"
