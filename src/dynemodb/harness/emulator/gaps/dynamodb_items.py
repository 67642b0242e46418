"""Item values the ledger client (or any caller) can send that moto 5.2.5 stores and DynamoDB refuses."""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from moto.dynamodb.exceptions import (
    HashKeyTooLong,
    MockValidationException,
    RangeKeyTooLong,
    TransactionCanceledException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"
LARGEST = Decimal("9.9999999999999999999999999999999999999E+125")
SMALLEST = Decimal("1E-130")
MAX_DIGITS = 38
MAX_PARTITION_KEY_BYTES = 2048
MAX_SORT_KEY_BYTES = 1024

GAPS = (
    Gap(
        "number-precision-and-range",
        "differs",
        "dynamodb:PutItem/UpdateItem/... (any N value)",
        "a number has at most 38 significant digits and a magnitude from 1E-130 to "
        "9.9999999999999999999999999999999999999E+125; moto stores 39 digits and 1E+126 (it refuses only "
        "underflow in PutItem).",
        f"{GUIDE}/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number",
    ),
    Gap(
        "empty-sets",
        "differs",
        "dynamodb:UpdateItem (ExpressionAttributeValues) and every other value",
        "a string, number or binary set may not be empty; moto refuses it in PutItem but stores an empty "
        "string set given as an UpdateItem value.",
        f"{GUIDE}/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes ('empty sets are not supported')",
    ),
    Gap(
        "set-members-distinct",
        "differs",
        "dynamodb:PutItem/UpdateItem/BatchWriteItem/TransactWriteItems/... (any SS, NS or BS value)",
        "each member of a set is unique: DynamoDB refuses a set that names one twice (numbers by value, so 1 "
        "and 1.0 are one member; binaries by their bytes), also nested in a map or list, with ValidationException "
        "'... Input collection [a, a] contains duplicates.' (as an ExpressionAttributeValues value: 'contains "
        "invalid value: ... for key :v'), and writes nothing. moto stores the set as given.",
        f"{GUIDE}/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes ('Each value within a set "
        "must be unique'); AWS's wording as dynalite's tests, written against DynamoDB, hold it (PutItem: the SS, "
        "NS and BS messages), and as reported in dynamoose/dynamoose#79 (an ExpressionAttributeValues number "
        "set), truora/minidyn#50 and ExtendDB/extenddb#100 (NS and BS)",
    ),
    Gap(
        "nesting-depth-32",
        "differs",
        "dynamodb:PutItem/BatchWriteItem/TransactWriteItems (an item's values), UpdateItem (ExpressionAttributeValues)",
        "a document is at most 32 levels deep, the attribute itself level 1 (31 maps or lists around a scalar): "
        "ValidationException 'Nesting Levels have exceeded supported limits: Attributes in the item have nested "
        "levels beyond supported limit', and nothing is written. moto stores any depth.",
        f"{GUIDE}/Constraints.html#limits-attributes (nested attribute depth: 32 levels); AWS's answers as "
        "captured against eu-west-2 and us-east-1 in a public DynamoDB conformance suite (31 wraps accepted, 32 "
        "refused, the same for an UpdateItem value; a transaction's values are not checked, so no fill there)",
    ),
    Gap(
        "key-size-on-reads",
        "differs",
        "dynamodb:GetItem/BatchGetItem/DeleteItem/Query",
        "a partition key is at most 2048 bytes and a sort key 1024 in every request that names a key; moto "
        "checks only writes and answers a read of an impossible key with nothing.",
        f"{GUIDE}/ServiceQuotas.html#limits-partition-sort-keys",
    ),
    Gap(
        "key-type-on-reads",
        "differs",
        "dynamodb:GetItem/BatchGetItem/DeleteItem",
        "a key attribute must have the type the table's AttributeDefinitions give it; DynamoDB answers "
        "ValidationException 'The provided key element does not match the schema', moto answers a GetItem "
        "or BatchGetItem of an N key on an S table with nothing.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html (Key: all of the "
        "primary key's attributes, as defined); AWS's answer to a key of the wrong type as reported in "
        "https://deverrors.com/errors/dynamodb-validationexception-the-provided-key-element-does-not-match",
    ),
    Gap(
        "index-key-types-on-writes",
        "differs",
        "dynamodb:PutItem/UpdateItem/BatchWriteItem/TransactWriteItems",
        "an item that gives an index's key attribute another type than the index's AttributeDefinitions is "
        "refused with ValidationException 'Type mismatch for Index Key <name> Expected: <type> Actual: "
        "<type> IndexName: <index>' (in TransactWriteItems: TransactionCanceledException, reason "
        "ValidationError), and nothing is written; moto stores it (it refuses only a NULL PutItem value, and "
        "an UpdateItem SET of a literal attribute name: CHECKED), so `SET #st = :v`, the ledger's form, passed.",
        f"{GUIDE}/GSI.OnlineOps.ViolationDetection.html (a type mismatch with the index key schema is an "
        "index key violation); AWS's answers as captured in paritysuite/dynamodb-conformance#46 and reported "
        "in typedorm/typedorm#353",
    ),
    Gap(
        "index-key-values-on-updates",
        "differs",
        "dynamodb:UpdateItem/TransactWriteItems (Update)",
        "an UpdateItem that leaves an index key an empty string or binary is refused with ValidationException "
        "'The update expression attempted to update a secondary index key to a value that is not supported. ...', "
        "and one that leaves an index partition key over 2048 bytes or sort key over 1024 with the key-size "
        "answer PutItem gets; in TransactWriteItems both are a top-level ValidationException, and nothing is "
        "written. moto refuses these in PutItem (CHECKED) and an empty value SET to a literal attribute name, "
        "but not `SET #g = :v`, and no size at all.",
        f"{GUIDE}/ServiceQuotas.html#limits-partition-sort-keys (key value sizes, secondary indexes included) and "
        f"{GUIDE}/HowItWorks.NamingRulesDataTypes.html (empty String and Binary values are not allowed for "
        "index keys); AWS's answers as captured in paritysuite/dynamodb-conformance's TransactWriteItems index "
        "key messages (eu-west-2; the alphabetically first index is named) and, for an index partition key "
        "over 2048 bytes, reported in actingweb/actingweb's property lookup plan (2026-01-14)",
    ),
)


def _values(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (type, value) pair in a tree of DynamoDB AttributeValues, nested maps and lists included."""
    if isinstance(node, dict):
        if len(node) == 1:
            ((kind, value),) = node.items()
            if kind in {"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"}:
                yield kind, value
                if kind == "M":
                    for inner in value.values():
                        yield from _values(inner)
                elif kind == "L":
                    for inner in value:
                        yield from _values(inner)
                return
        for inner in node.values():
            yield from _values(inner)
    elif isinstance(node, list):
        for inner in node:
            yield from _values(inner)


def _check_number(text: str) -> None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return  # moto already refuses what is not a number
    if not number.is_finite() or number == 0:
        return
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    if len(digits) > MAX_DIGITS:
        raise MockValidationException("Attempting to store more than 38 significant digits in a Number")
    if number.copy_abs() > LARGEST:  # copy_abs: abs() would round to 28 digits, and the largest to 1E+126
        raise MockValidationException(
            "Number overflow. Attempting to store a number with magnitude larger than supported range"
        )
    if number.copy_abs() < SMALLEST:
        raise MockValidationException(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        )


_SET_NAMES = {"SS": "string", "NS": "number", "BS": "binary"}


def _text(member: Any) -> str:
    # moto's handler holds a binary as the bytes of its base64 text
    return member.decode("ascii", "replace") if isinstance(member, bytes) else str(member)


def _member(kind: str, member: Any) -> Any:
    """A set member as DynamoDB compares it: a number by its value, a binary by its bytes."""
    try:
        if kind == "NS":
            return Decimal(_text(member))
        if kind == "BS":
            return base64.b64decode(_text(member))
    except (InvalidOperation, ValueError):
        pass  # moto's own answer to what is not a number
    return member


def _duplicates(kind: str, members: list[Any]) -> str | None:
    """AWS's message for a set that names a member twice, else None."""
    seen = [_member(kind, m) for m in members]
    try:
        if len(set(seen)) == len(seen):
            return None
    except TypeError:
        return None  # a member that is no string or number: moto's own answer
    if kind == "NS":
        return "Input collection contains duplicates"
    listed = ", ".join(_text(m) for m in members)
    return f"One or more parameter values were invalid: Input collection [{listed}]" + (
        "of type BS contains duplicates." if kind == "BS" else " contains duplicates."
    )


def _expression_values(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield body.get("ExpressionAttributeValues") or {}
    for action in body.get("TransactItems") or []:
        for request in action.values() if isinstance(action, dict) else ():
            if isinstance(request, dict):
                yield request.get("ExpressionAttributeValues") or {}


def _check_expression_sets(body: dict[str, Any]) -> None:
    """Duplicate set members in an ExpressionAttributeValues value, which AWS names by its placeholder."""
    for values in _expression_values(body):
        for placeholder, value in values.items() if isinstance(values, dict) else ():
            for kind, members in _values(value):
                if kind in _SET_NAMES and isinstance(members, list) and (problem := _duplicates(kind, members)):
                    raise MockValidationException(
                        f"ExpressionAttributeValues contains invalid value: {problem} for key {placeholder}"
                    )


MAX_LEVELS = 32
TOO_DEEP = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
)


def _levels(value: Any) -> int:
    """How deep an attribute value goes, itself level 1: a map or list is one level over its deepest member."""
    if not isinstance(value, dict) or len(value) != 1:
        return 1
    ((kind, inner),) = value.items()
    if kind == "M" and isinstance(inner, dict):
        members = list(inner.values())
    elif kind == "L" and isinstance(inner, list):
        members = inner
    else:
        return 1
    return 1 + max((_levels(m) for m in members), default=0)


def _documents(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The attribute maps of a request whose depth DynamoDB checks: the items it writes, and UpdateItem's values."""
    yield body.get("Item") or {}
    if "UpdateExpression" in body:
        yield body.get("ExpressionAttributeValues") or {}
    for writes in (body.get("RequestItems") or {}).values():
        for write in writes if isinstance(writes, list) else ():
            yield ((write or {}).get("PutRequest") or {}).get("Item") or {}
    for action in body.get("TransactItems") or []:
        yield ((action or {}).get("Put") or {}).get("Item") or {}


def _check_depth(body: dict[str, Any]) -> None:
    for attributes in _documents(body):
        if isinstance(attributes, dict) and any(_levels(v) > MAX_LEVELS for v in attributes.values()):
            raise MockValidationException(TOO_DEEP)


def _check_values(body: dict[str, Any]) -> None:
    _check_depth(body)
    _check_expression_sets(body)
    for kind, value in _values({k: v for k, v in body.items() if k not in {"TableName", "IndexName"}}):
        if kind in _SET_NAMES and isinstance(value, list) and (problem := _duplicates(kind, value)):
            raise MockValidationException(problem)
        if kind in _SET_NAMES and not value:
            raise MockValidationException(
                f"One or more parameter values were invalid: An {_SET_NAMES[kind]} set  may not be empty"
            )
        if kind == "N":
            _check_number(str(value))
        elif kind == "NS":
            for member in value:
                _check_number(str(member))


def _size(value: dict[str, Any]) -> int:
    if "S" in value:
        return len(str(value["S"]).encode())
    if "B" in value:
        raw = value["B"]
        return len(base64.b64decode(raw)) if isinstance(raw, str) else len(raw)
    return 0


def _check_key(handler: DynamoHandler, table_name: str, key: dict[str, Any]) -> None:
    table = handler.dynamodb_backend.get_table(table_name)
    for name, wanted in ((table.hash_key_attr, table.hash_key_type), (table.range_key_attr, table.range_key_type)):
        value = key.get(name) if name else None
        if isinstance(value, dict) and wanted and set(value) != {wanted}:
            raise MockValidationException("The provided key element does not match the schema")
    if table.hash_key_attr in key and _size(key[table.hash_key_attr]) > MAX_PARTITION_KEY_BYTES:
        raise HashKeyTooLong
    if table.range_key_attr and table.range_key_attr in key and _size(key[table.range_key_attr]) > MAX_SORT_KEY_BYTES:
        raise RangeKeyTooLong


def _keys(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    if "Key" in body:
        yield body["TableName"], body["Key"]
    for table_name, request in (body.get("RequestItems") or {}).items():
        if isinstance(request, dict):
            for key in request.get("Keys") or []:
                yield table_name, key


def _check(handler: DynamoHandler) -> None:
    body = handler.body if isinstance(handler.body, dict) else {}
    _check_values(body)
    for table_name, key in _keys(body):
        _check_key(handler, table_name, key)


def _index_keys(table: Table) -> Iterator[tuple[str, str, str]]:
    """(index, attribute, key type) of every index key, indexes in name order: AWS names the first it finds
    at fault, and that is the alphabetically first."""
    for index in sorted([*table.global_indexes, *table.indexes], key=lambda i: str(i.name)):
        for key in index.schema:
            yield str(index.name), key["AttributeName"], key["KeyType"]


def _index_key_mismatch(table: Table, types: dict[str, str]) -> str | None:
    """AWS's message for the first index key of ``table`` that ``types`` (attribute -> type) gets wrong."""
    defined = {a["AttributeName"]: a["AttributeType"] for a in table.attr}
    for index, name, _ in _index_keys(table):
        if name in types and name in defined and types[name] != defined[name]:
            return (
                f"One or more parameter values were invalid: Type mismatch for Index Key {name} "
                f"Expected: {defined[name]} Actual: {types[name]} IndexName: {index}"
            )
    return None


def _unsupported_index_value(table: Table, values: dict[str, dict[str, Any]]) -> str | None:
    """AWS's UpdateItem message for an index key an update left empty or over its size, else None."""
    for _, name, key_type in _index_keys(table):
        value = values.get(name) or {}
        kind = next((k for k in ("S", "B") if k in value), None)
        if kind is not None and _size(value) == 0:
            return (
                "One or more parameter values are not valid. The update expression attempted to update a secondary "
                "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
                f"an empty {'string' if kind == 'S' else 'binary'} value."
            )
        if key_type == "HASH" and _size(value) > MAX_PARTITION_KEY_BYTES:
            return HashKeyTooLong.key_too_large_msg
        if key_type == "RANGE" and _size(value) > MAX_SORT_KEY_BYTES:
            return RangeKeyTooLong.key_too_large_msg
    return None


class IndexKeyMismatch(MockValidationException):
    """AWS's refusal of an item with a mistyped index key, and which item it was (for a transaction's reasons)."""

    def __init__(self, message: str, table: str, key: dict[str, Any]) -> None:
        super().__init__(message)
        self.target = (table, key)


def _types(item: dict[str, Any]) -> dict[str, str]:
    return {name: next(iter(value)) for name, value in item.items() if isinstance(value, dict) and len(value) == 1}


def _typed_put(action: Callable[..., Any]) -> Callable[..., Any]:
    """Table.put_item (PutItem, BatchWriteItem, a transaction's Put) refusing a mistyped index key."""

    def fill(self: Table, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if problem := _index_key_mismatch(self, _types(item_attrs)):
            keys = [k for k in (self.hash_key_attr, self.range_key_attr) if k]
            raise IndexKeyMismatch(problem, self.name, {k: item_attrs.get(k) for k in keys})
        return action(self, item_attrs, *args, **kwargs)

    return fill


def _typed_update(action: Callable[..., Any]) -> Callable[..., Any]:
    """The backend's update_item (UpdateItem, a transaction's Update) refusing an item it left with a mistyped,
    empty or oversized index key. moto checks a SET of a literal attribute name only (not `SET #name = :v`, nor
    a function's result; no size at all) and changes the stored item in place, so the item and its stream are
    put back."""

    def fill(self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        table = self.get_table(table_name)
        if table.hash_key_attr not in key or (table.range_key_attr and table.range_key_attr not in key):
            return action(self, table_name, key, *args, **kwargs)  # moto's own answer to an incomplete key
        hash_value, range_value = self.get_keys_value(table, key)
        before = copy.deepcopy(table.get_item(hash_value, range_value))
        records = len(table.stream_shard.items) if table.stream_shard is not None else 0
        item = action(self, table_name, key, *args, **kwargs)
        mismatch = _index_key_mismatch(table, {name: value.type for name, value in item.attrs.items()})
        unsupported = _unsupported_index_value(table, {name: value.to_json() for name, value in item.attrs.items()})
        if mismatch or unsupported:
            stored: dict[Any, Any] = table.items if range_value is None else table.items[hash_value]
            position = hash_value if range_value is None else range_value
            if before is None:
                stored.pop(position, None)
            else:
                stored[position] = before
            if table.stream_shard is not None:
                del table.stream_shard.items[records:]
            # A transaction cancels on a mistyped key, but refuses an empty or oversized one before it runs.
            if mismatch:
                raise IndexKeyMismatch(mismatch, table_name, key)
            raise MockValidationException(str(unsupported))
        return item

    return fill


def _typed_transaction(action: Callable[..., Any]) -> Callable[..., Any]:
    """TransactWriteItems: DynamoDB finds a mistyped index key while the transaction runs, so it cancels the
    transaction with a ValidationError reason for that item, not a top-level ValidationException (moto has
    rolled the tables back before the refusal reaches here)."""

    def fill(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> Any:
        try:
            return action(self, transact_items)
        except IndexKeyMismatch as refused:
            table, key = refused.target
            reasons: list[tuple[Any, Any, Any]] = []
            for entry in transact_items:
                op: dict[str, Any] = next(iter(entry.values()), {})
                target = op.get("Key") or {k: (op.get("Item") or {}).get(k) for k in key}
                hit = (op.get("TableName"), target) == (table, key)
                reasons.append(("ValidationError", refused.exception_msg, None) if hit else (None, None, None))
            raise TransactionCanceledException(reasons) from refused

    return fill


ITEM_CALLS = (
    "put_item",
    "update_item",
    "get_item",
    "delete_item",
    "batch_get_item",
    "batch_write_item",
    "query",
    "scan",
    "transact_get_items",
    "transact_write_items",
)
_moto = {name: getattr(DynamoHandler, name) for name in ITEM_CALLS}


def install() -> None:
    for name, action in _moto.items():
        setattr(DynamoHandler, name, checked_first(_check, action))
    Table.put_item = _typed_put(Table.put_item)  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _typed_update(DynamoDBBackend.update_item)  # type: ignore[method-assign]
    DynamoDBBackend.transact_write_items = _typed_transaction(DynamoDBBackend.transact_write_items)  # type: ignore[method-assign]
