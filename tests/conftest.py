"""Shared test settings: no test may reach AWS or the network; the run's end-of-run sections."""

import gc
import os
from typing import Any

import pytest

from dynemodb.harness import run_summary

# `nox -s tests` runs two pytest-xdist workers: the lifecycle stage (one long chain of applies to one table)
# on one, everything else on the other, in collection order (test_destroy_leaves_nothing.py stays last).
LIFECYCLE = "test_lifecycle.py"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the items
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group("lifecycle" if item.path.name == LIFECYCLE else "suite"))


@pytest.fixture(autouse=True, scope="session")
def _offline_aws_credentials() -> None:
    # Dummy credentials so that no test can pick up a real profile and reach a real account.
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        os.environ[key] = value
    os.environ.pop("AWS_PROFILE", None)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    # The interpreter's exit would run full collections over all that is still alive (Checkov's modules
    # and registries, the plans): 0.8 s of the plan stage's 11 s. Nothing needs those objects collected:
    # atexit handlers still run and what reference counting frees is still freed (and flushed).
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    # A worker's sections go to the controller with its workeroutput (sent after every sessionfinish hook).
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[run_summary.WORKER_OUTPUT_KEY] = run_summary.sections(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for section, lines in getattr(node, "workeroutput", {}).get(run_summary.WORKER_OUTPUT_KEY, {}).items():
        run_summary.add(node.config, section, lines)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    for section, lines in run_summary.sections(config).items():
        terminalreporter.section(section)
        for line in lines:
            terminalreporter.write_line(line)
