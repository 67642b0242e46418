"""A write whose response was lost is resent by botocore; its own first success must count as success.

The hook below makes botocore resend an UpdateItem that already succeeded, exactly what happens after a
read timeout on a write that landed. The resend then fails its condition (the record has moved on), and
only ReturnValuesOnConditionCheckFailure=ALL_OLD lets the ledger see that the record moved on *to its own
write*. Without that check claim() would return None and complete()/fail() would raise LeaseLost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Claim, LeaseLost, Ledger


def resend_first_success(dynamodb: Any, operation: str) -> list[int]:
    """Make botocore resend the first successful `operation` once; returns the HTTP statuses seen."""
    statuses: list[int] = []

    def needs_retry(response: Any = None, **_: Any) -> float | None:
        if response is None:
            return None
        statuses.append(response[0].status_code)
        if statuses == [200]:
            return 0  # "retry now": the response is treated as lost
        return None

    dynamodb.meta.events.register_first(f"needs-retry.dynamodb.{operation}", needs_retry)
    return statuses


def _claimed(ledger: Ledger) -> Claim:
    claim = ledger.claim("f", owner="worker-1")
    assert claim is not None
    return claim


# (operation, what runs after the claim, expected record fields afterwards)
SCENARIOS = [
    ("heartbeat", lambda ledger, claim: ledger.heartbeat(claim), {"status": "IN_PROGRESS", "attempts": 1}),
    ("complete", lambda ledger, claim: ledger.complete(claim, rows=3), {"status": "COMPLETED", "completed_attempt": 1}),
    ("fail", lambda ledger, claim: ledger.fail(claim, "boom"), {"status": "FAILED", "last_error": "boom"}),
]


def test_a_resent_claim_returns_the_claim_it_already_made(
    ledger: Ledger, dynamodb: Any, stored: Callable[[str], Any]
) -> None:
    statuses = resend_first_success(dynamodb, "UpdateItem")

    claim = ledger.claim("f", owner="worker-1")

    assert statuses == [200, 400], "the resend must have hit the condition, or this test proves nothing"
    assert claim is not None and claim.attempt == 1
    record = stored("f")
    assert (record["attempts"], record["lease_token"]) == (1, claim.token), "the resend wrote nothing"


@pytest.mark.parametrize(("operation", "act", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_a_resent_state_change_is_recognised_as_success(
    ledger: Ledger,
    dynamodb: Any,
    stored: Callable[[str], Any],
    operation: str,
    act: Callable[[Ledger, Claim], Any],
    expected: dict[str, Any],
) -> None:
    claim = _claimed(ledger)
    statuses = resend_first_success(dynamodb, "UpdateItem")

    act(ledger, claim)  # must not raise LeaseLost

    record = stored("f")
    assert {k: record[k] for k in expected} == expected
    if operation != "heartbeat":  # a resent heartbeat simply succeeds again; nothing to recognise
        assert statuses == [200, 400]


def test_a_resent_claim_does_not_mask_a_genuine_loss(ledger: Ledger, dynamodb: Any) -> None:
    # The ALL_OLD check must compare tokens, not just statuses: another worker's claim is not ours.
    assert _claimed(ledger) is not None
    resend_first_success(dynamodb, "UpdateItem")
    assert ledger.claim("f", owner="worker-2") is None


def test_a_resent_fail_counts_when_another_worker_claimed_the_failed_file_in_between(
    make_ledger: Callable[..., Ledger], dynamodb: Any, boto_session: Any, stored: Callable[[str], Any]
) -> None:
    ledger, other = make_ledger(), make_ledger(client=boto_session.client("dynamodb"))
    claim = _claimed(ledger)
    statuses: list[int] = []

    def claimed_by_another_then_resent(response: Any = None, **_: Any) -> float | None:
        if response is None or statuses:
            return None
        statuses.append(response[0].status_code)
        assert other.claim("f", owner="worker-2") is not None  # a FAILED record is claimable at once
        return 0

    dynamodb.meta.events.register_first("needs-retry.dynamodb.UpdateItem", claimed_by_another_then_resent)

    ledger.fail(claim, "bad row 17")  # must not raise LeaseLost: the failure was recorded

    record = stored("f")
    assert statuses == [200], "the first fail must have landed, or this test proves nothing"
    assert (record["owner"], record["attempts"], record["last_error"]) == ("worker-2", 2, "bad row 17")


def test_a_resent_reopen_counts_when_a_worker_claimed_the_reopened_file_in_between(
    make_ledger: Callable[..., Ledger], dynamodb: Any, boto_session: Any, stored: Callable[[str], Any]
) -> None:
    ledger, worker = make_ledger(), make_ledger(client=boto_session.client("dynamodb"))
    ledger.complete(_claimed(ledger))
    statuses: list[int] = []

    def claimed_then_resent(response: Any = None, **_: Any) -> float | None:
        if response is None or statuses:
            return None
        statuses.append(response[0].status_code)
        assert worker.claim("f", owner="worker-2") is not None  # a REOPENED record is claimable at once
        return 0

    dynamodb.meta.events.register_first("needs-retry.dynamodb.UpdateItem", claimed_then_resent)

    # Refused, the operator would wait for the load and reopen again: a third load.
    record = ledger.reopen("f", reason="source re-delivered", by="alice")

    assert statuses == [200], "the first reopen must have landed, or this test proves nothing"
    assert (record["owner"], record["reopen_count"]) == ("worker-2", 1)
    assert stored("f")["status"] == "IN_PROGRESS"


def test_fail_still_raises_lease_lost_when_its_write_never_landed(
    make_ledger: Callable[..., Ledger], clock: Any
) -> None:
    ledger = make_ledger(lease_seconds=60)
    claim = _claimed(ledger)
    clock.advance(61)
    assert make_ledger().claim("f", owner="worker-2") is not None  # the lapsed lease is taken over

    with pytest.raises(LeaseLost, match="worker-2"):
        ledger.fail(claim, "bad row 17")
