"""Sweeping a sandbox account: delete what sandbox runs tagged and left behind, once it is old enough that
no run still in progress can own it."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dynemodb.harness.errors import HarnessError
from dynemodb.harness.integration.cleanup import ClientFor, Found, reap, tagged
from dynemodb.harness.integration.deployment import CREATED_AT_TAG, HARNESS_TAG, RUN_ID_TAG
from dynemodb.harness.integration.target import SANDBOX

DEFAULT_HOURS = 6.0


def is_stale(tags: Mapping[str, str], now: float, older_than_hours: float) -> bool:
    """Tagged by a sandbox run at least `older_than_hours` ago. No or a bad creation time: not ours to judge."""
    if tags.get(HARNESS_TAG) != SANDBOX:
        return False
    try:
        created_at = float(tags[CREATED_AT_TAG])
    except (KeyError, ValueError):
        return False
    return now - created_at >= older_than_hours * 3600


@dataclass
class SweepResult:
    found: list[Found] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def sweep(
    client_for: ClientFor,
    older_than_hours: float = DEFAULT_HOURS,
    *,
    run_id: str | None = None,
    dry_run: bool = False,
    clock: Callable[[], float] = time.time,
) -> SweepResult:
    """Delete stale sandbox resources; with `run_id`, every sandbox resource of that run, whatever its age
    (CI's last step after a run that may have been killed before its own cleanup)."""
    if run_id is None and not (math.isfinite(older_than_hours) and older_than_hours > 0):
        # 0, negative, nan or inf would reach the resources of runs still in progress.
        raise HarnessError(f"older_than_hours={older_than_hours!r}: use a positive number of hours.")
    now = clock()

    def wanted(tags: Mapping[str, str]) -> bool:
        if run_id is not None:
            return tags.get(HARNESS_TAG) == SANDBOX and tags.get(RUN_ID_TAG) == run_id
        return is_stale(tags, now, older_than_hours)

    found = tagged(client_for, wanted)
    return SweepResult(found, [] if dry_run else reap(client_for, found))
