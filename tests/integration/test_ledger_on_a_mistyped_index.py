"""A table with an index keyed on an attribute the ledger writes, in a way that makes DynamoDB refuse the writes.

DynamoDB refuses each write that gives such an index key another type than the index's ("Type mismatch for
Index Key") or a longer value than an index key holds ("Size of hashkey has exceeded ..."); the ledger names
the table, the index and the fix, and nothing is written. Plain moto stores these writes (the ledger names
attributes by placeholder), so this runs on the harness's emulator, which refuses them as AWS does (gaps
index-key-types-on-writes and index-key-values-on-updates).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from dynemodb.harness.emulator import MotoServer
from dynemodb.ledger import Ledger, TableMismatch

_names = itertools.count()


def _indexed_on(dynamodb: Any, key: str, key_type: str) -> str:
    name, index = (
        f"mistyped-index-{next(_names)}",
        {"IndexName": "by-it", "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}]},
    )
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "file_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in (("file_id", "S"), (key, key_type))],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{**index, "Projection": {"ProjectionType": "ALL"}}],
    )
    return name


def test_an_index_keyed_on_a_ledger_attribute_with_another_type_is_named_with_the_fix(moto: MotoServer) -> None:
    dynamodb = moto.client("dynamodb")
    table = _indexed_on(dynamodb, "status", "N")
    with pytest.raises(TableMismatch, match=f"table '{table}' has the index 'by-it' keyed by 'status' as N, but the "
                       "ledger writes 'status' as S, so DynamoDB refuses its writes"):  # fmt: skip
        Ledger(table, client=dynamodb).claim("s3://in/a.csv")
    assert dynamodb.scan(TableName=table)["Items"] == [], "nothing was written"


def test_an_index_keyed_on_the_ttl_attribute_as_a_string_is_named_when_a_completion_sets_it(moto: MotoServer) -> None:
    dynamodb = moto.client("dynamodb")
    ledger = Ledger(_indexed_on(dynamodb, "expiration_time", "S"), client=dynamodb, retention_days=30)
    claim = ledger.claim("s3://in/a.csv")  # a claim removes the TTL attribute: nothing mistyped yet
    assert claim is not None
    with pytest.raises(
        TableMismatch, match="keyed by 'expiration_time' as S, but the ledger writes 'expiration_time' as N"
    ):
        ledger.complete(claim)
    record = ledger.get("s3://in/a.csv")
    assert record is not None and record["status"] == "IN_PROGRESS", "the completion wrote nothing"


def test_an_index_keyed_on_the_ledgers_error_text_is_named_when_a_long_error_is_refused(moto: MotoServer) -> None:
    dynamodb = moto.client("dynamodb")
    ledger = Ledger(_indexed_on(dynamodb, "last_error", "S"), client=dynamodb)
    claim = ledger.claim("s3://in/a.csv")
    assert claim is not None
    with pytest.raises(TableMismatch, match="keyed by 'last_error', free text the ledger writes with up to 4000 "
                       "bytes, and DynamoDB refuses an index key value over 2048 bytes there"):  # fmt: skip
        ledger.fail(claim, "E" * 3000)
    record = ledger.get("s3://in/a.csv")
    assert record is not None and record["status"] == "IN_PROGRESS", "the failure wrote nothing"
    ledger.fail(claim, "short enough for the index")  # the same index takes an error that fits
