"""The contract with the Terraform module: audit keys, attributes every write sets, IAM actions used."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger
from dynemodb.ledger.schema import (
    AUDIT_INDEX_NAME,
    AUDIT_SHARDS,
    READER_ACTIONS,
    WRITER_ACTIONS,
    audit_pk,
    table_definition,
)


@pytest.mark.parametrize(
    ("status", "file_id", "expected"),
    [
        ("COMPLETED", "s3://in/a.csv", "COMPLETED#13"),
        ("COMPLETED", "a", "COMPLETED#02"),
        ("FAILED", "file-0001", "FAILED#08"),
        ("IN_PROGRESS", "é", "IN_PROGRESS#14"),  # UTF-8 bytes, as the module's contract says
    ],
)
def test_audit_partition_key_is_the_agreed_format(status: str, file_id: str, expected: str) -> None:
    assert audit_pk(status, file_id) == expected


def test_audit_shards_follow_the_contract_formula_and_spread() -> None:
    ids = [f"s3://in/{i}.csv" for i in range(1600)]
    shards = Counter(int(audit_pk("COMPLETED", i).split("#")[1]) for i in ids)
    for i in ids[:50]:
        assert audit_pk("X", i) == f"X#{int(hashlib.sha256(i.encode()).hexdigest()[:8], 16) % 16:02d}"
    assert AUDIT_SHARDS == 16 and set(shards) == set(range(16))
    assert max(shards.values()) < 2 * min(shards.values()), "one shard must not take a status's load"


def test_the_test_table_is_shaped_like_the_module_table() -> None:
    definition = table_definition("t")
    assert definition["KeySchema"] == [{"AttributeName": "file_id", "KeyType": "HASH"}]
    (gsi,) = definition["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == AUDIT_INDEX_NAME == "audit-status-time"
    assert gsi["KeySchema"] == [
        {"AttributeName": "audit_pk", "KeyType": "HASH"},
        {"AttributeName": "updated_at", "KeyType": "RANGE"},
    ]
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    types = {a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]}
    assert types == {"file_id": "S", "audit_pk": "S", "updated_at": "N"}


STEPS: list[tuple[str, Callable[[Ledger, Any], Any], str]] = [
    ("claim", lambda ledger, state: state.update(claim=ledger.claim("f")), "IN_PROGRESS"),
    ("heartbeat", lambda ledger, state: ledger.heartbeat(state["claim"]), "IN_PROGRESS"),
    ("fail", lambda ledger, state: ledger.fail(state["claim"], "boom"), "FAILED"),
    ("reclaim", lambda ledger, state: state.update(claim=ledger.claim("f")), "IN_PROGRESS"),
    ("complete", lambda ledger, state: ledger.complete(state["claim"], rows=1), "COMPLETED"),
]


def _in_index(dynamodb: Any, table: str, pk: str) -> list[str]:
    response = dynamodb.query(
        TableName=table,
        IndexName=AUDIT_INDEX_NAME,
        KeyConditionExpression="audit_pk = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
    )
    return [i["file_id"]["S"] for i in response["Items"]]


def test_every_write_sets_status_updated_at_and_audit_pk(
    ledger: Ledger, clock: Any, stored: Callable[[str], Any], dynamodb: Any, table: str
) -> None:
    state: dict[str, Any] = {}
    for step, act, status in STEPS:
        clock.advance(10)
        act(ledger, state)
        record = stored("f")
        assert (record["status"], record["audit_pk"], record["updated_at"]) == (
            status,
            audit_pk(status, "f"),
            clock.now,
        ), step
        # The index must list the file under its current status and no other.
        listed = {s: _in_index(dynamodb, table, audit_pk(s, "f")) for s in ("IN_PROGRESS", "FAILED", "COMPLETED")}
        assert listed == {s: (["f"] if s == status else []) for s in listed}, step


def _iam(calls: Counter[str]) -> set[str]:
    return {f"dynamodb:{operation}" for operation in calls}


def test_writers_use_only_the_actions_the_module_grants(ledger: Ledger, api_calls: Counter[str]) -> None:
    for file_id in ("a", "b", "c"):
        claim = ledger.claim(file_id)
        assert claim is not None
        ledger.heartbeat(claim)
        if file_id == "b":
            ledger.fail(claim, "boom")
        else:
            ledger.complete(claim, rows=1)
    ledger.get("a")
    ledger.unprocessed(["a", "b", "c", "d"])
    assert _iam(api_calls) <= WRITER_ACTIONS
    assert {"DeleteItem", "PutItem", "Scan"}.isdisjoint(api_calls)


def test_readers_use_only_the_actions_the_module_grants(ledger: Ledger, api_calls: Counter[str]) -> None:
    ledger.get("a")
    ledger.unprocessed(["a", "b"])
    assert _iam(api_calls) <= READER_ACTIONS


def test_a_table_with_another_hash_key_name(dynamodb: Any, clock: Any) -> None:
    # The module lets users name the key; the ledger must use that name everywhere, reads included.
    dynamodb.create_table(**table_definition("keyed-ledger", hash_key="object_key"))
    ledger = Ledger("keyed-ledger", client=dynamodb, hash_key="object_key", clock=clock)
    claim = ledger.claim("a")
    assert claim is not None
    ledger.complete(claim)
    assert ledger.get("a")["object_key"] == "a"  # type: ignore[index]
    assert ledger.unprocessed(["a", "b"]) == ["b"]
    assert ledger.claim("a") is None
