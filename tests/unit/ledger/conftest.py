"""Fixtures for ledger unit tests: moto in-process, an injected clock, request counters.

Nothing here may reach AWS: credentials are dummies and every client is created under mock_aws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from dynemodb.ledger import Ledger, values
from dynemodb.ledger.schema import table_definition, ttl_specification

TABLE = "ingest-ledger"
START = 1_700_000_000.0


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        # A developer's ~/.aws must not leak a profile or endpoint into the tests.
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mocked_aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture(scope="session")
def boto_session() -> boto3.session.Session:
    # mock_aws drops boto3's default session each time; one long-lived session keeps client creation
    # (loading the service model) a one-off cost instead of ~0.1 s per test.
    return boto3.session.Session(region_name="us-east-1")


@pytest.fixture
def dynamodb(mocked_aws: None, aws_env: None, boto_session: boto3.session.Session) -> Any:
    return boto_session.client("dynamodb")


@pytest.fixture
def table(dynamodb: Any) -> str:
    dynamodb.create_table(**table_definition(TABLE))
    dynamodb.update_time_to_live(TableName=TABLE, **ttl_specification())
    return TABLE


@pytest.fixture
def sleeps() -> list[float]:
    """Backoff delays the ledger asked for; recorded instead of slept so tests stay fast."""
    return []


@pytest.fixture
def make_ledger(dynamodb: Any, table: str, clock: FakeClock, sleeps: list[float]) -> Callable[..., Ledger]:
    def make(**options: Any) -> Ledger:
        options = {"client": dynamodb, "clock": clock, "sleep": sleeps.append} | options
        return Ledger(table, **options)

    return make


@pytest.fixture
def ledger(make_ledger: Callable[..., Ledger]) -> Ledger:
    return make_ledger()


@pytest.fixture
def api_calls(dynamodb: Any) -> Counter[str]:
    """API calls by operation name, counted once per call however many times botocore retries it."""
    calls: Counter[str] = Counter()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    dynamodb.meta.events.register("before-call.dynamodb", count)
    return calls


@pytest.fixture
def http_sends(dynamodb: Any) -> Counter[str]:
    """HTTP requests by operation name, retries included."""
    sends: Counter[str] = Counter()

    def count(request: Any, **_: Any) -> None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        sends[target.rsplit(".", 1)[-1]] += 1

    dynamodb.meta.events.register_first("before-send.dynamodb", count)
    return sends


@pytest.fixture
def stored(dynamodb: Any, table: str) -> Callable[[str], dict[str, Any] | None]:
    """The item as stored, bypassing the ledger's expiry logic (moto, like DynamoDB, keeps it)."""

    def read(file_id: str) -> dict[str, Any] | None:
        item = dynamodb.get_item(TableName=table, Key={"file_id": {"S": file_id}}).get("Item")
        return None if item is None else values.to_python(item)

    return read


@pytest.fixture
def put_record(dynamodb: Any, table: str) -> Callable[..., None]:
    """Write a record as some earlier writer left it, to set up a scenario without going through claims."""

    def put(file_id: str, **attributes: Any) -> None:
        item = {"file_id": {"S": file_id}} | {k: values.to_attribute(k, v) for k, v in attributes.items()}
        dynamodb.put_item(TableName=table, Item=item)

    return put
