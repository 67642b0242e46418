"""Tables that are not what the ledger expects, and tables with TTL off.

A missing table, one keyed by another name, by a Number, or with a sort key: each is an error that names
the table and what to change, raised by the request that found out (so nothing was written).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger, TableMismatch, TableNotFound
from dynemodb.ledger.schema import table_definition


def keyed(dynamodb: Any, name: str, *keys: tuple[str, str, str]) -> str:
    """Create a table with the given (attribute, type, HASH|RANGE) keys."""
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": a, "KeyType": kind} for a, _, kind in keys],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


CALLS: dict[str, Callable[[Ledger], Any]] = {
    "claim": lambda ledger: ledger.claim("s3://in/a.csv"),
    "get": lambda ledger: ledger.get("s3://in/a.csv"),
    "unprocessed": lambda ledger: ledger.unprocessed(["s3://in/a.csv", "s3://in/b.csv"]),
    "reopen": lambda ledger: ledger.reopen("s3://in/a.csv", reason="rerun", by="alice"),
}

# (table, its keys, what the message says)
MISMATCHES = [
    ("keyed-by-id", [("id", "S", "HASH")], "is keyed by 'id', not 'file_id': if it is the ledger table, pass hash_key"),
    ("with-sort-key", [("file_id", "S", "HASH"), ("version", "S", "RANGE")], "has the sort key 'version'"),
    ("numeric-key", [("file_id", "N", "HASH")], "has the hash key 'file_id' of type N"),
]
# DynamoDB refuses a String key for a Number key on every call; moto only on an unconditional UpdateItem,
# answering the reads with "no item" and the reopen with a failed condition. So moto can show the claim.
CASES = [(*m, call) for m in MISMATCHES for call in (["claim"] if m[0] == "numeric-key" else CALLS)]


@pytest.mark.parametrize(("name", "keys", "message", "call"), CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_a_table_of_another_shape_is_named_with_the_fix(
    dynamodb: Any, call: str, name: str, keys: list[tuple[str, str, str]], message: str
) -> None:
    ledger = Ledger(keyed(dynamodb, name, *keys), client=dynamodb)
    with pytest.raises(TableMismatch, match=f"table '{name}' {message}".replace("(", r"\(")):
        CALLS[call](ledger)
    assert dynamodb.scan(TableName=name)["Items"] == [], "nothing was written"


@pytest.mark.parametrize("call", CALLS)
def test_a_missing_table_is_named_with_its_region(dynamodb: Any, call: str) -> None:
    with pytest.raises(TableNotFound, match="table 'no-such-ledger' not found in region us-east-1: check"):
        CALLS[call](Ledger("no-such-ledger", client=dynamodb))


def test_describe_table_is_only_called_to_explain_a_failure(ledger: Ledger, api_calls: Counter[str]) -> None:
    claim = ledger.claim("s3://in/a.csv")
    assert claim is not None
    ledger.complete(claim)
    ledger.unprocessed(["s3://in/a.csv"])
    assert "DescribeTable" not in api_calls


def test_ttl_off_the_ledger_works_and_nothing_expires(
    dynamodb: Any, clock: Any, stored: Callable[[str], Any], put_record: Callable[..., None]
) -> None:
    # The module outputs ttl_attribute = null when TTL is off; the README says to pass that output.
    dynamodb.create_table(**table_definition("no-ttl-ledger"))
    ledger = Ledger("no-ttl-ledger", client=dynamodb, clock=clock, ttl_attribute=None)
    claim = ledger.claim("f")
    assert claim is not None
    ledger.complete(claim, rows=1)
    clock.advance(10 * 365 * 86400)
    assert ledger.claim("f") is None and ledger.unprocessed(["f", "g"]) == ["g"]
    record = ledger.get("f")
    assert record is not None and record["status"] == "COMPLETED"
    assert "expiration_time" not in dynamodb.get_item(TableName="no-ttl-ledger", Key={"file_id": {"S": "f"}})["Item"]
