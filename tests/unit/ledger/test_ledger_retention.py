"""retention_days: the TTL written on completion, and reads that honour it before DynamoDB deletes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger

DAY = 86400


@pytest.mark.parametrize(
    ("retention_days", "expected_ttl_offset"),
    [(None, None), (1, DAY), (30, 30 * DAY), (0.5, DAY // 2)],
    ids=["no retention", "one day", "thirty days", "half a day"],
)
def test_completion_writes_the_ttl_as_epoch_seconds(
    make_ledger: Callable[..., Ledger],
    dynamodb: Any,
    table: str,
    clock: Any,
    retention_days: float | None,
    expected_ttl_offset: int | None,
) -> None:
    clock.now += 0.4  # a fractional clock must still give whole TTL seconds, rounded up
    ledger = make_ledger(retention_days=retention_days)
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim)

    raw = dynamodb.get_item(TableName=table, Key={"file_id": {"S": "f"}})["Item"]
    if expected_ttl_offset is None:
        assert "expiration_time" not in raw
    else:
        assert raw["expiration_time"] == {"N": str(math.ceil(clock.now + expected_ttl_offset))}


@pytest.mark.parametrize("ending", ["in progress", "failed"])
def test_only_completion_sets_a_ttl(make_ledger: Callable[..., Ledger], stored: Any, ending: str) -> None:
    # Failures and live claims must outlive any retention: they are what the audit report is for.
    ledger = make_ledger(retention_days=1)
    claim = ledger.claim("f")
    assert claim is not None
    if ending == "failed":
        ledger.fail(claim, "boom")
    assert "expiration_time" not in stored("f")


@pytest.mark.parametrize(
    ("seconds_after_completion", "visible"),
    [(DAY - 1, True), (DAY, False), (DAY + 1, False), (400 * DAY, False)],
    ids=["a second before expiry", "at expiry", "a second after", "long after"],
)
def test_reads_treat_expired_records_as_absent_though_still_stored(
    make_ledger: Callable[..., Ledger],
    clock: Any,
    stored: Callable[[str], Any],
    seconds_after_completion: int,
    visible: bool,
) -> None:
    ledger = make_ledger(retention_days=1)
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim, rows=5)
    clock.advance(seconds_after_completion)

    assert stored("f") is not None, "moto, like DynamoDB for up to days, keeps the expired item"
    assert (ledger.get("f") is not None) is visible
    assert ledger.unprocessed(["f"]) == ([] if visible else ["f"])
    assert (ledger.claim("f") is None) is visible


def test_reclaiming_an_expired_record_starts_afresh(
    make_ledger: Callable[..., Ledger], clock: Any, stored: Callable[[str], Any]
) -> None:
    ledger = make_ledger(retention_days=1, max_attempts=2)
    first = ledger.claim("f")
    assert first is not None
    ledger.fail(first, "transient")
    second = ledger.claim("f")
    assert second is not None and second.attempt == 2
    ledger.complete(second, rows=5)
    clock.advance(DAY + 1)

    again = ledger.claim("f")
    assert again is not None and again.attempt == 1, "the old record's attempts must not count"
    record = stored("f")
    assert {"metadata", "completed_at", "last_error", "failed_at", "expiration_time"}.isdisjoint(record)


def test_a_custom_ttl_attribute_is_written_and_honoured(
    make_ledger: Callable[..., Ledger], clock: Any, stored: Any
) -> None:
    ledger = make_ledger(retention_days=1, ttl_attribute="purge_at")
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim)
    assert stored("f")["purge_at"] == math.ceil(clock.now + DAY)
    clock.advance(DAY)
    assert ledger.get("f") is None
