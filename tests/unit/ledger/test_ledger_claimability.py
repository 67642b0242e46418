"""When may a file be claimed? One scenario table, checked three ways.

The DynamoDB condition (claim), the Python predicate (unprocessed) and the spec must agree: unprocessed()
promises exactly the ids a claim would succeed for now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger
from dynemodb.ledger.conditions import is_claimable

NOW = 1_700_000_000.0
MAX_ATTEMPTS = 3

# (scenario, record as stored or None, claimable now?, attempt number a successful claim gets)
SCENARIOS = [
    ("never seen", None, True, 1),
    ("completed", {"status": "COMPLETED", "attempts": 1}, False, None),
    ("completed, retention not over", {"status": "COMPLETED", "attempts": 1, "expiration_time": NOW + 1}, False, None),
    ("completed, past expiration", {"status": "COMPLETED", "attempts": 2, "expiration_time": NOW - 1}, True, 1),
    ("completed, expiring this second", {"status": "COMPLETED", "attempts": 1, "expiration_time": NOW}, True, 1),
    ("in progress, live lease", {"status": "IN_PROGRESS", "attempts": 1, "lease_expires_at": NOW + 1}, False, None),
    ("in progress, lease lapsed", {"status": "IN_PROGRESS", "attempts": 1, "lease_expires_at": NOW - 1}, True, 2),
    ("in progress, lease ends now", {"status": "IN_PROGRESS", "attempts": 1, "lease_expires_at": NOW}, True, 2),
    (
        "in progress, lapsed on last attempt",
        {"status": "IN_PROGRESS", "attempts": MAX_ATTEMPTS, "lease_expires_at": NOW - 1},
        False,
        None,
    ),
    ("in progress, no lease recorded", {"status": "IN_PROGRESS", "attempts": 1}, False, None),
    ("failed once", {"status": "FAILED", "attempts": 1}, True, 2),
    ("failed, one attempt left", {"status": "FAILED", "attempts": MAX_ATTEMPTS - 1}, True, MAX_ATTEMPTS),
    ("failed max_attempts times", {"status": "FAILED", "attempts": MAX_ATTEMPTS}, False, None),
    ("failed, attempts not recorded", {"status": "FAILED"}, True, 1),
    ("bare marker from an older pipeline", {}, False, None),
    ("unknown status", {"status": "DONE"}, False, None),
]
IDS = [s[0] for s in SCENARIOS]


@pytest.fixture
def ledger_at_now(make_ledger: Callable[..., Ledger], clock: Any) -> Ledger:
    clock.now = NOW
    return make_ledger(max_attempts=MAX_ATTEMPTS)


@pytest.mark.parametrize(("scenario", "record", "claimable", "attempt"), SCENARIOS, ids=IDS)
def test_predicate(scenario: str, record: dict[str, Any] | None, claimable: bool, attempt: int | None) -> None:
    item = None if record is None else {"file_id": "f"} | record
    assert is_claimable(item, now=NOW, max_attempts=MAX_ATTEMPTS, ttl_attribute="expiration_time") is claimable


@pytest.mark.parametrize(("scenario", "record", "claimable", "attempt"), SCENARIOS, ids=IDS)
def test_claim(
    ledger_at_now: Ledger,
    put_record: Callable[..., None],
    stored: Callable[[str], dict[str, Any] | None],
    scenario: str,
    record: dict[str, Any] | None,
    claimable: bool,
    attempt: int | None,
) -> None:
    if record is not None:
        put_record("f", **record)
    before = stored("f")

    claim = ledger_at_now.claim("f", owner="worker-1")

    if claimable:
        assert claim is not None and claim.attempt == attempt
        after = stored("f")
        assert after is not None
        assert (after["status"], after["attempts"], after["owner"]) == ("IN_PROGRESS", attempt, "worker-1")
        assert "expiration_time" not in after, "a reclaimed record must not keep its old expiry"
    else:
        assert claim is None
        assert stored("f") == before, "a refused claim must not change the record"


@pytest.mark.parametrize(("scenario", "record", "claimable", "attempt"), SCENARIOS, ids=IDS)
def test_unprocessed(
    ledger_at_now: Ledger,
    put_record: Callable[..., None],
    scenario: str,
    record: dict[str, Any] | None,
    claimable: bool,
    attempt: int | None,
) -> None:
    if record is not None:
        put_record("f", **record)
    assert ledger_at_now.unprocessed(["f"]) == (["f"] if claimable else [])
