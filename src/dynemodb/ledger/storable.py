"""What DynamoDB can store, checked before the request: a ValueError that names the value and the fix.

Limits, from the DynamoDB Developer Guide ("Supported data types and naming rules", "Quotas in Amazon
DynamoDB"):
- Numbers: up to 38 significant digits; magnitude 1E-130 to 9.9999999999999999999999999999999999999E+125,
  or zero. NaN and infinities do not exist.
- Sets (string, number, binary) cannot be empty, and hold one type. Empty strings and binaries are fine
  anywhere but in keys (since 2020), so they are not refused here.
- Attribute names, map keys included, are at least one character and less than 64 KB.
- Strings are UTF-8: a lone surrogate (from text decoded with surrogateescape) has no UTF-8 form.
- Nesting: 32 levels, the item's top-level attribute being level 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .validation import utf8_size

MAX_DIGITS = 38
MIN_EXPONENT = -130  # 1E-130, the smallest magnitude
MAX_EXPONENT = 125  # 9.99...E+125, the largest
MAX_LEVELS = 32
# complete() stores metadata inside the `metadata` map: that map is level 1, its values level 2.
METADATA_LEVEL = 2
MAX_NAME_BYTES = 65535  # "less than 64 KB"

ACCEPTED = "pass str, int, float, Decimal, bool, None, bytes, non-empty sets of one of those, or lists/dicts of them"


def number(value: int | float | Decimal, path: str) -> Decimal:
    """`value` as the Decimal DynamoDB will store, or ValueError saying why it cannot."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path} is {value}, not a finite number; DynamoDB has no NaN or infinity")
        # repr() is the shortest text that round-trips: what the caller sees, not binary noise.
        value = Decimal(repr(value))
    elif isinstance(value, int):
        value = Decimal(value)
    elif not value.is_finite():
        raise ValueError(f"{path} is {value}, not a finite number; DynamoDB has no NaN or infinity")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    significant = "".join(map(str, digits)).strip("0")
    if not significant:
        return Decimal(0)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if len(significant) > MAX_DIGITS:
        raise ValueError(
            f"{path} has {len(significant)} significant digits; DynamoDB keeps at most {MAX_DIGITS}: "
            "round it, or store it as a string"
        )
    # The stripped form: boto3's serializer refuses trailing zeros beyond 38 digits (10**40) as rounding.
    normal = Decimal((sign, tuple(int(d) for d in significant), exponent + trailing))
    if not MIN_EXPONENT <= normal.adjusted() <= MAX_EXPONENT:
        raise ValueError(
            f"{path} is {value:.3E} in magnitude; DynamoDB numbers lie between 1E-130 and "
            "9.9999999999999999999999999999999999999E+125 (or are 0): scale it, or store it as a string"
        )
    return normal


def value(item: Any, path: str, *, level: int) -> Any:
    """`item` in the form boto3's TypeSerializer turns into attribute values, checked against DynamoDB."""
    if level > MAX_LEVELS:
        raise ValueError(
            f"{path} is nested {level} levels deep; DynamoDB stores at most {MAX_LEVELS} "
            "(the ledger's metadata map is the first): flatten it, or store it as JSON text"
        )
    if isinstance(item, str):
        utf8_size(item, path)
        return item
    if item is None or isinstance(item, bool | bytes | bytearray):
        return bytes(item) if isinstance(item, bytearray) else item
    if isinstance(item, int | float | Decimal):
        return number(item, path)
    if isinstance(item, Mapping):
        checked = {}
        for key, member in item.items():
            map_key(key, path)
            checked[key] = value(member, f"{path}[{key!r}]", level=level + 1)
        return checked
    if isinstance(item, list | tuple):
        return [value(member, f"{path}[{i}]", level=level + 1) for i, member in enumerate(item)]
    if isinstance(item, set | frozenset):
        return _set(item, path)
    raise ValueError(f"{path} is a {type(item).__name__}, which DynamoDB cannot store; {ACCEPTED}")


def map_key(key: Any, path: str) -> None:
    """ValueError unless `key` can name a member of the map at `path`."""
    if not isinstance(key, str) or not key:
        raise ValueError(f"{path} has the key {key!r}; DynamoDB map keys are non-empty strings: rename it")
    size = utf8_size(key, f"a key of {path}")
    if size > MAX_NAME_BYTES:
        raise ValueError(
            f"{path} has a key of {size:,} bytes ({key[:20]!r}...); DynamoDB names are less than 64 KB: "
            "use a short key and put the text in its value"
        )


def _set(members: set[Any] | frozenset[Any], path: str) -> set[Any]:
    if not members:
        raise ValueError(f"{path} is an empty set; DynamoDB cannot store empty sets: pass a list ([]) or leave it out")
    kinds = {_set_kind(m) for m in members}
    if len(kinds) != 1 or None in kinds:
        names = sorted({type(m).__name__ for m in members})
        raise ValueError(
            f"{path} is a set of {', '.join(names)}; a DynamoDB set holds only strings, only numbers or "
            "only bytes: pass a list instead"
        )
    if kinds == {"number"}:
        return {number(m, f"{path} member {m!r}") for m in members}
    for member in members:
        if isinstance(member, str):
            utf8_size(member, f"{path} member {member!r}")
    return {bytes(m) if isinstance(m, bytearray) else m for m in members}


def _set_kind(member: Any) -> str | None:
    if isinstance(member, str):
        return "string"
    if isinstance(member, bytes | bytearray):
        return "binary"
    if isinstance(member, int | float | Decimal) and not isinstance(member, bool):
        return "number"
    return None
