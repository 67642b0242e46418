"""What a test run says at its end, by section: the plan stage's failure, the policy mutation score, the
emulator's request summary.

Tests and fixtures add lines wherever they run. Under pytest-xdist (`nox -s tests` runs two workers) each
worker's sections travel to the controller in its `workeroutput` (tests/conftest.py), so a parallel run
ends with the same sections as a serial one.
"""

from __future__ import annotations

from typing import Any

WORKER_OUTPUT_KEY = "dynemodb_summary"


def sections(config: Any) -> dict[str, list[str]]:
    """The run's sections so far (a pytest Config's own, kept on it)."""
    found: dict[str, list[str]] = config.__dict__.setdefault(WORKER_OUTPUT_KEY, {})
    return found


def add(config: Any, section: str, lines: list[str]) -> None:
    """Say ``lines`` under ``section`` at the end of the run (after any lines already there)."""
    sections(config).setdefault(section, []).extend(lines)
