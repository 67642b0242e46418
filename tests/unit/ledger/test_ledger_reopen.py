"""reopen(): an operator's re-run of a COMPLETED file or a FAILED one out of attempts, recorded on the
record, never a delete; and `python -m dynemodb.ledger reopen`."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from dynemodb.ledger import LeaseLost, Ledger, ReopenRefused
from dynemodb.ledger.cli import main
from dynemodb.ledger.schema import REOPEN_ACTIONS

LEASE = 900


def completed(ledger: Ledger, file_id: str, **metadata: Any) -> None:
    claim = ledger.claim(file_id)
    assert claim is not None
    ledger.complete(claim, **metadata)


def failed_out(ledger: Ledger, file_id: str) -> None:
    for _ in range(ledger.max_attempts):
        claim = ledger.claim(file_id)
        assert claim is not None
        ledger.fail(claim, "bad header")


def crashed_out(ledger: Ledger, file_id: str, clock: Any) -> None:
    for _ in range(ledger.max_attempts):
        assert ledger.claim(file_id) is not None
        clock.advance(LEASE + 1)  # the worker died holding it


# (the record before, how it got there, what reopened_from and reopened_attempts say)
STUCK: list[tuple[str, Callable[[Ledger, str, Any], None], str, int]] = [
    ("completed", lambda ledger, f, clock: completed(ledger, f, rows=5), "COMPLETED", 0),
    ("failed max_attempts times", lambda ledger, f, clock: failed_out(ledger, f), "FAILED", 2),
    ("crashed max_attempts times", crashed_out, "IN_PROGRESS", 2),
]


@pytest.mark.parametrize(("before", "make", "was", "attempts"), STUCK, ids=[s[0] for s in STUCK])
def test_reopen_makes_a_file_claimable_afresh_and_records_why(
    make_ledger: Callable[..., Ledger],
    clock: Any,
    api_calls: Counter[str],
    before: str,
    make: Callable[[Ledger, str, Any], None],
    was: str,
    attempts: int,
) -> None:
    ledger = make_ledger(max_attempts=2, lease_seconds=LEASE, retention_days=30)
    make(ledger, "f", clock)
    assert ledger.unprocessed(["f"]) == [], "stuck: nothing would ever load it again"
    clock.advance(60)
    api_calls.clear()

    record = ledger.reopen("f", reason="INC-4711: loader fixed", by="alice")

    assert api_calls == Counter({"UpdateItem": 1}), "one conditional write, no delete"
    assert {f"dynamodb:{op}" for op in api_calls} <= REOPEN_ACTIONS
    assert {k: record[k] for k in ("status", "reopened_from", "reopened_attempts", "reopened_by")} == {
        "status": "REOPENED",
        "reopened_from": was,
        "reopened_attempts": attempts,
        "reopened_by": "alice",
    }
    assert (record["reopen_reason"], record["reopened_at"], record["reopen_count"]) == (
        "INC-4711: loader fixed",
        clock.now,
        1,
    )
    assert "expiration_time" not in record and "lease_token" not in record
    assert ledger.unprocessed(["f"]) == ["f"]
    claim = ledger.claim("f")
    assert claim is not None and claim.attempt == 1, "attempts are counted afresh"
    ledger.complete(claim, rows=6)
    done = ledger.get("f")
    assert done is not None
    assert (done["status"], done["metadata"], done["reopened_by"]) == ("COMPLETED", {"rows": 6}, "alice")


def test_a_live_claim_is_not_reopened(ledger: Ledger, stored: Callable[[str], Any]) -> None:
    claim = ledger.claim("f", owner="glue:jr_7")
    assert claim is not None
    before = stored("f")
    with pytest.raises(ReopenRefused, match="a live claim holds it: attempt 1 by owner 'glue:jr_7'"):
        ledger.reopen("f", reason="rerun", by="alice")
    assert stored("f") == before
    ledger.complete(claim)  # the running worker is unaffected


def test_a_file_without_a_record_is_not_reopened(ledger: Ledger, stored: Callable[[str], Any]) -> None:
    with pytest.raises(ReopenRefused, match="has no record of it; a file without a record is claimed as new"):
        ledger.reopen("never-seen", reason="rerun", by="alice")
    assert stored("never-seen") is None, "reopen creates nothing"


def test_the_claim_that_held_a_reopened_file_cannot_complete_it(make_ledger: Callable[..., Ledger], clock: Any) -> None:
    ledger = make_ledger(lease_seconds=LEASE)
    stale = ledger.claim("f")
    assert stale is not None
    clock.advance(LEASE + 1)
    ledger.reopen("f", reason="worker hung", by="alice")
    with pytest.raises(LeaseLost, match=r"'alice' reopened the file \(worker hung\)"):
        ledger.complete(stale)


def test_a_resent_reopen_counts_once(ledger: Ledger, dynamodb: Any, stored: Callable[[str], Any]) -> None:
    completed(ledger, "f")
    statuses: list[int] = []

    def lose_first_response(response: Any = None, **_: Any) -> float | None:
        if response is None:
            return None
        statuses.append(response[0].status_code)
        return 0 if statuses == [200] else None  # botocore resends the write that already landed

    dynamodb.meta.events.register_first("needs-retry.dynamodb.UpdateItem", lose_first_response)
    record = ledger.reopen("f", reason="rerun", by="alice")
    assert statuses == [200, 400], "the resend must have hit the condition"
    assert record["status"] == "REOPENED" and stored("f")["reopen_count"] == 1


@pytest.mark.parametrize(
    ("reason", "by", "message"),
    [
        ("", "alice", "reason must be a non-empty string"),
        ("x", " ", "by must be"),
        ("x" * 1001, "a", "keep it to 1000"),
    ],
    ids=["no reason", "nobody", "an essay"],
)
def test_reopen_needs_who_and_why(ledger: Ledger, api_calls: Counter[str], reason: str, by: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ledger.reopen("f", reason=reason, by=by)
    assert api_calls == Counter()


def reopen_cli(dynamodb: Any, clock: Any, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["reopen", *argv], client=dynamodb, clock=clock, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_reopens_each_file_and_refuses_live_ones_in_one_line(
    ledger: Ledger, dynamodb: Any, table: str, clock: Any
) -> None:
    completed(ledger, "s3://in/a.csv")
    failed_out(ledger, "s3://in/b.csv")
    assert ledger.claim("s3://in/live.csv") is not None

    code, out, err = reopen_cli(
        dynamodb,
        clock,
        "--table",
        table,
        "--reason",
        "INC-1",
        "--by",
        "bob",
        "s3://in/a.csv",
        "s3://in/live.csv",
        "s3://in/b.csv",
    )

    assert code == 1, "one file was refused"
    assert out.splitlines() == [
        "reopened s3://in/a.csv (was COMPLETED, 1 attempt(s))",
        "reopened s3://in/b.csv (was FAILED, 3 attempt(s))",
    ]
    assert err.count("\n") == 1 and "cannot reopen 's3://in/live.csv': a live claim holds it" in err
    assert ledger.unprocessed(["s3://in/a.csv", "s3://in/b.csv", "s3://in/live.csv"]) == [
        "s3://in/a.csv",
        "s3://in/b.csv",
    ]


def test_the_command_on_a_missing_table_is_one_line(dynamodb: Any, clock: Any) -> None:
    code, out, err = reopen_cli(dynamodb, clock, "--table", "nope", "--reason", "r", "--by", "b", "s3://in/a.csv")
    assert (code, out) == (1, "") and err.count("\n") == 1 and "table 'nope' not found" in err


def test_the_command_checks_every_id_before_reopening_any(
    ledger: Ledger, dynamodb: Any, table: str, clock: Any, stored: Callable[[str], Any]
) -> None:
    completed(ledger, "s3://in/a.csv")
    code, out, err = reopen_cli(
        dynamodb, clock, "--table", table, "--reason", "r", "--by", "b", "s3://in/a.csv", "x" * 2049
    )
    assert (code, out) == (2, "") and "at most 2048" in err
    assert stored("s3://in/a.csv")["status"] == "COMPLETED"


def test_an_aws_error_mid_list_names_the_files_not_reopened(
    ledger: Ledger, dynamodb: Any, table: str, clock: Any, stored: Callable[[str], Any]
) -> None:
    completed(ledger, "s3://in/a.csv")
    completed(ledger, "s3://in/b.csv")
    completed(ledger, "s3://in/c.csv")
    calls: list[str] = []

    def deny_the_second(params: Any, **_: Any) -> None:
        calls.append(params["Key"]["file_id"]["S"])
        if len(calls) == 2:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "UpdateItem")

    dynamodb.meta.events.register("provide-client-params.dynamodb.UpdateItem", deny_the_second)
    code, out, err = reopen_cli(
        dynamodb,
        clock,
        "--table",
        table,
        "--reason",
        "r",
        "--by",
        "b",
        "s3://in/a.csv",
        "s3://in/b.csv",
        "s3://in/c.csv",
    )
    assert (code, out) == (1, "reopened s3://in/a.csv (was COMPLETED, 1 attempt(s))\n")
    assert err.count("\n") == 1 and "AccessDeniedException: no; not reopened: s3://in/b.csv, s3://in/c.csv" in err
    assert stored("s3://in/c.csv")["status"] == "COMPLETED"
