"""`python -m dynemodb.ledger report`: what it counts, where it reads from, how it fails."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from dynemodb.ledger import Ledger
from dynemodb.ledger.audit import index_problem
from dynemodb.ledger.cli import main
from dynemodb.ledger.schema import REPORT_ACTIONS, REPORT_SCAN_ACTIONS, table_definition

T0 = 1_700_000_000.0
DAY = 86400
REPORT_AT = T0 + 2000


def populate(dynamodb: Any, table: str) -> None:
    """Two done, one failed, two stuck past their lease, one live, plus one too old and one expired."""
    clock = [T0 - 10 * DAY]
    ledger = Ledger(table, client=dynamodb, clock=lambda: clock[0], lease_seconds=900)

    def run(file_id: str, end: str, **kw: Any) -> None:
        claim = ledger.claim(file_id, owner=kw.pop("owner", "glue:jr_1"))
        assert claim is not None
        if end == "complete":
            ledger.complete(claim, rows=1)
        elif end == "fail":
            ledger.fail(claim, kw["error"])
        elif end == "heartbeat":
            ledger.heartbeat(claim)

    run("old-1", "complete")  # ten days ago: outside a 7d window
    clock[0] = T0 - 3 * DAY
    retained = Ledger(table, client=dynamodb, clock=lambda: clock[0], retention_days=1)
    claim = retained.claim("expired-1")
    assert claim is not None
    retained.complete(claim)  # expired two days ago, still stored
    clock[0] = T0
    run("done-1", "complete")
    run("done-2", "complete")
    run("bad-1", "fail", error="ValueError: bad header\n  at line 1")
    run("stuck-1", "claim", owner="glue:jr_dead")
    run("stuck-2", "claim")
    clock[0] = REPORT_AT - 100
    live = ledger.claim("live-1")
    assert live is not None
    ledger.heartbeat(live)


@pytest.fixture
def plain_table(dynamodb: Any) -> str:
    dynamodb.create_table(**table_definition("no-index-ledger", audit_index=False))
    return "no-index-ledger"


@pytest.fixture(params=["with audit index", "without audit index"])
def populated(request: pytest.FixtureRequest, dynamodb: Any) -> str:
    table = request.getfixturevalue("table" if request.param == "with audit index" else "plain_table")
    populate(dynamodb, table)
    return table


def report(dynamodb: Any, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["report", *argv], client=dynamodb, clock=lambda: REPORT_AT, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_json_report_counts_failures_and_stale_claims(dynamodb: Any, populated: str) -> None:
    code, out, _ = report(dynamodb, "--table", populated, "--since", "7d", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["counts"] == {"IN_PROGRESS": 3, "COMPLETED": 2, "FAILED": 1, "REOPENED": 0}
    assert [(f["file_id"], f["attempts"], f["error"]) for f in document["failures"]] == [
        ("bad-1", 1, "ValueError: bad header\n  at line 1")
    ]
    assert [(s["file_id"], s["owner"]) for s in document["stale_claims"]] == [
        ("stuck-1", "glue:jr_dead"),
        ("stuck-2", "glue:jr_1"),
    ]
    assert document["in_progress_past_lease"] == 2


@pytest.mark.parametrize(
    ("table_kind", "source", "note"),
    [("table", "index audit-status-time", ""), ("plain_table", "scan", "it has no index 'audit-status-time'")],
)
def test_index_is_used_when_present_and_a_scan_is_announced(
    request: pytest.FixtureRequest, dynamodb: Any, api_calls: Counter[str], table_kind: str, source: str, note: str
) -> None:
    table = request.getfixturevalue(table_kind)
    populate(dynamodb, table)
    api_calls.clear()
    code, out, err = report(dynamodb, "--table", table, "--format", "json")
    assert code == 0
    assert json.loads(out)["source"] == source
    assert (note in err) and (("scanning" in err) is (source == "scan"))
    if source == "scan":
        assert api_calls["Scan"] >= 1 and api_calls["Query"] == 0
        assert {f"dynamodb:{op}" for op in api_calls} <= REPORT_SCAN_ACTIONS
    else:
        assert api_calls["Query"] == 4 * 16 and api_calls["Scan"] == 0  # 16 shards per status
        assert {f"dynamodb:{op}" for op in api_calls} <= REPORT_ACTIONS


@pytest.mark.parametrize(
    ("status_args", "counts", "queries"),
    [
        (["--status", "FAILED"], {"FAILED": 1}, 16),
        (["--status", "failed,completed"], {"COMPLETED": 2, "FAILED": 1}, 32),
        (["--status", "IN_PROGRESS", "--status", "FAILED"], {"IN_PROGRESS": 3, "FAILED": 1}, 32),
    ],
    ids=["one status", "comma separated, any case", "repeated"],
)
def test_status_filter(
    dynamodb: Any, table: str, api_calls: Counter[str], status_args: list[str], counts: dict[str, int], queries: int
) -> None:
    populate(dynamodb, table)
    api_calls.clear()
    code, out, _ = report(dynamodb, "--table", table, "--format", "json", *status_args)
    assert code == 0 and json.loads(out)["counts"] == counts
    assert api_calls["Query"] == queries


@pytest.mark.parametrize(
    ("since", "completed"),
    [("7d", 2), ("11d", 3), ("2023-11-01T00:00:00Z", 3), ("1h", 2), ("20m", 0)],
    ids=["week", "eleven days", "iso", "hour", "twenty minutes"],
)
def test_since_window(dynamodb: Any, populated: str, since: str, completed: int) -> None:
    code, out, _ = report(dynamodb, "--table", populated, "--since", since, "--format", "json")
    assert code == 0 and json.loads(out)["counts"]["COMPLETED"] == completed


def test_table_format_is_readable(dynamodb: Any, table: str) -> None:
    populate(dynamodb, table)
    code, out, _ = report(dynamodb, "--table", table)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"Ledger audit of table '{table}' since ")
    assert "COMPLETED    2" in lines and "  of which past their lease: 2" in lines
    failure_row = next(line for line in lines if line.startswith("bad-1"))
    assert failure_row.split()[1:4] == ["1", "2023-11-14T22:13:20Z", "ValueError:"]
    assert "at line 1" not in out, "a table row shows only an error's first line"
    assert any(line.startswith("stuck-1") and "glue:jr_dead" in line for line in lines)


def test_csv_format_is_one_flat_table(dynamodb: Any, table: str) -> None:
    populate(dynamodb, table)
    code, out, _ = report(dynamodb, "--table", table, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["record"], r["status"], r["count"]) for r in rows if r["record"] == "count"] == [
        ("count", "IN_PROGRESS", "3"),
        ("count", "COMPLETED", "2"),
        ("count", "FAILED", "1"),
        ("count", "REOPENED", "0"),
    ]
    (failure,) = [r for r in rows if r["record"] == "failure"]
    assert (failure["file_id"], failure["error"]) == ("bad-1", "ValueError: bad header\n  at line 1")
    assert sorted(r["file_id"] for r in rows if r["record"] == "stale_claim") == ["stuck-1", "stuck-2"]


# (what goes wrong, arguments, exit code, the one line on stderr)
FAILURES = [
    ("missing table", ["--table", "nope"], 1, "table 'nope' not found in region us-east-1"),
    ("bad since", ["--table", "t", "--since", "yesterday"], 2, "--since 'yesterday' is not an ISO-8601 time"),
    ("future since", ["--table", "t", "--since", "2999-01-01"], 2, "is in the future"),
]


@pytest.mark.parametrize(("wrong", "argv", "code", "line"), FAILURES, ids=[f[0] for f in FAILURES])
def test_expected_failures_are_one_line(dynamodb: Any, wrong: str, argv: list[str], code: int, line: str) -> None:
    exit_code, out, err = report(dynamodb, *argv)
    assert exit_code == code and out == ""
    assert err.count("\n") == 1 and line in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["report", "--table", "t", "--status", "DONE"], "unknown status 'DONE'"),
        (["report", "--table", "t", "--format", "xml"], "invalid choice: 'xml'"),
        (["report"], "the following arguments are required: --table"),
    ],
    ids=["unknown status", "unknown format", "no table"],
)
def test_usage_errors_from_the_real_entry_point_are_one_line(argv: list[str], line: str) -> None:
    # Runs `python -m dynemodb.ledger` itself; argument errors are caught before any AWS call.
    result = subprocess.run(
        [sys.executable, "-m", "dynemodb.ledger", *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and line in result.stderr


GSI_OK = {
    "IndexName": "audit-status-time",
    "KeySchema": [
        {"AttributeName": "audit_pk", "KeyType": "HASH"},
        {"AttributeName": "updated_at", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "ALL"},
    "IndexStatus": "ACTIVE",
}


@pytest.mark.parametrize(
    ("indexes", "problem"),
    [
        ([GSI_OK], None),
        ([], "it has no index 'audit-status-time'"),
        ([GSI_OK | {"IndexName": "other"}], "it has no index"),
        ([GSI_OK | {"KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}]}], "is keyed"),
        ([GSI_OK | {"Projection": {"ProjectionType": "KEYS_ONLY"}}], "does not project ALL"),
        ([GSI_OK | {"IndexStatus": "CREATING"}], "is CREATING, not ACTIVE"),
    ],
    ids=["usable", "no indexes", "other index", "wrong keys", "keys only", "still backfilling"],
)
def test_when_the_index_cannot_answer(indexes: list[dict[str, Any]], problem: str | None) -> None:
    found = index_problem({"GlobalSecondaryIndexes": indexes}, "audit-status-time")
    assert found == problem if problem is None else problem in (found or "")


def test_scan_reason_is_given_for_an_unusable_index(dynamodb: Any, table: str) -> None:
    code, _, err = report(dynamodb, "--table", table, "--index-name", "by-owner")
    assert code == 0 and "scanning table 'ingest-ledger' because it has no index 'by-owner'" in err


@pytest.mark.parametrize(
    "since", ["99999999999999999999d", "9" * 400 + "w", "100000000d"], ids=["overflows a date", "infinite", "pre-1970"]
)
def test_an_age_reaching_before_1970_is_one_line(dynamodb: Any, table: str, since: str) -> None:
    exit_code, out, err = report(dynamodb, "--table", table, "--since", since)
    assert (exit_code, out) == (2, "") and err.count("\n") == 1
    assert "reaches back before 1970-01-01" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_stored_time_no_date_can_hold_is_shown_not_fatal(
    dynamodb: Any, table: str, put_record: Any, fmt: str
) -> None:
    # Hand-edited records: a time of 9.99E+125 seconds, and a lease stored as text.
    put_record("odd-1", status="FAILED", attempts=1, updated_at=REPORT_AT, last_error="x", audit_pk="FAILED#00")
    dynamodb.update_item(
        TableName=table,
        Key={"file_id": {"S": "odd-1"}},
        UpdateExpression="SET updated_at = :huge, failed_at = :huge",
        ExpressionAttributeValues={":huge": {"N": "9.9999999999999999999999999999999999999E+125"}},
    )
    put_record("odd-2", status="IN_PROGRESS", attempts=1, updated_at=REPORT_AT - 5, lease_expires_at="soon")

    code, out, err = report(dynamodb, "--table", table, "--since", "1h", "--format", fmt, "--index-name", "none")

    assert code == 0, err
    assert "1e+126 (not a time)" in out and "Traceback" not in err


@pytest.mark.parametrize(("fmt", "shown"), [("table", "500"), ("csv", "b'\\x00glue'"), ("json", "AGdsdWU=")])
def test_a_record_of_an_older_writer_with_other_types_is_shown_not_fatal(
    dynamodb: Any, table: str, put_record: Any, fmt: str, shown: str
) -> None:
    # Beyond its key a DynamoDB item has no schema: a number where the ledger writes an error, bytes for an owner.
    put_record("odd-1", status="FAILED", attempts=1, updated_at=REPORT_AT, last_error=500, audit_pk="FAILED#00")
    put_record("odd-2", status="IN_PROGRESS", attempts=1, updated_at=REPORT_AT, lease_expires_at=T0, owner=b"\x00glue")

    code, out, err = report(dynamodb, "--table", table, "--since", "1h", "--format", fmt, "--index-name", "none")

    assert code == 0, err
    assert shown in out and "Traceback" not in err
