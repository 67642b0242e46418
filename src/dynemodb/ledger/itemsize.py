"""The size of an item as DynamoDB counts it against its 400 KB item limit.

Rules from the DynamoDB Developer Guide, "DynamoDB item sizes and formats"
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
attribute names and map keys count their UTF-8 bytes; a string its UTF-8 bytes; a number 1 byte per two
significant digits plus 1; a binary its raw bytes; null and boolean 1 byte; a list or map 3 bytes plus
its elements plus 1 byte per element. The guide gives no rule for sets; they are counted like lists here,
which can only overstate them. The limit itself is 400 KB (409,600 bytes) per item, names included
("Quotas in Amazon DynamoDB", Items: Item size).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

MAX_ITEM_BYTES = 400 * 1024


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def _number(text: str) -> int:
    mantissa = text.lstrip("+-").lower().split("e", 1)[0]
    significant = mantissa.replace(".", "").strip("0")
    return math.ceil(len(significant) / 2) + 1


def _binary(value: Any) -> int:
    # boto3 hands bytes to botocore, which base64-encodes them on the wire; DynamoDB counts raw bytes.
    return len(value.value if hasattr(value, "value") else value)


def value_size(attribute: Mapping[str, Any]) -> int:
    """Bytes of one attribute value in wire form ({"S": ...}, {"M": {...}}, ...), its name excluded."""
    ((kind, payload),) = attribute.items()
    if kind == "S":
        return _utf8(payload)
    if kind == "N":
        return _number(payload)
    if kind == "B":
        return _binary(payload)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(_utf8(name) + value_size(member) + 1 for name, member in payload.items())
    if kind == "L":
        return 3 + sum(value_size(member) + 1 for member in payload)
    if kind == "SS":
        return sum(_utf8(member) + 1 for member in payload)
    if kind == "NS":
        return sum(_number(member) + 1 for member in payload)
    if kind == "BS":
        return sum(_binary(member) + 1 for member in payload)
    raise ValueError(f"unknown DynamoDB attribute type {kind!r}")


def item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """Bytes of a whole item in wire form: every attribute name plus its value."""
    return sum(_utf8(name) + value_size(attribute) for name, attribute in item.items())
