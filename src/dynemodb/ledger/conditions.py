"""When a file may be claimed: once as a DynamoDB condition, once as a Python predicate.

The two must agree: claim() relies on the condition, unprocessed() on the predicate, and the contract
is that unprocessed() returns exactly the ids a claim would succeed for. They sit side by side so a
change to one is made to the other; a scenario table in the tests runs both against the same records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema import ATTEMPTS, FAILED, IN_PROGRESS, LEASE_EXPIRES_AT, STATUS

# Placeholders (#k, #st, ...) are bound by writes.py. A record with an unknown or missing status is
# not claimable: it may be a marker written by an older pipeline, and skipping a file is recoverable
# while loading it twice is not.
CLAIM_CONDITION = (
    "attribute_not_exists(#k)"
    " OR ((#st = :failed OR (#st = :in_progress AND #lease <= :now))"
    " AND (attribute_not_exists(#att) OR #att < :max_attempts))"
)

# A record past its expiration time counts as absent: DynamoDB only deletes it days later. This is a
# separate write because reclaiming it starts a fresh record (attempts back to 1, old results removed),
# which one UpdateExpression cannot choose conditionally.
RECLAIM_EXPIRED_CONDITION = "#ttl <= :now"

# Only the current holder of the attempt may heartbeat, complete or fail. The token, not the lease
# expiry, fences: a worker whose lease lapsed but whom nobody overtook may still finish its attempt.
OWNER_CONDITION = "#tok = :token AND #st = :in_progress"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_expired(item: Mapping[str, Any], ttl_attribute: str, now: float) -> bool:
    """Mirror of RECLAIM_EXPIRED_CONDITION. A non-numeric TTL never expires, as in DynamoDB."""
    expires = item.get(ttl_attribute)
    return _is_number(expires) and expires <= now


def is_claimable(item: Mapping[str, Any] | None, *, now: float, max_attempts: int, ttl_attribute: str) -> bool:
    """Mirror of CLAIM_CONDITION or RECLAIM_EXPIRED_CONDITION for a record read as plain Python."""
    if item is None or is_expired(item, ttl_attribute, now):
        return True
    status = item.get(STATUS)
    lease = item.get(LEASE_EXPIRES_AT)
    attempts = item.get(ATTEMPTS)
    # DynamoDB comparisons between different types are false, hence the type checks.
    lapsed = status == IN_PROGRESS and _is_number(lease) and lease <= now
    under_limit = ATTEMPTS not in item or (_is_number(attempts) and attempts < max_attempts)
    return (status == FAILED or lapsed) and under_limit
