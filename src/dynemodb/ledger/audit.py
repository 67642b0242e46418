"""Collecting the audit report: from the audit index when the table has it, else by Scan."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from . import tables, values
from .conditions import is_expired
from .errors import LedgerError, TableNotFound
from .schema import (
    ATTEMPTS,
    AUDIT_PK,
    AUDIT_SHARDS,
    FAILED,
    IN_PROGRESS,
    LAST_ERROR,
    LEASE_EXPIRES_AT,
    OWNER,
    REOPEN_REASON,
    REOPENED,
    REOPENED_AT,
    REOPENED_BY,
    REOPENED_FROM,
    STATUS,
    UPDATED_AT,
    audit_partition,
)

__all__ = ["AuditReport", "ReportUnavailable", "TableNotFound", "collect", "index_problem"]


class ReportUnavailable(LedgerError):
    """The report cannot be read with these credentials: no usable index, and Scan is not allowed."""


@dataclass
class AuditReport:
    table_name: str
    since: float
    generated_at: float
    statuses: tuple[str, ...]
    source: str
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    stale_claims: list[dict[str, Any]] = field(default_factory=list)
    reopened: list[dict[str, Any]] = field(default_factory=list)


def index_problem(description: dict[str, Any], index_name: str) -> str | None:
    """Why the audit index cannot answer the report, or None when it can."""
    indexes = {gsi["IndexName"]: gsi for gsi in description.get("GlobalSecondaryIndexes", [])}
    gsi = indexes.get(index_name)
    if gsi is None:
        return f"it has no index {index_name!r}"
    keys = {k["KeyType"]: k["AttributeName"] for k in gsi.get("KeySchema", [])}
    if keys != {"HASH": AUDIT_PK, "RANGE": UPDATED_AT}:
        return f"index {index_name!r} is keyed {keys}, not {AUDIT_PK}/{UPDATED_AT}"
    if gsi.get("Projection", {}).get("ProjectionType") != "ALL":
        return f"index {index_name!r} does not project ALL attributes"
    # A backfilling index answers with whatever it has indexed so far: a silently short report.
    if gsi.get("IndexStatus", "ACTIVE") != "ACTIVE":
        return f"index {index_name!r} is {gsi['IndexStatus']}, not ACTIVE"
    return None


def _describe(client: Any, table_name: str) -> dict[str, Any]:
    try:
        table: dict[str, Any] = client.describe_table(TableName=table_name)["Table"]
        return table
    except client.exceptions.ResourceNotFoundException:
        raise tables.not_found(client, table_name) from None


def _query_index(
    client: Any, table_name: str, index_name: str, statuses: Sequence[str], since: float
) -> Iterator[dict[str, Any]]:
    paginator = client.get_paginator("query")
    for status in statuses:
        for shard in range(AUDIT_SHARDS):
            pages = paginator.paginate(
                TableName=table_name,
                IndexName=index_name,
                KeyConditionExpression="#pk = :pk AND #ua >= :since",
                ExpressionAttributeNames={"#pk": AUDIT_PK, "#ua": UPDATED_AT},
                ExpressionAttributeValues={
                    ":pk": values.string(audit_partition(status, shard)),
                    ":since": values.number(since),
                },
            )
            for page in pages:
                yield from page.get("Items", [])


def _scan(client: Any, table_name: str, statuses: Sequence[str], since: float) -> Iterator[dict[str, Any]]:
    placeholders = [f":s{i}" for i in range(len(statuses))]
    bound = {p: values.string(s) for p, s in zip(placeholders, statuses, strict=True)}
    pages = client.get_paginator("scan").paginate(
        TableName=table_name,
        FilterExpression=f"#ua >= :since AND #st IN ({', '.join(placeholders)})",
        ExpressionAttributeNames={"#ua": UPDATED_AT, "#st": STATUS},
        ExpressionAttributeValues={":since": values.number(since), **bound},
    )
    for page in pages:
        yield from page.get("Items", [])


def collect(
    client: Any,
    table_name: str,
    *,
    since: float,
    statuses: Sequence[str],
    index_name: str,
    ttl_attribute: str | None,
    now: float,
    warn: Callable[[str], None],
) -> AuditReport:
    """Counts by status, failures with their errors, and in-progress claims past their lease."""
    description = _describe(client, table_name)
    hash_key = next(k["AttributeName"] for k in description["KeySchema"] if k["KeyType"] == "HASH")
    problem = index_problem(description, index_name)
    if problem is None:
        source = f"index {index_name}"
        raw = _query_index(client, table_name, index_name, statuses, since)
    else:
        source = "scan"
        warn(
            f"scanning table {table_name!r} because {problem}; a Scan reads every item, so enable the "
            "module's audit index to make this report cheap"
        )
        raw = _scan(client, table_name, statuses, since)

    report = AuditReport(table_name, since, now, tuple(statuses), source, counts=dict.fromkeys(statuses, 0))
    for item in map(values.to_python, _readable(raw, table_name, problem)):
        # Expired records are absent as far as the ledger is concerned, even if not yet deleted.
        if is_expired(item, ttl_attribute, now) or item.get(STATUS) not in report.counts:
            continue
        report.counts[item[STATUS]] += 1
        record = {
            "file_id": item.get(hash_key),
            "status": item[STATUS],
            "attempts": item.get(ATTEMPTS),
            "owner": item.get(OWNER),
            "updated_at": item.get(UPDATED_AT),
            "lease_expires_at": item.get(LEASE_EXPIRES_AT),
            "error": item.get(LAST_ERROR),
        }
        if item[STATUS] == FAILED:
            report.failures.append(record)
        elif item[STATUS] == IN_PROGRESS and _lease_lapsed(item, now):
            report.stale_claims.append(record)
        elif item[STATUS] == REOPENED:
            report.reopened.append(
                record
                | {
                    "reopened_by": item.get(REOPENED_BY),
                    "reopened_at": item.get(REOPENED_AT),
                    "reopened_from": item.get(REOPENED_FROM),
                    "reason": item.get(REOPEN_REASON),
                }
            )
    # Sort keys tolerate whatever an operator typed into a record: a string time sorts as no time.
    report.failures.sort(key=lambda r: (-_number_or_zero(r["updated_at"]), str(r["file_id"])))
    report.stale_claims.sort(key=lambda r: (_number_or_zero(r["lease_expires_at"]), str(r["file_id"])))
    report.reopened.sort(key=lambda r: (-_number_or_zero(r["reopened_at"]), str(r["file_id"])))
    return report


def _readable(raw: Iterator[dict[str, Any]], table_name: str, problem: str | None) -> Iterator[dict[str, Any]]:
    """The items, with a Scan the caller may not make reported as what to change (the roles lack Scan)."""
    try:
        yield from raw
    except ClientError as exc:
        if problem is None or exc.response.get("Error", {}).get("Code") != "AccessDeniedException":
            raise
        raise ReportUnavailable(
            f"table {table_name!r} can only be reported by a Scan because {problem}, and these credentials "
            "may not Scan it (AccessDeniedException): enable the module's audit index "
            "(enable_audit_index = true, the default), or run the report as a role allowed dynamodb:Scan"
        ) from None


def _number_or_zero(value: Any) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _lease_lapsed(item: dict[str, Any], now: float) -> bool:
    lease = item.get(LEASE_EXPIRES_AT)
    return isinstance(lease, int | float) and lease <= now
