"""Metadata DynamoDB cannot store is a ValueError naming it, before any request; what it can store
round-trips. moto stores some values DynamoDB refuses (a 39-digit number), so the refusal is checked
against the client, and the limits against DynamoDB's documented ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from dynemodb.ledger import Claim, Ledger
from dynemodb.ledger.itemsize import MAX_ITEM_BYTES, item_size, value_size


def nested(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"n": value}
    return value


# (what, metadata, message fragment)
REFUSED = [
    ("empty set from an empty file", {"partitions": set()}, "metadata 'partitions' is an empty set"),
    ("empty frozenset", {"tags": frozenset()}, "pass a list ([]) or leave it out"),
    ("empty set inside a map", {"stats": {"nulls": set()}}, "metadata 'stats'['nulls'] is an empty set"),
    ("39 significant digits", {"checksum": 10**38 + 1}, "has 39 significant digits; DynamoDB keeps at most 38"),
    ("39-digit Decimal", {"total": Decimal("1." + "1" * 38)}, "39 significant digits"),
    ("below 1E-130", {"ratio": 1e-131}, "DynamoDB numbers lie between 1E-130"),
    ("above 9.99E+125", {"ratio": 1e126}, "DynamoDB numbers lie between 1E-130"),
    ("negative beyond the range", {"delta": -1e126}, "DynamoDB numbers lie between 1E-130"),
    ("infinity", {"ratio": float("inf")}, "not a finite number"),
    ("Decimal NaN", {"ratio": Decimal("NaN")}, "not a finite number"),
    ("a number in a list beyond the range", {"ratios": [1.0, 1e-200]}, "metadata 'ratios'[1]"),
    ("a number set beyond 38 digits", {"ids": {1, 10**39 + 1}}, "40 significant digits"),
    ("a set mixing types", {"mixed": {"a", 1}}, "a DynamoDB set holds only strings, only numbers or only bytes"),
    ("a set of bools", {"flags": {True}}, "a DynamoDB set holds only"),
    ("empty map key", {"columns": {"": 1}}, "DynamoDB map keys are non-empty strings"),
    ("empty metadata name", {"": 1}, "metadata has the key ''; DynamoDB map keys are non-empty strings"),
    (
        "38 digits just above 1E-130",
        {"ratio": Decimal("1.2345678901234567890123456789012345678E-130")},
        "metadata 'ratio' has more digits than boto3 can send",
    ),
    ("non-string map key", {"columns": {1: "a"}}, "has the key 1"),
    ("nested 32 levels under metadata", {"deep": nested(31)}, "nested 33 levels deep; DynamoDB stores at most 32"),
    ("an object", {"handle": object()}, "metadata 'handle' is a object, which DynamoDB cannot store"),
    ("an item over 400 KB", {"sample": "x" * MAX_ITEM_BYTES}, "DynamoDB's item limit is 409,600 bytes"),
    ("400 KB across many values", {f"c{i}": "y" * 1000 for i in range(410)}, "would make an item of up to"),
]


@pytest.fixture
def claimed(ledger: Ledger) -> Claim:
    claim = ledger.claim("s3://in/a.csv")
    assert claim is not None
    return claim


@pytest.mark.parametrize(("what", "metadata", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_dynamodb_cannot_store_is_refused_before_any_request(
    ledger: Ledger,
    claimed: Claim,
    api_calls: Counter[str],
    stored: Callable[[str], Any],
    what: str,
    metadata: dict[str, Any],
    message: str,
) -> None:
    api_calls.clear()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        ledger.complete(claimed, **metadata)
    assert api_calls == Counter()
    assert stored("s3://in/a.csv")["status"] == "IN_PROGRESS", "the claim is still live: fix it and complete"


# (what, metadata, what reads back)
STORED = [
    ("38 significant digits", {"n": 10**37 + 1}, {"n": 10**37 + 1}),
    ("1 digit and 40 zeros", {"n": 10**40}, {"n": 10**40}),
    ("the smallest magnitude", {"n": Decimal("1E-130")}, {"n": 1e-130}),
    (
        "the largest magnitude",
        {"n": Decimal("9." + "9" * 37 + "E+125")},
        {"n": int(Decimal("9." + "9" * 37 + "E+125"))},
    ),
    ("zero", {"n": 0.0, "m": Decimal("-0")}, {"n": 0, "m": 0}),
    ("a set of strings and one of numbers", {"s": {"a", "b"}, "ns": {1, 2.5}}, {"s": {"a", "b"}, "ns": {1, 2.5}}),
    ("empty strings, lists and maps", {"s": "", "l": [], "m": {}}, {"s": "", "l": [], "m": {}}),
    ("nested 31 levels under metadata", {"deep": nested(30)}, {"deep": nested(30)}),
]


@pytest.mark.parametrize(("what", "metadata", "read_back"), STORED, ids=[s[0] for s in STORED])
def test_what_dynamodb_can_store_round_trips(
    ledger: Ledger, claimed: Claim, what: str, metadata: dict[str, Any], read_back: dict[str, Any]
) -> None:
    ledger.complete(claimed, **metadata)
    record = ledger.get("s3://in/a.csv")
    assert record is not None and record["metadata"] == read_back


def test_metadata_close_to_the_item_limit_is_stored(ledger: Ledger, claimed: Claim) -> None:
    ledger.complete(claimed, sample="x" * (MAX_ITEM_BYTES - 10_000))
    assert ledger.get("s3://in/a.csv")["status"] == "COMPLETED"  # type: ignore[index]


# Sizes by the rules of "DynamoDB item sizes and formats" (CapacityUnitCalculations.html).
SIZES: list[tuple[dict[str, Any], int]] = [
    ({"S": "héllo"}, 6),  # UTF-8 bytes
    ({"N": "123.4500"}, 4),  # 5 significant digits: 3 bytes, plus 1
    ({"N": "-0.00012"}, 2),  # leading and trailing zeros are trimmed
    ({"N": "1E+125"}, 2),
    ({"B": b"\x00\x01\x02"}, 3),  # raw bytes, not base64
    ({"BOOL": True}, 1),
    ({"NULL": True}, 1),
    ({"L": []}, 3),
    ({"M": {}}, 3),
    ({"L": [{"S": "ab"}, {"N": "7"}]}, 3 + (2 + 1) + (2 + 1)),  # 3, plus each element and 1 byte for it
    ({"M": {"ab": {"S": "xyz"}}}, 3 + 2 + 3 + 1),  # a map's keys count like attribute names
    ({"SS": ["a", "bc"]}, (1 + 1) + (2 + 1)),  # no rule given for sets: counted like a list, never less
]


@pytest.mark.parametrize(("value", "size"), SIZES, ids=[f"{next(iter(v))} {v}" for v, _ in SIZES])
def test_value_sizes_follow_dynamodbs_rules(value: dict[str, Any], size: int) -> None:
    assert value_size(value) == size


def test_item_size_counts_attribute_names() -> None:
    assert item_size({"file_id": {"S": "s3://a/b"}, "n": {"N": "10"}}) == (7 + 8) + (1 + 2)
