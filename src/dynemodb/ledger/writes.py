"""The UpdateItem requests behind each state change, as plain data.

Every state change is one conditional UpdateItem (never PutItem or DeleteItem), so writers need only
dynamodb:UpdateItem and no write can clobber a record it did not expect. Every request asks for the
old item on a failed condition (ReturnValuesOnConditionCheckFailure=ALL_OLD): that is how a retried
write whose first attempt already succeeded recognises its own success without another read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import conditions, values
from .schema import (
    ATTEMPTS,
    AUDIT_PK,
    CLAIMED_AT,
    COMPLETED,
    COMPLETED_AT,
    COMPLETED_ATTEMPT,
    FAILED,
    FAILED_AT,
    IN_PROGRESS,
    LAST_ERROR,
    LEASE_EXPIRES_AT,
    LEASE_TOKEN,
    METADATA,
    OWNER,
    REOPEN_COUNT,
    REOPEN_ID,
    REOPEN_REASON,
    REOPENED,
    REOPENED_AT,
    REOPENED_ATTEMPTS,
    REOPENED_BY,
    REOPENED_FROM,
    STATUS,
    UPDATED_AT,
    audit_pk,
)

_PLACEHOLDER = re.compile(r"[#:][A-Za-z0-9_]+")


@dataclass(frozen=True)
class TableRef:
    """Where records live and the two attribute names the module lets users choose.

    ttl_attribute is None when the table has TTL off: nothing is written to expire and nothing expires.
    """

    table_name: str
    hash_key: str
    ttl_attribute: str | None

    def names(self) -> dict[str, str]:
        names = {
            "#k": self.hash_key,
            "#st": STATUS,
            "#ua": UPDATED_AT,
            "#apk": AUDIT_PK,
            "#ow": OWNER,
            "#tok": LEASE_TOKEN,
            "#lease": LEASE_EXPIRES_AT,
            "#att": ATTEMPTS,
            "#err": LAST_ERROR,
            "#ca": CLAIMED_AT,
            "#coa": COMPLETED_AT,
            "#catt": COMPLETED_ATTEMPT,
            "#fa": FAILED_AT,
            "#md": METADATA,
            "#rat": REOPENED_AT,
            "#rby": REOPENED_BY,
            "#rwhy": REOPEN_REASON,
            "#rfrom": REOPENED_FROM,
            "#ratt": REOPENED_ATTEMPTS,
            "#rid": REOPEN_ID,
            "#rcount": REOPEN_COUNT,
        }
        if self.ttl_attribute is not None:
            names["#ttl"] = self.ttl_attribute
        return names

    def key(self, file_id: str) -> dict[str, Any]:
        return {self.hash_key: values.string(file_id)}

    def removing_ttl(self, *others: str) -> str:
        """A REMOVE clause of `others` plus the TTL attribute when the table has one."""
        return "REMOVE " + ", ".join([*others, *(["#ttl"] if self.ttl_attribute is not None else [])])


def _request(
    table: TableRef,
    file_id: str,
    update: str,
    condition: str,
    bound: dict[str, Any],
    return_values: str = "NONE",
) -> dict[str, Any]:
    # DynamoDB rejects names and values an expression does not use, so bind only the used ones.
    used = set(_PLACEHOLDER.findall(f"{update} {condition}"))
    return {
        "TableName": table.table_name,
        "Key": table.key(file_id),
        "UpdateExpression": update,
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {k: v for k, v in table.names().items() if k in used},
        "ExpressionAttributeValues": {k: v for k, v in bound.items() if k in used},
        "ReturnValues": return_values,
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def _state(status: str, file_id: str, now: float) -> tuple[str, dict[str, Any]]:
    """The three attributes every write sets so the audit index always reflects the latest change."""
    clause = "#st = :status, #apk = :audit_pk, #ua = :now"
    return clause, {
        ":status": values.string(status),
        ":audit_pk": values.string(audit_pk(status, file_id)),
        ":now": values.number(now),
    }


_ZERO = {"N": "0"}
_ONE = {"N": "1"}


def claim(
    table: TableRef,
    file_id: str,
    *,
    owner: str,
    token: str,
    now: float,
    lease_expires_at: float,
    max_attempts: int,
) -> dict[str, Any]:
    """Take a new, expired, failed, reopened or lapsed record, in one conditional write.

    Each claim is an attempt, so a crash counts as one. The claim removes the TTL whatever the record
    held (a live claim must never read as expired) and the last completion's results, which an expired
    record may still carry.
    """
    state, bound = _state(IN_PROGRESS, file_id, now)
    update = (
        f"SET {state}, #ow = :owner, #tok = :token, #lease = :lease, #ca = :now,"
        " #att = if_not_exists(#att, :zero) + :one "
    ) + table.removing_ttl("#md", "#coa", "#catt")
    bound |= {
        ":owner": values.string(owner),
        ":token": values.string(token),
        ":lease": values.number(lease_expires_at),
        ":in_progress": values.string(IN_PROGRESS),
        ":failed": values.string(FAILED),
        ":reopened": values.string(REOPENED),
        ":max_attempts": {"N": str(max_attempts)},
        ":zero": _ZERO,
        ":one": _ONE,
    }
    condition = conditions.claim_condition(with_ttl=table.ttl_attribute is not None)
    # ALL_OLD: what the record was tells the claim its attempt number, and whether it restarts the count.
    return _request(table, file_id, update, condition, bound, "ALL_OLD")


def restart_attempts(table: TableRef, file_id: str, *, token: str) -> dict[str, Any]:
    """Attempt 1 for a claim that took an expired record still carrying `attempts`.

    Only records this ledger did not complete (written before complete() moved `attempts` aside, or
    given a TTL by hand) need it. The claim has already removed the TTL, so no sweeper can delete the
    record before this write, and the token fences it to the claim that made it.
    """
    bound = _owned(token) | {":one": _ONE}
    return _request(table, file_id, "SET #att = :one", conditions.OWNER_CONDITION, bound)


def _owned(token: str) -> dict[str, Any]:
    return {":token": values.string(token), ":in_progress": values.string(IN_PROGRESS)}


def heartbeat(table: TableRef, file_id: str, *, token: str, now: float, lease_expires_at: float) -> dict[str, Any]:
    # Heartbeats also move updated_at, so the audit index shows the last sign of life of a claim.
    state, bound = _state(IN_PROGRESS, file_id, now)
    bound |= _owned(token) | {":lease": values.number(lease_expires_at)}
    return _request(table, file_id, f"SET {state}, #lease = :lease", conditions.OWNER_CONDITION, bound)


def complete(
    table: TableRef,
    file_id: str,
    *,
    token: str,
    now: float,
    metadata: dict[str, Any] | None,
    expires_at: float | None,
) -> dict[str, Any]:
    """COMPLETED, with `attempts` moved to `completed_attempt` and no error left from earlier attempts.

    Moving `attempts` is what lets the claim of this record, once expired, start at attempt 1 within
    its single conditional write (if_not_exists(attempts, 0) + 1).
    """
    state, bound = _state(COMPLETED, file_id, now)
    bound |= _owned(token) | {":zero": _ZERO}
    update = f"SET {state}, #coa = :now, #catt = if_not_exists(#att, :zero)"
    if metadata:
        update += ", #md = :metadata"
        bound[":metadata"] = {"M": metadata}
    if expires_at is not None:
        update += ", #ttl = :expires_at"
        bound[":expires_at"] = values.ttl_number(expires_at)
    update += " REMOVE #att, #err, #fa"
    return _request(table, file_id, update, conditions.OWNER_CONDITION, bound)


def fail(table: TableRef, file_id: str, *, token: str, now: float, error: str) -> dict[str, Any]:
    state, bound = _state(FAILED, file_id, now)
    bound |= _owned(token) | {":error": values.string(error)}
    update = f"SET {state}, #fa = :now, #err = :error"
    return _request(table, file_id, update, conditions.OWNER_CONDITION, bound)


def reopen(table: TableRef, file_id: str, *, reopen_id: str, now: float, reason: str, by: str) -> dict[str, Any]:
    """REOPENED: claimable again with attempts counted afresh; who, why, when and what it was are kept.

    The record's results (metadata, completed_attempt, last_error) stay for the audit until the next
    claim replaces them, so `reopened_attempts` is the attempts count a FAILED or IN_PROGRESS record had
    (0 for a COMPLETED one, whose count is `completed_attempt`). The old lease and token go, so the claim
    that held the record can no longer complete it.
    """
    state, bound = _state(REOPENED, file_id, now)
    bound |= {
        ":by": values.string(by),
        ":reason": values.string(reason),
        ":reopen_id": values.string(reopen_id),
        ":in_progress": values.string(IN_PROGRESS),
        ":none": {"NULL": True},
        ":zero": _ZERO,
        ":one": _ONE,
    }
    update = (
        f"SET {state}, #rat = :now, #rby = :by, #rwhy = :reason, #rid = :reopen_id,"
        " #rfrom = if_not_exists(#st, :none), #ratt = if_not_exists(#att, :zero),"
        " #rcount = if_not_exists(#rcount, :zero) + :one "
    ) + table.removing_ttl("#att", "#tok", "#lease")
    return _request(table, file_id, update, conditions.REOPEN_CONDITION, bound, "ALL_NEW")
