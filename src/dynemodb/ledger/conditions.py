"""When a file may be claimed: once as a DynamoDB condition, once as a Python predicate.

The two must agree: claim() relies on the condition, unprocessed() on the predicate, and the contract
is that unprocessed() returns exactly the ids a claim would succeed for. They sit side by side so a
change to one is made to the other; a scenario table in the tests runs both against the same records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from .schema import ATTEMPTS, FAILED, IN_PROGRESS, LEASE_EXPIRES_AT, REOPENED, STATUS

# Placeholders (#k, #st, ...) are bound by writes.py. A record with an unknown or missing status is
# not claimable: it may be a marker written by an older pipeline, and skipping a file is recoverable
# while loading it twice is not.
RETRYABLE = (
    "((#st = :failed OR #st = :reopened OR (#st = :in_progress AND #lease <= :now))"
    " AND (attribute_not_exists(#att) OR #att < :max_attempts))"
)

# A record past its expiration time counts as absent: DynamoDB deletes it only days later, and may do so
# at any moment. Absent, expired and retryable are one condition on one write, as in Powertools'
# idempotency layer: with two writes, a record swept between them made the second find nothing, and
# claim() answered None for a file nobody holds. An expired record restarts at attempt 1 in the same
# write because complete(), the only writer of a TTL, moves `attempts` away (see writes.complete).
EXPIRED = "#ttl <= :now"

# Only the current holder of the attempt may heartbeat, complete or fail. The token, not the lease
# expiry, fences: a worker whose lease lapsed but whom nobody overtook may still finish its attempt.
OWNER_CONDITION = "#tok = :token AND #st = :in_progress"

# An operator may reopen any record except one a live claim holds. The reopen id makes a resent reopen
# (lost response) fail its condition instead of counting twice; the old item then shows it was ours.
REOPEN_CONDITION = (
    "attribute_exists(#k) AND NOT (#st = :in_progress AND #lease > :now)"
    " AND (attribute_not_exists(#rid) OR #rid <> :reopen_id)"
)


def claim_condition(*, with_ttl: bool) -> str:
    """The claim's condition; without a TTL attribute nothing expires, so there is no expiry branch."""
    branches = ["attribute_not_exists(#k)", *([EXPIRED] if with_ttl else []), RETRYABLE]
    return " OR ".join(branches)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_expired(item: Mapping[str, Any], ttl_attribute: str | None, now: float) -> bool:
    """Mirror of EXPIRED. A non-numeric TTL never expires, as in DynamoDB; no TTL attribute, no expiry."""
    if ttl_attribute is None:
        return False
    expires = item.get(ttl_attribute)
    return _is_number(expires) and expires <= now


def is_claimable(item: Mapping[str, Any] | None, *, now: float, max_attempts: int, ttl_attribute: str | None) -> bool:
    """Mirror of claim_condition() for a record read as plain Python."""
    if item is None or is_expired(item, ttl_attribute, now):
        return True
    status = item.get(STATUS)
    lease = item.get(LEASE_EXPIRES_AT)
    attempts = item.get(ATTEMPTS)
    # DynamoDB comparisons between different types are false, hence the type checks.
    lapsed = status == IN_PROGRESS and _is_number(lease) and lease <= now
    under_limit = ATTEMPTS not in item or (_is_number(attempts) and attempts < max_attempts)
    return (status in (FAILED, REOPENED) or lapsed) and under_limit


def holds_live_lease(item: Mapping[str, Any], now: float) -> bool:
    """Mirror of the clause of REOPEN_CONDITION that protects a running claim."""
    lease = item.get(LEASE_EXPIRES_AT)
    return item.get(STATUS) == IN_PROGRESS and _is_number(lease) and lease > now
