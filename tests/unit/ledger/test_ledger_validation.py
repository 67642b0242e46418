"""Bad input fails fast with a ValueError that says what to pass instead, before any request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from dynemodb.ledger import Ledger
from dynemodb.ledger.validation import error_text

# (what is wrong, constructor options, message fragment)
BAD_OPTIONS = [
    ("empty table name", {"table_name": ""}, "table_name must be a non-empty string"),
    ("table name with a space", {"table_name": "ingest ledger"}, "table_name must be a DynamoDB table name, 3 to 255"),
    ("table name too short", {"table_name": "ab"}, "table_name must be a DynamoDB table name"),
    ("table name too long", {"table_name": "t" * 256}, "table_name must be a DynamoDB table name"),
    ("ARN of another service", {"table_name": "arn:aws:s3:::bucket"}, "or the table's ARN"),
    ("empty hash key", {"hash_key": " "}, "hash_key must be a non-empty string"),
    ("hash key the ledger writes", {"hash_key": "status"}, "collides with an attribute the ledger writes"),
    ("ttl attribute the ledger writes", {"ttl_attribute": "attempts"}, "collides"),
    ("ttl attribute is the key", {"ttl_attribute": "file_id"}, "collides"),
    ("zero retention", {"retention_days": 0}, "retention_days must be a positive number up to 36500 such as 90"),
    ("infinite retention", {"retention_days": float("inf")}, "retention_days must be a positive number up to"),
    ("retention past any date", {"retention_days": 1e300}, "retention_days must be a positive number up to"),
    ("NaN retention", {"retention_days": float("nan")}, "retention_days must be a positive number"),
    ("retention as text", {"retention_days": "30"}, "retention_days must be a positive number"),
    ("zero lease", {"lease_seconds": 0}, "lease_seconds must be a positive number from 1 to 604800 such as 900"),
    # Stored to the millisecond, a 0.4 ms lease would be written as an already expired one.
    ("sub-second lease", {"lease_seconds": 0.0004}, "lease_seconds must be a positive number from 1 to 604800"),
    ("infinite lease", {"lease_seconds": float("inf")}, "lease_seconds must be a positive number from 1 to 604800"),
    ("lease longer than a Glue job can run", {"lease_seconds": 8 * 86400}, "to 604800"),
    ("negative lease", {"lease_seconds": -5}, "lease_seconds must be a positive number"),
    ("boolean lease", {"lease_seconds": True}, "lease_seconds must be a positive number"),
    ("zero attempts", {"max_attempts": 0}, "max_attempts must be an integer from 1 to 1000 such as 3"),
    ("more attempts than a number holds", {"max_attempts": 10**40}, "max_attempts must be an integer from 1 to 1000"),
    ("retention without a TTL attribute", {"ttl_attribute": None, "retention_days": 30}, "retention_days needs a TTL"),
    ("zero read workers", {"max_workers": 0}, "max_workers must be an integer from 1 to 64"),
    ("more workers than pooled connections", {"max_workers": 16}, "Config\\(max_pool_connections=16\\)"),
    ("fractional attempts", {"max_attempts": 1.5}, "max_attempts must be an integer"),
    ("clock not callable", {"clock": 1_700_000_000}, "clock must be callable such as time.time"),
    ("retries with own client", {"retries": {"mode": "standard"}}, "set botocore.config.Config"),
]


@pytest.mark.parametrize("kind", ["resource", "Table"])
def test_a_boto3_resource_is_refused_with_the_client_to_pass(boto_session: Any, table: str, kind: str) -> None:
    resource = boto_session.resource("dynamodb")
    given = resource if kind == "resource" else resource.Table(table)
    with pytest.raises(ValueError, match=r"not a boto3 resource or Table; pass table.meta.client"):
        Ledger(table, client=given)


@pytest.mark.parametrize(("wrong", "options", "message"), BAD_OPTIONS, ids=[b[0] for b in BAD_OPTIONS])
def test_bad_constructor_options(dynamodb: Any, table: str, wrong: str, options: dict[str, Any], message: str) -> None:
    arguments = {"table_name": table, "client": dynamodb} | options
    with pytest.raises(ValueError, match=message):
        Ledger(arguments.pop("table_name"), **arguments)


def _claimed(ledger: Ledger) -> Any:
    claim = ledger.claim("f")
    assert claim is not None
    return claim


# (what is wrong, the call, message fragment)
# Rows with `type: ignore[arg-type]` pass the wrong type on purpose: the runtime check is what they test.
BAD_CALLS: list[tuple[str, Callable[[Ledger, Any], Any], str]] = [
    ("empty file id", lambda ledger, c: ledger.claim(""), "file_id must be a non-empty string such as"),
    ("file id not a string", lambda ledger, c: ledger.claim(42), "file_id must be a non-empty string"),  # type: ignore[arg-type]
    ("file id over the key limit", lambda ledger, c: ledger.claim("x" * 2049), "at most 2048"),
    ("empty owner", lambda ledger, c: ledger.claim("f", owner=""), "owner must be a non-empty string"),
    ("owner longer than a label", lambda ledger, c: ledger.claim("f", owner="o" * 1025), "keep it to 1024"),
    # 400 characters, but 1200 bytes in UTF-8: DynamoDB sizes a key (an index on owner) in bytes.
    ("multibyte owner over its bytes", lambda ledger, c: ledger.claim("f", owner="€" * 400), "1200 bytes in UTF-8"),
    ("owner with a lone surrogate", lambda ledger, c: ledger.claim("f", owner="glue\ud800"), "lone surrogate"),
    ("multibyte file id over the key limit", lambda ledger, c: ledger.claim("é" * 1025), "2050 bytes"),
    ("get without id", lambda ledger, c: ledger.get(None), "file_id must be a non-empty string"),  # type: ignore[arg-type]
    ("one string for many ids", lambda ledger, c: ledger.unprocessed("s3://a"), "not a single string"),
    ("ids not iterable", lambda ledger, c: ledger.unprocessed(7), "iterable of strings"),  # type: ignore[arg-type]
    ("an empty id among ids", lambda ledger, c: ledger.unprocessed(["a", ""]), "file_id must be"),
    ("heartbeat of a non-claim", lambda ledger, c: ledger.heartbeat("f"), "pass the Claim returned by"),  # type: ignore[arg-type]
    ("claim of another table", lambda ledger, c: ledger.complete(replace(c, table_name="other")), "other"),
    ("error of the wrong type", lambda ledger, c: ledger.fail(c, 42), "exception or a string"),  # type: ignore[arg-type]
    ("metadata DynamoDB cannot hold", lambda ledger, c: ledger.complete(c, handle=object()), "cannot store"),
    ("NaN metadata", lambda ledger, c: ledger.complete(c, ratio=float("nan")), "not a finite number"),
    # "Supported data types and naming rules": attribute names are less than 64 KB.
    ("metadata name of 64 KB", lambda ledger, c: ledger.complete(c, **{"k" * 65536: 1}), "less than 64 KB"),
    ("nested key of 64 KB", lambda ledger, c: ledger.complete(c, cols={"k" * 65536: 1}), "less than 64 KB"),
    ("metadata with a lone surrogate", lambda ledger, c: ledger.complete(c, path="a\udc80"), "lone surrogate"),
    ("a set member with one", lambda ledger, c: ledger.complete(c, keys={"a", "b\udc80"}), "lone surrogate"),
    ("a nested key with one", lambda ledger, c: ledger.complete(c, cols={"\udc80": 1}), "lone surrogate"),
]


@pytest.mark.parametrize(("wrong", "call", "message"), BAD_CALLS, ids=[b[0] for b in BAD_CALLS])
def test_bad_calls_make_no_request(
    ledger: Ledger, api_calls: Counter[str], wrong: str, call: Callable[[Ledger, Any], Any], message: str
) -> None:
    claim = _claimed(ledger)
    api_calls.clear()
    with pytest.raises(ValueError, match=message):
        call(ledger, claim)
    assert api_calls == Counter()


@pytest.mark.parametrize(
    "now",
    ["2024-05-01", float("inf"), float("nan"), 1e20, 86_400.5, 1_700_000_000_000],
    ids=["text", "inf", "nan", "far future", "seconds since boot", "milliseconds"],
)
def test_a_clock_that_returns_nonsense(make_ledger: Callable[..., Ledger], api_calls: Counter[str], now: Any) -> None:
    with pytest.raises(ValueError, match="clock must return seconds since the epoch, after 2000-01-01"):
        make_ledger(clock=lambda: now).claim("f")
    assert api_calls == Counter()


def test_a_table_arn_names_the_table(dynamodb: Any, table: str, stored: Callable[[str], Any]) -> None:
    # DynamoDB's data-plane and DescribeTable calls take the table's ARN as TableName.
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    ledger = Ledger(arn, client=dynamodb)
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim)
    assert stored("f")["status"] == "COMPLETED"


def test_the_longest_options_still_write_numbers_dynamodb_stores(
    make_ledger: Callable[..., Ledger], stored: Callable[[str], Any]
) -> None:
    # At the upper bounds every time the ledger writes is still a number and a date.
    ledger = make_ledger(retention_days=36500, lease_seconds=7 * 86400, max_attempts=1000)
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim)
    assert stored("f")["expiration_time"] > claim.lease_expires_at


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (ValueError("bad header"), "ValueError: bad header"),
        (KeyError("col"), "KeyError: 'col'"),
        (TimeoutError(), "TimeoutError"),
        ("schema drift in column 3", "schema drift in column 3"),
        ("x" * 50, "x" * 25 + "... [truncated]"),
        # 20 characters, 60 bytes: cut to 25 bytes at a character boundary (8 whole characters).
        ("€" * 20, "€" * 8 + "... [truncated]"),
        # A file name decoded with surrogateescape: kept escaped, since UTF-8 has no form for it.
        (OSError("no such file: b\udcff.csv"), "OSError: no such file: b\\udcff.csv"),
        # str(TimeoutError()) in an except block: the failure is recorded all the same.
        ("  ", "(no message)"),
    ],
    ids=[
        "exception",
        "key error",
        "exception without message",
        "text",
        "too long",
        "too many bytes",
        "surrogate",
        "empty text",
    ],
)
def test_error_text(error: BaseException | str, recorded: str) -> None:
    assert error_text(error, limit=40) == recorded
