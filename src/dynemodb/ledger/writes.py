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
    FAILED,
    FAILED_AT,
    IN_PROGRESS,
    LAST_ERROR,
    LEASE_EXPIRES_AT,
    LEASE_TOKEN,
    METADATA,
    OWNER,
    STATUS,
    UPDATED_AT,
    audit_pk,
)

_PLACEHOLDER = re.compile(r"[#:][A-Za-z0-9_]+")


@dataclass(frozen=True)
class TableRef:
    """Where records live and the two attribute names the module lets users choose."""

    table_name: str
    hash_key: str
    ttl_attribute: str

    def names(self) -> dict[str, str]:
        return {
            "#k": self.hash_key,
            "#ttl": self.ttl_attribute,
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
            "#fa": FAILED_AT,
            "#md": METADATA,
        }

    def key(self, file_id: str) -> dict[str, Any]:
        return {self.hash_key: values.string(file_id)}


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


def _claim_values(
    file_id: str, *, owner: str, token: str, now: float, lease_expires_at: float
) -> tuple[str, dict[str, Any]]:
    state, bound = _state(IN_PROGRESS, file_id, now)
    clause = f"SET {state}, #ow = :owner, #tok = :token, #lease = :lease, #ca = :now"
    bound |= {
        ":owner": values.string(owner),
        ":token": values.string(token),
        ":lease": values.number(lease_expires_at),
        ":in_progress": values.string(IN_PROGRESS),
        ":failed": values.string(FAILED),
        ":zero": {"N": "0"},
        ":one": {"N": "1"},
    }
    return clause, bound


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
    """Take a new, failed or lapsed record; each claim is an attempt, so a crash counts as one."""
    clause, bound = _claim_values(file_id, owner=owner, token=token, now=now, lease_expires_at=lease_expires_at)
    bound[":max_attempts"] = {"N": str(max_attempts)}
    update = f"{clause}, #att = if_not_exists(#att, :zero) + :one"
    return _request(table, file_id, update, conditions.CLAIM_CONDITION, bound, "ALL_NEW")


def reclaim_expired(
    table: TableRef, file_id: str, *, owner: str, token: str, now: float, lease_expires_at: float
) -> dict[str, Any]:
    """Take a record past its expiration time as if it were absent: a fresh first attempt."""
    clause, bound = _claim_values(file_id, owner=owner, token=token, now=now, lease_expires_at=lease_expires_at)
    update = f"{clause}, #att = :one REMOVE #ttl, #md, #coa, #fa, #err"
    return _request(table, file_id, update, conditions.RECLAIM_EXPIRED_CONDITION, bound, "ALL_NEW")


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
    state, bound = _state(COMPLETED, file_id, now)
    bound |= _owned(token)
    update = f"SET {state}, #coa = :now"
    if metadata:
        update += ", #md = :metadata"
        bound[":metadata"] = {"M": metadata}
    if expires_at is not None:
        update += ", #ttl = :expires_at"
        bound[":expires_at"] = values.ttl_number(expires_at)
    return _request(table, file_id, update, conditions.OWNER_CONDITION, bound)


def fail(table: TableRef, file_id: str, *, token: str, now: float, error: str) -> dict[str, Any]:
    state, bound = _state(FAILED, file_id, now)
    bound |= _owned(token) | {":error": values.string(error)}
    update = f"SET {state}, #fa = :now, #err = :error"
    return _request(table, file_id, update, conditions.OWNER_CONDITION, bound)
