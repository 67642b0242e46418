"""The audit report as a terminal table, CSV or JSON."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from .audit import AuditReport


def iso(seconds: Any) -> str:
    """Epoch seconds as ISO-8601 UTC; anything that is no such time (a hand-edited 1E+125, a string) as
    itself, so one odd record shows up in the audit instead of stopping it."""
    if seconds is None:
        return ""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return f"{seconds!r} (not a time)"
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return f"{seconds:g} (not a time)"


def _columns(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [list(headers)] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]


def _one_line(text: Any) -> str:
    # Stack traces are stored whole; a table row shows the first line, CSV/JSON keep everything. Beyond its
    # key a record has no schema: an older writer's number or bytes show as themselves.
    text = text if isinstance(text, str) or text is None else repr(text)
    return text.strip().splitlines()[0] if text and text.strip() else ""


def _json_value(value: Any) -> Any:
    """What json cannot write, as DynamoDB's own JSON writes it: bytes as base64, sets as lists."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return repr(value)


def as_table(report: AuditReport) -> str:
    lines = [
        f"Ledger audit of table {report.table_name!r} since {iso(report.since)} "
        f"(generated {iso(report.generated_at)}, source: {report.source})",
        "",
    ]
    lines += _columns(["STATUS", "COUNT"], [(s, report.counts[s]) for s in report.statuses])
    if "IN_PROGRESS" in report.statuses:
        lines.append(f"  of which past their lease: {len(report.stale_claims)}")
    if "FAILED" in report.statuses:
        lines += ["", f"Failures ({len(report.failures)})"]
        if report.failures:
            lines += _columns(
                ["FILE_ID", "ATTEMPTS", "UPDATED_AT", "ERROR"],
                [(r["file_id"], r["attempts"], iso(r["updated_at"]), _one_line(r["error"])) for r in report.failures],
            )
    if "IN_PROGRESS" in report.statuses:
        lines += ["", f"In-progress claims past their lease ({len(report.stale_claims)})"]
        if report.stale_claims:
            lines += _columns(
                ["FILE_ID", "OWNER", "ATTEMPTS", "LEASE_EXPIRED_AT"],
                [(r["file_id"], r["owner"], r["attempts"], iso(r["lease_expires_at"])) for r in report.stale_claims],
            )
    if "REOPENED" in report.statuses:
        lines += ["", f"Reopened, waiting for a claim ({len(report.reopened)})"]
        if report.reopened:
            lines += _columns(
                ["FILE_ID", "WAS", "BY", "AT", "REASON"],
                [
                    (r["file_id"], r["reopened_from"], r["reopened_by"], iso(r["reopened_at"]), _one_line(r["reason"]))
                    for r in report.reopened
                ],
            )
    return "\n".join(lines) + "\n"


_CSV_FIELDS = [
    "record",
    "status",
    "count",
    "file_id",
    "attempts",
    "owner",
    "updated_at",
    "lease_expires_at",
    "error",
    "reopened_by",
    "reopened_at",
    "reopened_from",
    "reason",
]


def as_csv(report: AuditReport) -> str:
    """One flat table: `record` says whether a row is a count, a failure or a stale claim."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for status in report.statuses:
        writer.writerow({"record": "count", "status": status, "count": report.counts[status]})
    rows_by_kind = (("failure", report.failures), ("stale_claim", report.stale_claims), ("reopened", report.reopened))
    for kind, rows in rows_by_kind:
        for r in rows:
            writer.writerow(
                {
                    "record": kind,
                    **{k: r[k] for k in ("status", "file_id", "attempts", "owner", "error")},
                    "updated_at": iso(r["updated_at"]),
                    "lease_expires_at": iso(r["lease_expires_at"]),
                    **({k: r[k] for k in ("reopened_by", "reopened_from", "reason")} if kind == "reopened" else {}),
                    **({"reopened_at": iso(r["reopened_at"])} if kind == "reopened" else {}),
                }
            )
    return out.getvalue()


def as_json(report: AuditReport) -> str:
    def record(r: dict[str, Any]) -> dict[str, Any]:
        times = {"updated_at": iso(r["updated_at"]), "lease_expires_at": iso(r["lease_expires_at"]) or None}
        if "reopened_at" in r:
            times["reopened_at"] = iso(r["reopened_at"]) or None
        return r | times

    document = {
        "table": report.table_name,
        "since": iso(report.since),
        "generated_at": iso(report.generated_at),
        "source": report.source,
        "counts": report.counts,
        "in_progress_past_lease": len(report.stale_claims),
        "failures": [record(r) for r in report.failures],
        "stale_claims": [record(r) for r in report.stale_claims],
        "reopened": [record(r) for r in report.reopened],
    }
    return json.dumps(document, indent=2, default=_json_value) + "\n"


FORMATS: dict[str, Callable[[AuditReport], str]] = {"table": as_table, "csv": as_csv, "json": as_json}
