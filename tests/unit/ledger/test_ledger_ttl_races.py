"""TTL races real DynamoDB has: its sweeper deletes an expired item at any moment, and a TTL on a live
claim makes it read as absent.

moto never sweeps (nor does DynamoDB promptly), so a botocore hook plays the sweeper: after every
UpdateItem the ledger makes, it deletes the item if the item is past its expiration time then, which is
a moment DynamoDB's sweeper may pick.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from dynemodb.ledger import Ledger

DAY = 86400


@pytest.fixture
def sweeper(dynamodb: Any, table: str, clock: Any, boto_session: boto3.session.Session) -> list[str]:
    """Deletes an expired item right after any UpdateItem; returns the ids it deleted."""
    # Its own client, so its requests are neither counted nor swept themselves.
    own = boto_session.client("dynamodb")
    swept: list[str] = []

    def sweep(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["key"] = params["Key"]

    def after(context: dict[str, Any], **_: Any) -> None:
        item = own.get_item(TableName=table, Key=context["key"]).get("Item", {})
        expires = item.get("expiration_time", {}).get("N")
        if expires is not None and float(expires) <= clock.now:
            own.delete_item(TableName=table, Key=context["key"])
            swept.append(context["key"]["file_id"]["S"])

    dynamodb.meta.events.register("before-parameter-build.dynamodb.UpdateItem", sweep)
    dynamodb.meta.events.register("after-call.dynamodb.UpdateItem", after)
    return swept


def test_an_expired_record_swept_mid_claim_is_still_claimed(
    make_ledger: Callable[..., Ledger],
    clock: Any,
    sweeper: list[str],
    api_calls: Counter[str],
    stored: Callable[[str], Any],
) -> None:
    ledger = make_ledger(retention_days=1)
    first = ledger.claim("f")
    assert first is not None
    ledger.complete(first, rows=1)
    clock.advance(DAY + 1)  # the record expired; DynamoDB may delete it at any moment from now
    api_calls.clear()

    claim = ledger.claim("f")

    # With a claim write refused (COMPLETED) and a second write for the expired case, the sweeper
    # deletes the item in between and the second write finds nothing: claim() said None for a file
    # nobody holds. One conditional write leaves the sweeper no moment to act.
    assert claim is not None and claim.attempt == 1
    assert api_calls == Counter({"UpdateItem": 1})
    assert sweeper == [], "the claim removed the TTL in the same write, so there was nothing to sweep"
    record = stored("f")
    assert (record["status"], record["attempts"], record["lease_token"]) == ("IN_PROGRESS", 1, claim.token)


@pytest.mark.parametrize(
    ("status", "attempts"),
    [("FAILED", 1), ("IN_PROGRESS", 1), ("REOPENED", None)],
    ids=["failed", "lapsed in progress", "reopened"],
)
def test_a_claim_removes_a_ttl_an_operator_left_on_the_record(
    make_ledger: Callable[..., Ledger],
    put_record: Callable[..., None],
    stored: Callable[[str], Any],
    clock: Any,
    status: str,
    attempts: int | None,
) -> None:
    # A TTL an hour ahead, set by hand on a record a claim may take.
    record = {"status": status, "lease_expires_at": clock.now - 1, "expiration_time": int(clock.now) + 3600}
    put_record("f", **record | ({"attempts": attempts} if attempts else {}))
    ledger = make_ledger(lease_seconds=7200)

    claim = ledger.claim("f", owner="worker-1")
    assert claim is not None
    assert "expiration_time" not in stored("f")

    # Past that TTL but within the claim's lease: had the claim kept it, the live claim would read as
    # absent (unprocessed) and another worker would take it over.
    clock.advance(3601)
    assert ledger.unprocessed(["f"]) == []
    assert ledger.claim("f", owner="worker-2") is None


def test_a_record_completed_before_attempts_moved_restarts_at_attempt_one(
    make_ledger: Callable[..., Ledger],
    put_record: Callable[..., None],
    stored: Callable[[str], Any],
    clock: Any,
    api_calls: Counter[str],
) -> None:
    # What an older ledger wrote: COMPLETED with `attempts` (3 of 3) and a TTL now passed.
    put_record("f", status="COMPLETED", attempts=3, expiration_time=int(clock.now) - 1)
    ledger = make_ledger(max_attempts=3)
    api_calls.clear()

    claim = ledger.claim("f")

    assert claim is not None and claim.attempt == 1
    assert api_calls == Counter({"UpdateItem": 2}), "the claim, then the token-fenced reset of the count"
    assert stored("f")["attempts"] == 1
    ledger.fail(claim, "transient")
    assert ledger.claim("f") is not None, "two attempts are left, as for a file never seen"
