"""The real `python -m dynemodb.ledger report` process against the moto server, as cron would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dynemodb.harness.emulator import MotoServer, moto_server
from dynemodb.ledger import Ledger
from dynemodb.ledger.schema import READER_ACTIONS, REPORT_ACTIONS, table_definition


def run_report(endpoint: str, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"} | env
    return subprocess.run(
        [sys.executable, "-m", "dynemodb.ledger", "report", "--endpoint-url", endpoint, "--region", "us-east-1", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )


def test_report_reads_the_index_of_a_live_table(
    serial_moto: str, server_client: Callable[[], Any], server_table: str
) -> None:
    ledger = Ledger(server_table, client=server_client())
    for file_id, outcome in [("a", "complete"), ("b", "complete"), ("c", "fail")]:
        claim = ledger.claim(file_id)
        assert claim is not None
        if outcome == "complete":
            ledger.complete(claim, rows=1)
        else:
            ledger.fail(claim, OSError("object vanished"))

    result = run_report(serial_moto, "--table", server_table, "--since", "1h", "--format", "json")

    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "the index exists, so nothing to announce"
    document = json.loads(result.stdout)
    assert document["counts"] == {"IN_PROGRESS": 0, "COMPLETED": 2, "FAILED": 1, "REOPENED": 0}
    assert [(f["file_id"], f["error"]) for f in document["failures"]] == [("c", "OSError: object vanished")]


@pytest.mark.parametrize(
    ("argv", "code", "line"),
    [
        (["--table", "no-such-table"], 1, "table 'no-such-table' not found in region us-east-1"),
        (["--table", "x", "--since", "last week"], 2, "--since 'last week' is not an ISO-8601 time"),
    ],
    ids=["missing table", "bad since"],
)
def test_expected_failures_are_one_line_and_non_zero(serial_moto: str, argv: list[str], code: int, line: str) -> None:
    result = run_report(serial_moto, *argv)
    assert result.returncode == code and result.stdout == ""
    assert result.stderr.count("\n") == 1 and line in result.stderr, result.stderr


def test_unreachable_endpoint_is_one_line(serial_moto: str) -> None:
    # Port 9 (discard) on loopback is closed: a configuration error, not a crash.
    result = run_report("http://127.0.0.1:9", "--table", "t", AWS_MAX_ATTEMPTS="2")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "Could not connect" in result.stderr, result.stderr


@pytest.fixture(scope="module")
def iam_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """The harness's moto server, whose DynamoDB answers AccessDeniedException as DynamoDB does."""
    with moto_server(log=tmp_path_factory.mktemp("iam-moto") / "moto.log") as server:
        yield server


def test_a_scan_the_role_may_not_make_is_one_line_saying_what_to_change(iam_moto: MotoServer) -> None:
    # A table without the audit index, read as a role holding the reader's and the report's actions
    # (what the module's Lambda role gets) but not Scan, which neither module role is granted.
    iam_moto.client("dynamodb").create_table(**table_definition("no-index-ledger", audit_index=False))
    iam = iam_moto.client("iam")
    iam.create_user(UserName="auditor")
    actions = sorted(READER_ACTIONS | REPORT_ACTIONS)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
    iam.put_user_policy(UserName="auditor", PolicyName="reader", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    iam_moto.enforce_iam(True)
    try:
        result = run_report(
            iam_moto.endpoint,
            "--table",
            "no-index-ledger",
            AWS_ACCESS_KEY_ID=key["AccessKeyId"],
            AWS_SECRET_ACCESS_KEY=key["SecretAccessKey"],
        )
    finally:
        iam_moto.enforce_iam(False)

    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    scanning, error = result.stderr.splitlines()
    assert "scanning table 'no-index-ledger' because it has no index 'audit-status-time'" in scanning
    assert "can only be reported by a Scan" in error and "enable the module's audit index" in error


def run_reopen(endpoint: str, *argv: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return subprocess.run(
        [sys.executable, "-m", "dynemodb.ledger", "reopen", "--endpoint-url", endpoint, "--region", "us-east-1", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
    )


def test_reopen_from_the_command_line_then_the_report_shows_who_and_why(
    serial_moto: str, server_client: Callable[[], Any], server_table: str
) -> None:
    ledger = Ledger(server_table, client=server_client(), max_attempts=1)
    claim = ledger.claim("s3://landing/a.csv")
    assert claim is not None
    ledger.fail(claim, "schema drift")

    reopened = run_reopen(
        serial_moto, "--table", server_table, "--reason", "INC-9", "--by", "ops", "s3://landing/a.csv"
    )
    result = run_report(serial_moto, "--table", server_table, "--since", "1h", "--format", "json")

    assert (reopened.returncode, reopened.stderr) == (0, "")
    assert reopened.stdout == "reopened s3://landing/a.csv (was FAILED, 1 attempt(s))\n"
    (entry,) = json.loads(result.stdout)["reopened"]
    assert (entry["file_id"], entry["reopened_by"], entry["reason"], entry["reopened_from"]) == (
        "s3://landing/a.csv",
        "ops",
        "INC-9",
        "FAILED",
    )
    assert ledger.claim("s3://landing/a.csv") is not None
