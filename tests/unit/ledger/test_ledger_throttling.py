"""Throttled requests are retried by botocore (standard mode by default, configurable)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import botocore.endpoint
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from dynemodb.ledger import Ledger
from dynemodb.ledger.errors import UnprocessedKeysExhausted

THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded.",
}


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def throttle(client: Any, operation: str, times: int) -> list[str]:
    """Answer the first `times` sends of `operation` with a throttling error; returns each send's fate."""
    sends: list[str] = []

    def before_send(request: Any, **_: Any) -> AWSResponse | None:
        if len(sends) >= times:
            sends.append("sent")
            return None
        sends.append("throttled")
        # Point the throttled attempt nowhere, so moto's in-process stubber (which also sees every send)
        # does not execute it: a throttled request must have no effect, as in DynamoDB.
        request.url = "http://throttled.invalid/"
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "throttled"}
        # botocore-stubs type `headers` as HTTPHeaders; botocore copies any mapping into a HeadersDict.
        return AWSResponse(request.url, 400, headers, _Body(json.dumps(THROTTLED).encode()))  # type: ignore[arg-type]

    client.meta.events.register_first(f"before-send.dynamodb.{operation}", before_send)
    return sends


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """botocore's retry sleeps, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=slept.append))
    return slept


@pytest.fixture
def own_client_ledger(table: str, clock: Any) -> Callable[..., Ledger]:
    """A Ledger that builds its own client, as it does in a Glue job or a Lambda."""

    def make(**options: Any) -> Ledger:
        return Ledger(table, clock=clock, **options)

    return make


OPERATIONS: dict[str, tuple[str, Callable[[Ledger], Any]]] = {
    "claim": ("UpdateItem", lambda ledger: ledger.claim("f")),
    "get": ("GetItem", lambda ledger: ledger.get("f")),
    "unprocessed": ("BatchGetItem", lambda ledger: ledger.unprocessed(["f", "g"])),
}


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize("throttled", [1, 3])
def test_throttled_requests_are_retried_by_default(
    own_client_ledger: Callable[..., Ledger], backoffs: list[float], name: str, throttled: int
) -> None:
    ledger = own_client_ledger()
    operation, call = OPERATIONS[name]
    sends = throttle(ledger.client, operation, throttled)

    result = call(ledger)

    assert sends == ["throttled"] * throttled + ["sent"]
    assert len(backoffs) == throttled and all(0 <= b <= 20 for b in backoffs)
    if name == "claim":
        assert result is not None and result.attempt == 1, "throttled attempts must not count"
    if name == "unprocessed":
        assert result == ["f", "g"]


def test_the_default_client_uses_standard_retry_mode(own_client_ledger: Callable[..., Ledger]) -> None:
    config = own_client_ledger().client.meta.config
    # botocore sets Config's options as attributes; botocore-stubs declare them only as __init__ arguments.
    assert config.retries == {"mode": "standard", "total_max_attempts": 10}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("retries", "throttled", "outcome"),
    [
        ({"mode": "standard", "total_max_attempts": 2}, 1, "claimed"),
        ({"mode": "standard", "total_max_attempts": 2}, 2, "ProvisionedThroughputExceededException"),
        ({"mode": "legacy", "total_max_attempts": 4}, 3, "claimed"),
        ({"mode": "legacy", "total_max_attempts": 1}, 1, "ProvisionedThroughputExceededException"),
    ],
    ids=["within budget", "budget exhausted", "legacy mode", "retries switched off"],
)
def test_retry_policy_is_configurable(
    own_client_ledger: Callable[..., Ledger],
    backoffs: list[float],
    retries: dict[str, Any],
    throttled: int,
    outcome: str,
) -> None:
    ledger = own_client_ledger(retries=retries)
    sends = throttle(ledger.client, "UpdateItem", throttled)
    try:
        result = "claimed" if ledger.claim("f") else "refused"
    except ClientError as exc:
        result = exc.response["Error"]["Code"]
    assert result == outcome
    assert len(sends) == min(throttled + 1, retries["total_max_attempts"])


def test_a_batch_read_throttled_beyond_every_retry_is_unprocessed_keys_exhausted(
    own_client_ledger: Callable[..., Ledger], backoffs: list[float]
) -> None:
    # DynamoDB answers a BatchGetItem of which it can read nothing with this error, never with every key
    # unprocessed (API_BatchGetItem): the documented signal must come from it too.
    ledger = own_client_ledger(retries={"mode": "standard", "total_max_attempts": 2})
    throttle(ledger.client, "BatchGetItem", 2)
    with pytest.raises(UnprocessedKeysExhausted, match="throttled \\(ProvisionedThroughputExceededException\\)"):
        ledger.unprocessed(["f", "g"])
