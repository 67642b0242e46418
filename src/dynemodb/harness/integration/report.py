"""What a run found and how long it took: one line per problem, grouped by phase, plus the wall time of
every terraform step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timing:
    example: str
    step: str
    seconds: float


@dataclass
class Timings:
    """Wall time of every terraform step of a run; shared by the worker threads (append is atomic)."""

    entries: list[Timing] = field(default_factory=list)

    def add(self, example: str, step: str, seconds: float) -> None:
        self.entries.append(Timing(example, step, seconds))

    def by_step(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for entry in self.entries:
            totals[entry.step] = totals.get(entry.step, 0.0) + entry.seconds
        return totals


PHASES = ("apply", "verify", "permissions", "drift", "destroy", "leftovers")


@dataclass
class RunReport:
    run_id: str
    target: str
    examples: list[str]
    timings: Timings
    problems: dict[str, list[str]] = field(default_factory=lambda: {phase: [] for phase in PHASES})
    wall_seconds: float = 0.0
    interrupted: str | None = None
    # Resources deleted by their run tag after the destroy: Terraform's state did not hold them (a create
    # call in flight when the run was interrupted). Expected after an interruption; a problem otherwise.
    reaped: list[str] = field(default_factory=list)

    def add(self, phase: str, lines: list[str]) -> None:
        self.problems[phase].extend(lines)

    @property
    def ok(self) -> bool:
        return self.interrupted is None and not any(self.problems.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "target": self.target,
            "examples": self.examples,
            "ok": self.ok,
            "interrupted": self.interrupted,
            "wall_seconds": round(self.wall_seconds, 1),
            "terraform_seconds_by_step": {k: round(v, 1) for k, v in self.timings.by_step().items()},
            "timings": [
                {"example": t.example, "step": t.step, "seconds": round(t.seconds, 1)} for t in self.timings.entries
            ],
            "reaped": self.reaped,
            "problems": self.problems,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), indent=2) + "\n")

    def summary(self) -> str:
        lines = [f"{phase}: {line}" for phase in PHASES for line in self.problems[phase]]
        steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in self.timings.by_step().items())
        state = "interrupted by " + self.interrupted if self.interrupted else ("ok" if self.ok else "FAILED")
        lines.append(
            f"run {self.run_id} on {self.target}: {state}; {len(self.examples)} examples in "
            f"{self.wall_seconds:.0f} s wall time (terraform, summed over examples: {steps or 'none'})"
        )
        return "\n".join(lines)
