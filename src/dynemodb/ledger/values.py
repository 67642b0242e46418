"""Conversion between Python values and DynamoDB attribute values."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, DecimalException
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

from . import storable

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

SECONDS_PER_DAY = 86400


def number(seconds: float) -> dict[str, str]:
    """An epoch time as a DynamoDB Number, to the millisecond.

    Milliseconds keep short test leases meaningful without writing float noise like 0.30000000000000004.
    """
    text = f"{seconds:.3f}".rstrip("0").rstrip(".")
    return {"N": text or "0"}


def ttl_number(seconds: float) -> dict[str, str]:
    """A TTL value: whole epoch seconds, rounded up so a record never expires before its retention."""
    return {"N": str(math.ceil(seconds))}


def string(value: str) -> dict[str, str]:
    return {"S": value}


def to_python(item: Mapping[str, Any]) -> dict[str, Any]:
    """A raw DynamoDB item as plain Python: Numbers become int when whole, else float."""
    return {name: _plain(_deserializer.deserialize(value)) for name, value in item.items()}


def to_attribute(name: str, value: Any) -> dict[str, Any]:
    """A metadata value as an attribute value, or ValueError naming what DynamoDB cannot store.

    moto stores some of what DynamoDB refuses (a 39-digit number, say), so these checks are ours: a
    refusal from DynamoDB would come only after the file was loaded, from complete().
    """
    storable.map_key(name, "metadata")  # the metadata is one map attribute, and its names are that map's keys
    path = f"metadata {name!r}"
    try:
        attribute: dict[str, Any] = _serializer.serialize(storable.value(value, path, level=storable.METADATA_LEVEL))
        return attribute
    except TypeError as exc:
        # boto3's own refusals (mixed-type sets, say) read as type errors; ours already name the path.
        raise ValueError(f"{path} cannot be stored in DynamoDB ({exc}); {storable.ACCEPTED}") from None
    except DecimalException:
        # DynamoDB takes 38 digits down to 1E-130, but boto3 sends a number only as exactly as its decimal
        # context holds it (at most 38 digits, none past 1E-165), and refuses to round.
        raise ValueError(
            f"{path} has more digits than boto3 can send at its magnitude (none past 1E-165): round it, or "
            "store it as a string"
        ) from None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    if isinstance(value, Binary):
        # boto3 wraps binary values; callers want the bytes they stored.
        return bytes(value.value)
    return value
