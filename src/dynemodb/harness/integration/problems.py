"""Collecting verification problems as one line each: "<example>: <what>: got X, expected Y"."""

from __future__ import annotations

from typing import Any


class Problems:
    def __init__(self, example: str) -> None:
        self.example = example
        self.lines: list[str] = []

    def add(self, message: str) -> None:
        self.lines.append(f"{self.example}: {message}")

    def expect(self, what: str, got: Any, expected: Any) -> None:
        if got != expected:
            self.add(f"{what}: got {got!r}, expected {expected!r}")
