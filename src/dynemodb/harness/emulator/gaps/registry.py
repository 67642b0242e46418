"""The record every fill carries: what moto does, what AWS answers instead, and where AWS says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Gap:
    """One difference between moto 5.2.5 and AWS that the harness fills in the server process.

    kind "lacks": moto does not implement the call (or answers in a shape clients cannot read).
    kind "differs": moto accepts what AWS refuses, reports what AWS does not, or refuses what AWS accepts;
    the fill makes moto give AWS's answer, so an apply or a ledger write fails on the emulator exactly
    where it would fail on AWS.
    """

    id: str
    kind: Literal["lacks", "differs"]
    call: str
    aws: str
    source: str


def table_by_arn(backend: Any, arn: Any) -> Any:
    """The table of a moto DynamoDB backend that ``arn`` names exactly (account, Region and name), or None."""
    return next((t for t in backend.tables.values() if t.table_arn == arn), None) if isinstance(arn, str) else None


def checked_first(check: Callable[[Any], None], action: Callable[..., Any]) -> Callable[..., Any]:
    """A handler method that runs `check` (which raises AWS's error) before moto's own `action`."""

    def fill(self: Any) -> Any:
        check(self)
        return action(self)

    return fill
