"""What runs beside `terraform show` (the policy scan's import) has ended when the scenarios' plan is handed
back, and its failure is not the stage's: terraform is replaced here by its answers, the threads are real."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from dynemodb.harness import plan_stage, runner
from dynemodb.harness.scenarios import Scenario, load_scenarios
from dynemodb.harness.terraform import Toolchain

SHOWN: dict[str, Any] = {"planned_values": {}}


@pytest.fixture
def scenarios(monkeypatch: pytest.MonkeyPatch) -> list[Scenario]:
    def show(tc: Toolchain, workdir: Path) -> dict[str, Any]:
        time.sleep(0.05)
        return SHOWN

    monkeypatch.setattr(runner, "plan_diagnostics", lambda tc, workdir, *args: (0, []))
    monkeypatch.setattr(runner, "show_json", show)
    return load_scenarios()[:1]


def test_the_head_start_has_ended_when_the_plan_is_handed_back(scenarios: list[Scenario], tmp_path: Path) -> None:
    ended = threading.Event()

    def prepare() -> None:
        time.sleep(0.2)  # longer than the show
        ended.set()

    tc = Toolchain("terraform", "terraform", tmp_path / "cli.tfrc", None)
    assert plan_stage._plan_scenarios(tc, tmp_path, scenarios, prepare) == (SHOWN, {})
    assert ended.is_set()


def test_a_failing_head_start_prints_nothing_and_the_plan_is_handed_back(
    scenarios: list[Scenario], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncaught: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: uncaught.append(args.exc_value))

    def prepare() -> None:
        raise ImportError("no checkov here")

    tc = Toolchain("terraform", "terraform", tmp_path / "cli.tfrc", None)
    assert plan_stage._plan_scenarios(tc, tmp_path, scenarios, prepare) == (SHOWN, {})
    assert uncaught == []  # a traceback on the terminal, had it escaped the thread
