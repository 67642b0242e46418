"""The real `python -m dynemodb.ledger report` process against the moto server, as cron would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger


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
    assert document["counts"] == {"IN_PROGRESS": 0, "COMPLETED": 2, "FAILED": 1}
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
