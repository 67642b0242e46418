"""One moto server and one apply of every example for the whole session; destroy runs last.

The examples are applied together (each its own terraform process) the first time a test asks for them;
test_destroy_leaves_nothing.py destroys them and checks nothing is left, and is moved to the end of the
session so every other test sees the applied examples. If it never runs (-k, a crash), the session
teardown destroys them anyway. Nothing here is autouse: tests/integration/ledger keeps its own fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dynemodb.harness import run_summary
from dynemodb.harness.emulator import MotoServer, moto_server
from dynemodb.harness.emulator.request_log import summary
from dynemodb.harness.integration.control import RunControl
from dynemodb.harness.integration.expected import EXAMPLES
from dynemodb.harness.integration.run import Batch
from dynemodb.harness.integration.target import MotoTarget
from dynemodb.harness.terraform import Toolchain, toolchain

LAST_FILES = ("test_destroy_leaves_nothing.py",)
SERVER_LOGS: list[Path] = []  # the session server's, summarised at the end (retries, 5xx, slow answers)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here:
            item.add_marker(pytest.mark.integration)
    last = [item for item in items if item.path.name in LAST_FILES]
    items[:] = [item for item in items if item.path.name not in LAST_FILES] + last


@pytest.fixture(scope="session")
def tf() -> Iterator[Toolchain]:
    with toolchain() as tc:
        yield tc


@pytest.fixture(scope="session")
def integration_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("integration")


@pytest.fixture(scope="session")
def moto(integration_dir: Path) -> Iterator[MotoServer]:
    SERVER_LOGS.append(integration_dir / "moto.log")
    with moto_server(log=SERVER_LOGS[-1]) as server:
        yield server


@pytest.hookimpl(trylast=True)  # after the session's fixtures (the server among them) are torn down
def pytest_sessionfinish(session: pytest.Session) -> None:
    if SERVER_LOGS:
        run_summary.add(session.config, "emulator", [summary(log) for log in SERVER_LOGS])


@pytest.fixture(scope="session")
def batch(tf: Toolchain, moto: MotoServer, integration_dir: Path) -> Iterator[Batch]:
    """Every example applied to the session's server (apply failures are reported by the tests)."""
    applied = Batch.prepare(tf, MotoTarget(moto), list(EXAMPLES), integration_dir / "runs", RunControl())
    try:
        applied.apply()
        yield applied
    finally:
        applied.destroy()  # the safety net; a no-op when the destroy test already ran
