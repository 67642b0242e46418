"""The Glue Spark job of docs/ledger.md on real local Spark (two executor threads) against the moto server:
the driver asks unprocessed(), executors claim and complete per file; each file is completed once, over
a run and a rerun.

Spark's Python workers are separate processes, so the ledger and S3 are the one-request-at-a-time moto
server of conftest.py, reached through AWS_ENDPOINT_URL. Only awsglue (present inside Glue alone) is a
stand-in: getResolvedOptions returns the run's arguments.
"""

from __future__ import annotations

import json
import os
import re
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from pyspark import SparkConf, SparkContext

from dynemodb.ledger import Ledger

DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"
BLOCK = re.compile(r"^```python\n# file: glue_spark_job\.py\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.fixture(scope="module")
def spark(serial_moto: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkContext]:
    """local[2]: two executor threads. The JVM, and the Python workers it starts, keep the environment
    they were launched with, so the moto endpoint and dummy credentials are set for the launch only."""
    launch_env = {
        "AWS_ENDPOINT_URL": serial_moto,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    saved = dict(os.environ)
    os.environ.update(launch_env)
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("ledger-glue-spark-job")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.local.dir", str(tmp_path_factory.mktemp("spark")))
    )
    try:
        context = SparkContext(conf=conf)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    context.setLogLevel("ERROR")
    try:
        yield context
    finally:
        context.stop()


@pytest.fixture
def landing(serial_moto: str) -> Callable[[dict[str, str]], list[str]]:
    s3 = boto3.client("s3", endpoint_url=serial_moto, region_name="us-east-1")
    s3.create_bucket(Bucket="spark-landing")

    def put(objects: dict[str, str]) -> list[str]:
        for key, body in objects.items():
            s3.put_object(Bucket="spark-landing", Key=key, Body=body.encode())
        return [f"s3://spark-landing/{key}" for key in objects]

    return put


def run_job(monkeypatch: pytest.MonkeyPatch, arguments: dict[str, str]) -> dict[str, Any]:
    """Run the doc's block as Glue would; returns its globals (outcomes) and what it raised."""
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = lambda argv, names: {n: arguments[n] for n in names}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "awsglue", types.ModuleType("awsglue"))
    monkeypatch.setitem(sys.modules, "awsglue.utils", utils)
    (source,) = BLOCK.findall(DOC.read_text())
    namespace: dict[str, Any] = {"__name__": "glue_spark_job"}
    try:
        exec(compile(source, f"{DOC}:glue_spark_job.py", "exec"), namespace)
    except RuntimeError as exc:
        namespace["raised"] = str(exc)
    return namespace


@pytest.mark.timeout(600)
def test_each_file_is_completed_once_by_executors_over_a_run_and_a_rerun(
    spark: SparkContext,
    serial_moto: str,
    server_table: str,
    server_client: Callable[[], Any],
    landing: Callable[[dict[str, str]], list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", serial_moto)  # the driver's own reads
    good = landing({f"part-{i}.jsonl": '{"id": 1}\n' * (i + 1) for i in range(6)})
    (bad,) = landing({"broken.jsonl": "{not json\n"})
    arguments = {"LEDGER_TABLE": server_table, "FILE_IDS": json.dumps([*good, bad, good[0]])}

    runs = [run_job(monkeypatch, arguments | {"JOB_RUN_ID": f"jr_{n}"}) for n in (1, 2)]

    first, rerun = (run["outcomes"] for run in runs)
    assert [run.get("raised") for run in runs] == [f"1 file(s) failed, first: {bad}"] * 2
    completions = Counter(f for run in (first, rerun) for f, outcome in run.items() if outcome == "completed")
    assert completions == Counter(good), "every good file completed exactly once over both runs"
    assert rerun == {bad: "failed"}, "the rerun asked only for the file that failed"
    ledger = Ledger(server_table, client=server_client())
    records: dict[str, dict[str, Any]] = {}
    for f in good:
        record = ledger.get(f)
        assert record is not None, f"{f} has no ledger record"
        records[f] = record
    assert {f: (r["status"], r["completed_attempt"], r["metadata"]["job_run_id"]) for f, r in records.items()} == {
        f: ("COMPLETED", 1, "jr_1") for f in good
    }
    assert [records[f]["metadata"]["rows"] for f in good] == [1, 2, 3, 4, 5, 6]
    failed = ledger.get(bad)
    assert failed is not None and (failed["status"], failed["attempts"]) == ("FAILED", 2)
    assert spark.defaultParallelism == 2
