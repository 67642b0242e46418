"""The item size limit, counted as DynamoDB counts it: moto 5.2.5 counts otherwise and stops earlier."""

from __future__ import annotations

import base64
import math
from typing import Any

from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict

from dynemodb.harness.emulator.gaps.registry import Gap

GUIDE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide"
MAX_ITEM_BYTES = 400 * 1024

GAPS = (
    Gap(
        "item-size-as-dynamodb-counts",
        "differs",
        "dynamodb:PutItem/UpdateItem/BatchWriteItem/TransactWriteItems",
        "an item may be 400 KB (409,600 bytes) counted by DynamoDB's rules: names and strings by UTF-8 bytes, a "
        "number 1 byte per two significant digits plus 1, a list or map 3 bytes plus 1 per element. moto stops "
        "at 405,000 bytes of its own count (a number by its characters, no list or map overhead), so it refuses "
        "items from 405,001 bytes that DynamoDB stores, and stores lists and maps that DynamoDB counts over.",
        f"{GUIDE}/ServiceQuotas.html#limits-items (item size, 400 KB, names included) and "
        f"{GUIDE}/CapacityUnitCalculations.html (how an item's size is counted)",
    ),
)


def _number(text: str) -> int:
    significant = text.lstrip("+-").lower().split("e", 1)[0].replace(".", "").strip("0")
    return math.ceil(len(significant) / 2) + 1


def _size(value: Any) -> int:
    """Bytes of one moto value (a DynamoType, or the raw {type: value} a map holds) by DynamoDB's rules."""
    if not isinstance(value, DynamoType | dict):
        return len(str(value).encode())  # moto's own fallback for what is not an attribute value
    value = value if isinstance(value, DynamoType) else DynamoType(value)
    if value.is_number():
        return _number(str(value.value))
    if value.is_binary():
        raw = value.value
        return len(raw) if isinstance(raw, bytes) else len(base64.b64decode(raw))
    if value.is_set():
        return sum(_size({value.type[0]: member}) + 1 for member in value.value)
    if value.is_list():
        return 3 + sum(_size(member) + 1 for member in value.value)
    if value.is_map():
        return 3 + sum(len(name.encode()) + _size(member) + 1 for name, member in value.value.items())
    if isinstance(value.value, bool):  # BOOL and NULL
        return 1
    return len(str(value.value).encode())


def _setitem(self: LimitedSizeDict, key: str, value: Any) -> None:
    attributes = {**self, key: value}
    if sum(len(name.encode()) + _size(v) for name, v in attributes.items()) > MAX_ITEM_BYTES:
        raise ItemSizeTooLarge
    dict.__setitem__(self, key, value)


def install() -> None:
    LimitedSizeDict.__setitem__ = _setitem  # type: ignore[method-assign]
