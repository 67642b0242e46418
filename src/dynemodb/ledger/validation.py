"""Argument checks that turn caller mistakes into a ValueError saying what to pass instead.

Checking here, before any request, keeps mistakes from surfacing as DynamoDB ValidationExceptions
(or worse, as a successful write of a key nobody will ever look up again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .schema import LEDGER_ATTRIBUTES

# DynamoDB's limit for a partition key value.
MAX_KEY_BYTES = 2048


def _is_number(value: Any) -> bool:
    # bool is an int subclass; lease_seconds=True is a bug, not one second.
    return isinstance(value, int | float) and not isinstance(value, bool)


def name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def file_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"file_id must be a non-empty string such as 's3://bucket/key', got {value!r}")
    size = len(value.encode())
    if size > MAX_KEY_BYTES:
        raise ValueError(
            f"file_id is {size} bytes; DynamoDB keys hold at most {MAX_KEY_BYTES}: pass a shorter id "
            "(for example a hash of the path)"
        )
    return value


def file_ids(values: Any) -> list[str]:
    """Validated ids in first-seen order without duplicates."""
    if isinstance(values, str | bytes):
        raise ValueError("file_ids must be a list (or other iterable) of ids, not a single string")
    if not isinstance(values, Iterable):
        raise ValueError(f"file_ids must be an iterable of strings, got {type(values).__name__}")
    return list(dict.fromkeys(file_id(v) for v in values))


def positive_number(value: Any, what: str, example: str) -> float:
    if not _is_number(value) or not value > 0:
        raise ValueError(f"{what} must be a positive number such as {example}, got {value!r}")
    return float(value)


def optional_positive_number(value: Any, what: str, example: str) -> float | None:
    if value is None:
        return None
    return positive_number(value, what, f"{example} (or None)")


def positive_int(value: Any, what: str, example: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{what} must be an integer >= 1 such as {example}, got {value!r}")
    return value


def attribute_name(value: Any, what: str, *, taken: Iterable[str] = ()) -> str:
    name(value, what)
    clashes = LEDGER_ATTRIBUTES | set(taken)
    if value in clashes:
        raise ValueError(
            f"{what} {value!r} collides with an attribute the ledger writes; pick another name "
            f"(the ledger uses {', '.join(sorted(clashes))})"
        )
    return value


def owner(value: Any) -> str | None:
    if value is None:
        return None
    return name(value, "owner")


def error_text(value: Any, limit: int) -> str:
    """The text recorded for a failure; truncated so one stack trace cannot hit the 400 KB item limit."""
    if isinstance(value, BaseException):
        message = str(value)
        text = f"{type(value).__name__}: {message}" if message else type(value).__name__
    elif isinstance(value, str):
        text = value
    else:
        raise ValueError(f"error must be an exception or a string describing it, got {value!r}")
    if not text.strip():
        raise ValueError("error must describe the failure; got an empty message")
    if len(text) > limit:
        marker = "... [truncated]"
        text = text[: limit - len(marker)] + marker
    return text


def callable_(value: Any, what: str, example: str) -> Any:
    if not callable(value):
        raise ValueError(f"{what} must be callable such as {example}, got {value!r}")
    return value
