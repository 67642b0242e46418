"""Every ```python block in docs/ledger.md runs here against moto, so the examples cannot rot."""

from __future__ import annotations

import io
import json
import re
import sys
import types
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import boto3
import pytest

from dynemodb.ledger import Ledger

DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
NAME = re.compile(r"\A# file: (\S+)\n")


def examples() -> dict[str, str]:
    blocks = BLOCK.findall(DOC.read_text())
    named = {}
    for block in blocks:
        match = NAME.match(block)
        assert match, f"every python block in {DOC.name} starts with '# file: <name>.py'; this one does not:\n{block}"
        named[match[1]] = block
    assert len(named) == len(blocks), "two python blocks share a name"
    return named


def run(name: str, **module_globals: Any) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name.removesuffix(".py"), **module_globals}
    exec(compile(examples()[name], f"{DOC}:{name}", "exec"), namespace)
    return namespace


def test_every_block_is_run_by_a_test() -> None:
    # glue_spark_job.py needs Spark and a moto server: tests/integration/ledger/test_glue_spark_job.py.
    assert set(examples()) == {
        "quickstart.py",
        "content_identity.py",
        "glue_job.py",
        "glue_spark_job.py",
        "lambda_function.py",
        "reopen.py",
    }


def test_quickstart(table: str) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        run("quickstart.py")
    assert out.getvalue().splitlines() == ["COMPLETED", "['s3://landing/2024/05/02/orders.csv']"]


@pytest.fixture
def landing(mocked_aws: None) -> Callable[[dict[str, str]], list[str]]:
    """Put objects in a landing bucket; returns their file ids."""
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="landing")

    def put(objects: dict[str, str]) -> list[str]:
        for key, body in objects.items():
            s3.put_object(Bucket="landing", Key=key, Body=body.encode())
        return [f"s3://landing/{key}" for key in objects]

    return put


@pytest.fixture
def glue_args(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Stand in for awsglue (only present inside Glue): getResolvedOptions returns these arguments."""
    arguments: dict[str, str] = {}
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = lambda argv, names: {n: arguments[n] for n in names}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "awsglue", types.ModuleType("awsglue"))
    monkeypatch.setitem(sys.modules, "awsglue.utils", utils)
    return arguments


def test_glue_job_loads_each_file_once_and_retries_failures(
    table: str, landing: Callable[[dict[str, str]], list[str]], glue_args: dict[str, str], dynamodb: Any
) -> None:
    good_a, good_b, bad = landing(
        {"a.jsonl": '{"id": 1}\n{"id": 2}\n{"id": 3}\n', "b.jsonl": '{"id": 4}\n', "bad.jsonl": "{not json\n"}
    )
    glue_args.update(LEDGER_TABLE=table, FILE_IDS=json.dumps([good_a, good_b, bad, good_a]))
    ledger = Ledger(table, client=dynamodb)

    for run_number in (1, 2):
        glue_args["JOB_RUN_ID"] = f"jr_{run_number}"
        with pytest.raises(RuntimeError, match=f"1 file\\(s\\) failed, first: {bad}"):
            run("glue_job.py")

        done: dict[str, dict[str, Any]] = {}
        for f in (good_a, good_b):
            record = ledger.get(f)
            assert record is not None, f"{f} has no ledger record"
            done[f] = record
        assert {f: (r["status"], r["completed_attempt"], r["metadata"]) for f, r in done.items()} == {
            good_a: ("COMPLETED", 1, {"rows": 3, "job_run_id": "jr_1"}),  # run 2 did not touch it
            good_b: ("COMPLETED", 1, {"rows": 1, "job_run_id": "jr_1"}),
        }
        failed = ledger.get(bad)
        assert failed is not None
        assert (failed["status"], failed["attempts"], failed["owner"]) == (
            "FAILED",
            run_number,
            f"glue:jr_{run_number}",
        )
        assert failed["last_error"].startswith("JSONDecodeError: ")


def s3_event(*keys: str) -> dict[str, Any]:
    records = [{"s3": {"bucket": {"name": "landing"}, "object": {"key": key}}} for key in keys]
    return {"Records": [{"eventName": "ObjectCreated:Put", **record} for record in records]}


@pytest.fixture
def glue(mocked_aws: None, monkeypatch: pytest.MonkeyPatch, table: str) -> Any:
    client = boto3.client("glue", region_name="us-east-1")
    client.create_job(Name="ingest", Role="arn:aws:iam::123456789012:role/glue", Command={"Name": "pythonshell"})
    monkeypatch.setenv("LEDGER_TABLE", table)
    monkeypatch.setenv("GLUE_JOB_NAME", "ingest")
    return client


def test_lambda_starts_glue_only_for_files_not_done(table: str, dynamodb: Any, glue: Any) -> None:
    ledger = Ledger(table, client=dynamodb)
    claim = ledger.claim("s3://landing/done.csv")
    assert claim is not None
    ledger.complete(claim)

    handler = run("lambda_function.py")["handler"]
    # S3 URL-encodes keys in events ("+" is a space) and may deliver a record twice.
    first = handler(s3_event("new+file.csv", "done.csv", "other.csv", "new+file.csv"), None)
    again = handler(s3_event("done.csv"), None)

    assert first["files"] == ["s3://landing/new file.csv", "s3://landing/other.csv"]
    assert again == {"job_run_id": None, "files": []}
    (job_run,) = glue.get_job_runs(JobName="ingest")["JobRuns"]
    assert job_run["Id"] == first["job_run_id"]
    assert job_run["Arguments"] == {"--FILE_IDS": json.dumps(first["files"])}


def test_a_key_with_a_comma_goes_from_the_lambda_through_the_glue_job(
    table: str,
    dynamodb: Any,
    glue: Any,
    landing: Callable[[dict[str, str]], list[str]],
    glue_args: dict[str, str],
) -> None:
    # S3 keys may hold commas; S3 events carry them URL-encoded. Comma-joined ids split this one in two.
    (file_id,) = landing({"exports/orders,2024-05-01.jsonl": '{"id": 1}\n{"id": 2}\n'})
    started = run("lambda_function.py")["handler"](s3_event("exports/orders%2C2024-05-01.jsonl"), None)
    (job_run,) = glue.get_job_runs(JobName="ingest")["JobRuns"]

    glue_args.update(job_run["Arguments"] | {"JOB_RUN_ID": job_run["Id"], "LEDGER_TABLE": table})
    glue_args["FILE_IDS"] = glue_args.pop("--FILE_IDS")
    run("glue_job.py")  # raises if any file failed

    assert started["files"] == [file_id] == ["s3://landing/exports/orders,2024-05-01.jsonl"]
    record = Ledger(table, client=dynamodb).get(file_id)
    assert record is not None and (record["status"], record["metadata"]["rows"]) == ("COMPLETED", 2)


def test_content_identity_loads_each_version_once(table: str, mocked_aws: None) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="landing")
    s3.put_bucket_versioning(Bucket="landing", VersioningConfiguration={"Status": "Enabled"})
    out = io.StringIO()
    with redirect_stdout(out):
        run("content_identity.py")
    assert out.getvalue().splitlines() == ["2 0", "3 0"]


def test_reopen_lets_a_stuck_file_be_claimed_again(table: str) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        run("reopen.py")
    assert out.getvalue().splitlines() == ["[]", "REOPENED FAILED alice", "1"]


def test_the_doc_states_what_the_tests_check() -> None:
    # The doc's permission table must match the sets the schema tests enforce.
    from dynemodb.ledger.schema import READER_ACTIONS, REOPEN_ACTIONS, REPORT_SCAN_ACTIONS, WRITER_ACTIONS

    text = DOC.read_text()
    rows = (
        ("writers (Glue)", WRITER_ACTIONS),
        ("readers (Lambda)", READER_ACTIONS),
        ("`reopen`", REOPEN_ACTIONS),
        ("the audit report", REPORT_SCAN_ACTIONS),
    )
    for who, actions in rows:
        row = next(line for line in text.splitlines() if line.startswith(f"| {who} |"))
        listed = set(re.findall(r"`(\w+)`", row.split("|")[2]))
        assert listed == {a.split(":")[1] for a in actions}, json.dumps(sorted(listed))
