"""Turning "the table is not what the ledger expects" into an error that names the table and the fix.

DynamoDB answers a request for a missing table with ResourceNotFoundException and a request whose key
does not fit the table with a ValidationException ("The provided key element does not match the
schema", "Type mismatch for key"), as it answers a write that gives an index key another type than the
index's ("Type mismatch for Index Key") or a longer value than an index key holds. None names the table.
Only after such a failure, DescribeTable says which it is; the request itself failed, so nothing was
written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from botocore.exceptions import ClientError

from .errors import LedgerError, TableMismatch, TableNotFound
from .schema import ATTRIBUTE_TYPES, HASH_KEY_TYPE, TTL_ATTRIBUTE_TYPE
from .validation import INDEX_KEY_BYTES, TEXT_BYTES


def not_found(client: Any, table_name: str) -> TableNotFound:
    region = client.meta.region_name
    return TableNotFound(
        f"table {table_name!r} not found in region {region}: check the table name (the module's "
        "table_name output), the region and the account your credentials belong to"
    )


def key_problem(description: Mapping[str, Any], hash_key: str) -> str | None:
    """What makes a described table unusable as a ledger keyed by `hash_key`, or None."""
    keys = {k["KeyType"]: k["AttributeName"] for k in description.get("KeySchema", [])}
    types = {a["AttributeName"]: a["AttributeType"] for a in description.get("AttributeDefinitions", [])}
    actual = keys.get("HASH")
    if "RANGE" in keys:
        return (
            f"has the sort key {keys['RANGE']!r}; the ledger needs a table keyed by a String hash key alone, "
            "as the dynemoDB module creates it"
        )
    if actual is not None and types.get(actual) != HASH_KEY_TYPE:
        return (
            f"has the hash key {actual!r} of type {types.get(actual)}; the ledger's file ids are strings, so "
            'it needs a String (S) hash key: create the table with hash_key_type = "S"'
        )
    if actual != hash_key:
        return (
            f"is keyed by {actual!r}, not {hash_key!r}: if it is the ledger table, pass "
            f"hash_key={actual!r} (the module's hash_key output)"
        )
    return None


def _index_keys(description: Mapping[str, Any]) -> Iterator[tuple[Any, str, str]]:
    """(index name, attribute, key type) of every key of a described table's indexes."""
    for index in [*description.get("GlobalSecondaryIndexes", []), *description.get("LocalSecondaryIndexes", [])]:
        for key in index.get("KeySchema", []):
            yield index.get("IndexName"), key["AttributeName"], key["KeyType"]


def index_problem(description: Mapping[str, Any], ttl_attribute: str | None) -> str | None:
    """An index keyed on an attribute the ledger writes, with another type than the ledger writes it with."""
    written = {**ATTRIBUTE_TYPES, **({ttl_attribute: TTL_ATTRIBUTE_TYPE} if ttl_attribute else {})}
    types = {a["AttributeName"]: a["AttributeType"] for a in description.get("AttributeDefinitions", [])}
    for index, name, _ in _index_keys(description):
        if name in written and types.get(name, written[name]) != written[name]:
            return (
                f"has the index {index!r} keyed by {name!r} as {types[name]}, but the ledger writes {name!r} as "
                f"{written[name]}, so DynamoDB refuses its writes (Type mismatch for Index Key): key the index on an "
                f"attribute of your own, or on {name!r} as {written[name]}"
            )
    return None


# DynamoDB's answers to a key value over its size. The ledger checks its own key's size before any request,
# so on a ledger write they mean an index key.
_KEY_TOO_LONG = ("Size of hashkey has exceeded", "Aggregated size of all range keys has exceeded")


def index_size_problem(description: Mapping[str, Any], message: str) -> str | None:
    """An index keyed on free text the ledger writes, after DynamoDB refused a key value as too long."""
    if not any(text in message for text in _KEY_TOO_LONG):
        return None
    for index, name, key_type in _index_keys(description):
        if name in TEXT_BYTES:
            return (
                f"has the index {index!r} keyed by {name!r}, free text the ledger writes with up to "
                f"{TEXT_BYTES[name]} bytes, and DynamoDB refuses an index key value over "
                f"{INDEX_KEY_BYTES.get(key_type, 0)} bytes there: key the index on an attribute of your own (for "
                "example a hash of the text)"
            )
    return None


def explain(
    client: Any, table_name: str, hash_key: str, error: ClientError, ttl_attribute: str | None = None
) -> LedgerError | None:
    """The ledger error that explains `error`, or None when the table's shape does not explain it."""
    code = error.response.get("Error", {}).get("Code")
    if code == "ResourceNotFoundException":
        return not_found(client, table_name)
    if code != "ValidationException":
        return None
    try:
        description = client.describe_table(TableName=table_name)["Table"]
    except ClientError:
        return None  # no DescribeTable permission, or the table is gone: the original error stands
    message = str(error.response.get("Error", {}).get("Message", ""))
    problem = (
        key_problem(description, hash_key)
        or index_problem(description, ttl_attribute)
        or index_size_problem(description, message)
    )
    return None if problem is None else TableMismatch(f"table {table_name!r} {problem}")
