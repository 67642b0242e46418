"""The audit report as a terminal table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from .audit import AuditReport


def iso(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _columns(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [list(headers)] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]


def _one_line(text: str | None) -> str:
    # Stack traces are stored whole; a table row shows the first line, CSV/JSON keep everything.
    return (text or "").strip().splitlines()[0] if text and text.strip() else ""


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
]


def as_csv(report: AuditReport) -> str:
    """One flat table: `record` says whether a row is a count, a failure or a stale claim."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for status in report.statuses:
        writer.writerow({"record": "count", "status": status, "count": report.counts[status]})
    for kind, rows in (("failure", report.failures), ("stale_claim", report.stale_claims)):
        for r in rows:
            writer.writerow(
                {
                    "record": kind,
                    **{k: r[k] for k in ("status", "file_id", "attempts", "owner", "error")},
                    "updated_at": iso(r["updated_at"]),
                    "lease_expires_at": iso(r["lease_expires_at"]),
                }
            )
    return out.getvalue()


def as_json(report: AuditReport) -> str:
    def record(r: dict[str, Any]) -> dict[str, Any]:
        return r | {
            "updated_at": iso(r["updated_at"]),
            "lease_expires_at": iso(r["lease_expires_at"]) or None,
        }

    document = {
        "table": report.table_name,
        "since": iso(report.since),
        "generated_at": iso(report.generated_at),
        "source": report.source,
        "counts": report.counts,
        "in_progress_past_lease": len(report.stale_claims),
        "failures": [record(r) for r in report.failures],
        "stale_claims": [record(r) for r in report.stale_claims],
    }
    return json.dumps(document, indent=2) + "\n"


FORMATS: dict[str, Callable[[AuditReport], str]] = {"table": as_table, "csv": as_csv, "json": as_json}
