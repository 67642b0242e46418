"""Claim, heartbeat, complete and fail: the state machine, leases and ownership."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Claim, LeaseLost, Ledger

LEASE = 900


def test_a_completed_file_is_not_claimed_again(ledger: Ledger) -> None:
    claim = ledger.claim("s3://in/a.csv")
    assert claim is not None
    ledger.complete(claim, rows=10)

    assert ledger.claim("s3://in/a.csv") is None
    assert ledger.unprocessed(["s3://in/a.csv"]) == []
    record = ledger.get("s3://in/a.csv")
    assert record is not None
    # complete() moves the attempt count to completed_attempt (see writes.complete for why).
    assert (record["status"], record["completed_attempt"], record["metadata"]) == ("COMPLETED", 1, {"rows": 10})
    assert "attempts" not in record


def test_a_live_lease_keeps_other_workers_out(ledger: Ledger) -> None:
    first = ledger.claim("f", owner="worker-1")
    assert first is not None
    assert ledger.claim("f", owner="worker-2") is None
    # The same owner label gets no second claim either: it already holds one.
    assert ledger.claim("f", owner="worker-1") is None


def _overtaken(ledger: Ledger, clock: Any, claim: Claim) -> None:
    clock.advance(LEASE + 1)
    assert ledger.claim(claim.file_id, owner=claim.owner) is not None


def _completed(ledger: Ledger, clock: Any, claim: Claim) -> None:
    ledger.complete(claim)


def _failed(ledger: Ledger, clock: Any, claim: Claim) -> None:
    ledger.fail(claim, "disk full")


ACTIONS: dict[str, Callable[[Ledger, Claim], Any]] = {
    "heartbeat": lambda ledger, claim: ledger.heartbeat(claim),
    "complete": lambda ledger, claim: ledger.complete(claim, rows=1),
    "fail": lambda ledger, claim: ledger.fail(claim, "late"),
}

# (how the claim ended, what its holder then tries, the reason LeaseLost gives)
LOST = [
    ("overtaken after its lease lapsed", _overtaken, "heartbeat", "belongs to owner"),
    ("overtaken after its lease lapsed", _overtaken, "complete", "belongs to owner"),
    ("overtaken after its lease lapsed", _overtaken, "fail", "belongs to owner"),
    ("already completed", _completed, "heartbeat", "already ended as COMPLETED"),
    ("already completed", _completed, "fail", "already ended as COMPLETED"),
    ("already failed", _failed, "heartbeat", "already ended as FAILED"),
    ("already failed", _failed, "complete", "already ended as FAILED"),
]


@pytest.mark.parametrize(("ended", "end", "action", "reason"), LOST, ids=[f"{a} when {e}" for e, _, a, _ in LOST])
def test_only_the_current_owner_can_act(
    ledger: Ledger,
    clock: Any,
    stored: Callable[[str], Any],
    ended: str,
    end: Callable[..., None],
    action: str,
    reason: str,
) -> None:
    # Both workers use the same owner label: the per-claim token, not the label, decides ownership.
    claim = ledger.claim("f", owner="job-run-1")
    assert claim is not None
    end(ledger, clock, claim)
    before = stored("f")

    with pytest.raises(LeaseLost, match=reason):
        ACTIONS[action](ledger, claim)
    assert stored("f") == before, "a refused write must not change the record"


def test_a_vanished_record_is_a_lost_lease(ledger: Ledger, dynamodb: Any, table: str) -> None:
    claim = ledger.claim("f")
    assert claim is not None
    dynamodb.delete_item(TableName=table, Key={"file_id": {"S": "f"}})  # an operator cleaning up by hand
    with pytest.raises(LeaseLost, match="no longer exists"):
        ledger.complete(claim)
    assert ledger.get("f") is None, "complete must not resurrect a deleted record"


def test_a_lapsed_lease_nobody_took_can_still_complete(ledger: Ledger, clock: Any) -> None:
    claim = ledger.claim("f")
    assert claim is not None
    clock.advance(LEASE * 3)
    ledger.complete(claim)
    assert ledger.get("f")["status"] == "COMPLETED"  # type: ignore[index]


@pytest.mark.parametrize(
    ("heartbeat_after", "other_claims_after", "other_gets_it"),
    [
        (LEASE - 100, LEASE + 100, False),  # heartbeat pushed the lease to 2*LEASE - 100
        (LEASE - 100, 2 * LEASE - 100, True),  # ...and it lapses exactly then
        (None, LEASE + 100, True),  # without a heartbeat the lease lapsed at LEASE
    ],
)
def test_heartbeat_extends_the_lease_from_now(
    make_ledger: Callable[..., Ledger],
    clock: Any,
    heartbeat_after: float | None,
    other_claims_after: float,
    other_gets_it: bool,
) -> None:
    ledger = make_ledger(lease_seconds=LEASE)
    start = clock.now
    claim = ledger.claim("f")
    assert claim is not None
    if heartbeat_after is not None:
        clock.now = start + heartbeat_after
        renewed = ledger.heartbeat(claim)
        assert renewed.lease_expires_at == start + heartbeat_after + LEASE
        assert renewed.token == claim.token
    clock.now = start + other_claims_after
    assert (ledger.claim("f", owner="other") is not None) is other_gets_it


@pytest.mark.parametrize("max_attempts", [1, 2, 3])
def test_failures_allow_retries_up_to_max_attempts(make_ledger: Callable[..., Ledger], max_attempts: int) -> None:
    ledger = make_ledger(max_attempts=max_attempts)
    for attempt in range(1, max_attempts + 1):
        assert ledger.unprocessed(["f"]) == ["f"]
        claim = ledger.claim("f")
        assert claim is not None and claim.attempt == attempt
        ledger.fail(claim, RuntimeError(f"bad row {attempt}"))

    assert ledger.claim("f") is None
    assert ledger.unprocessed(["f"]) == []
    record = ledger.get("f")
    assert record is not None
    assert (record["status"], record["attempts"], record["last_error"]) == (
        "FAILED",
        max_attempts,
        f"RuntimeError: bad row {max_attempts}",
    )


def test_a_crash_counts_as_an_attempt(make_ledger: Callable[..., Ledger], clock: Any) -> None:
    # A file that kills its worker (out of memory, say) must not be retried forever.
    ledger = make_ledger(max_attempts=2, lease_seconds=LEASE)
    for attempt in (1, 2):
        claim = ledger.claim("poison")
        assert claim is not None and claim.attempt == attempt
        clock.advance(LEASE + 1)  # the worker died without completing or failing
    assert ledger.claim("poison") is None
    assert ledger.get("poison")["status"] == "IN_PROGRESS"  # type: ignore[index]


def test_complete_twice_is_a_no_op_that_keeps_the_first_result(ledger: Ledger) -> None:
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim, rows=1)
    ledger.complete(claim, rows=2)
    assert ledger.get("f")["metadata"] == {"rows": 1}  # type: ignore[index]


@pytest.mark.parametrize(
    ("metadata", "read_back"),
    [
        ({"rows": 10, "ratio": 0.25}, {"rows": 10, "ratio": 0.25}),
        ({"output": "s3://out/a.parquet", "partitions": ["2024", "05"]}, None),
        ({"schema": {"columns": 3, "nullable": True}, "note": None}, None),
        ({"checksum": b"\x00\x01"}, None),
        ({}, {}),
    ],
    ids=["numbers", "strings and lists", "nested map with bool and null", "bytes", "nothing"],
)
def test_completion_metadata_round_trips(
    ledger: Ledger, metadata: dict[str, Any], read_back: dict[str, Any] | None
) -> None:
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim, **metadata)
    record = ledger.get("f")
    assert record is not None
    assert record.get("metadata", {}) == (metadata if read_back is None else read_back)


def test_records_carry_what_an_audit_needs(ledger: Ledger, clock: Any) -> None:
    claim = ledger.claim("f", owner="glue:jr_123")
    assert claim is not None
    clock.advance(30)
    ledger.fail(claim, ValueError("bad header"))
    record = ledger.get("f")
    assert record is not None
    assert {k: record[k] for k in ("owner", "claimed_at", "failed_at", "updated_at", "last_error")} == {
        "owner": "glue:jr_123",
        "claimed_at": clock.now - 30,
        "failed_at": clock.now,
        "updated_at": clock.now,
        "last_error": "ValueError: bad header",
    }
    assert "lease_token" not in record, "the fencing token is not for readers"
