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


def test_every_block_is_run_by_a_test_here() -> None:
    assert set(examples()) == {"quickstart.py", "glue_job.py", "lambda_function.py"}


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
    glue_args.update(LEDGER_TABLE=table, FILE_IDS=",".join([good_a, good_b, bad, good_a]))
    ledger = Ledger(table, client=dynamodb)

    for run_number in (1, 2):
        glue_args["JOB_RUN_ID"] = f"jr_{run_number}"
        with pytest.raises(RuntimeError, match=f"1 file\\(s\\) failed, first: {bad}"):
            run("glue_job.py")

        done = {f: ledger.get(f) for f in (good_a, good_b)}
        assert {f: (r["status"], r["attempts"], r["metadata"]) for f, r in done.items()} == {
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
    return {"Records": [{"s3": {"bucket": {"name": "landing"}, "object": {"key": key}}} for key in keys]}


def test_lambda_starts_glue_only_for_files_not_done(
    table: str, dynamodb: Any, monkeypatch: pytest.MonkeyPatch, mocked_aws: None
) -> None:
    glue = boto3.client("glue", region_name="us-east-1")
    glue.create_job(Name="ingest", Role="arn:aws:iam::123456789012:role/glue", Command={"Name": "pythonshell"})
    monkeypatch.setenv("LEDGER_TABLE", table)
    monkeypatch.setenv("GLUE_JOB_NAME", "ingest")
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
    assert job_run["Arguments"] == {"--FILE_IDS": ",".join(first["files"])}


def test_the_doc_states_what_the_tests_check() -> None:
    # The doc's permission table must match the sets the schema tests enforce.
    from dynemodb.ledger.schema import READER_ACTIONS, WRITER_ACTIONS

    text = DOC.read_text()
    for who, actions in (("writers (Glue)", WRITER_ACTIONS), ("readers (Lambda)", READER_ACTIONS)):
        row = next(line for line in text.splitlines() if line.startswith(f"| {who} |"))
        listed = set(re.findall(r"`(\w+)`", row))
        assert listed == {a.split(":")[1] for a in actions}, json.dumps(sorted(listed))
