"""Argument checks that turn caller mistakes into a ValueError saying what to pass instead.

Checking here, before any request, keeps mistakes from surfacing as DynamoDB ValidationExceptions
(or worse, as a successful write of a key nobody will ever look up again).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .schema import LAST_ERROR, LEDGER_ATTRIBUTES, OWNER, REOPEN_REASON, REOPENED_BY

# DynamoDB's limit for a partition key value ("Quotas in Amazon DynamoDB": partition key length).
MAX_KEY_BYTES = 2048
# Upper bounds that keep every time the ledger writes a number DynamoDB stores, a date every tool can
# print (before year 9999), and a value that means something. A lease longer than Glue's longest job
# timeout (7 days, AWS Glue API: Job.Timeout) would only delay the takeover after a crash; retention
# beyond a century is no retention.
MAX_LEASE_SECONDS = 7 * 86400
MAX_RETENTION_DAYS = 36500
MAX_ATTEMPTS = 1000
# Free text the ledger stores on every record it touches, in UTF-8 bytes, as DynamoDB sizes keys and items;
# bounded so the ledger's own attributes leave the 400 KB item limit to the caller's metadata.
MAX_OWNER_BYTES = 1024
MAX_REASON_BYTES = 1000
MAX_BY_BYTES = 256
MAX_ERROR_BYTES = 4000
# The free text the ledger writes, by attribute, and the most bytes it writes there. An index key holds at
# most INDEX_KEY_BYTES: an index keyed on text that may be longer refuses writes.
TEXT_BYTES = {
    OWNER: MAX_OWNER_BYTES,
    LAST_ERROR: MAX_ERROR_BYTES,
    REOPEN_REASON: MAX_REASON_BYTES,
    REOPENED_BY: MAX_BY_BYTES,
}
# DynamoDB's limits for a key value, partition and sort key, also an index's (the same Quotas page).
INDEX_KEY_BYTES = {"HASH": MAX_KEY_BYTES, "RANGE": 1024}
# "Supported data types and naming rules": a table name is 3 to 255 of these characters; the API's
# TableName also takes the table's ARN (API Reference, UpdateItem: TableName, 1 to 1024 characters).
TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
TABLE_ARN = re.compile(r"arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]{3,255}")
# A clock that returns seconds since boot (time.monotonic) instead of since the epoch would write leases
# and TTLs in 1970, which every reader takes as expired: no ledger write is dated before this project.
EARLIEST_EPOCH = 946684800  # 2000-01-01T00:00:00Z
# The shortest lease: times are stored to the millisecond, and a lease shorter than a request's round
# trip expires before its claim is returned.
MIN_LEASE_SECONDS = 1


def _is_number(value: Any) -> bool:
    # bool is an int subclass; lease_seconds=True is a bug, not one second.
    return isinstance(value, int | float) and not isinstance(value, bool)


def name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value


def table_name(value: Any) -> str:
    checked = name(value, "table_name")
    if not (TABLE_NAME.fullmatch(checked) or TABLE_ARN.fullmatch(checked)):
        raise ValueError(
            f"table_name must be a DynamoDB table name, 3 to 255 of a-z, A-Z, 0-9, '_', '-' and '.', or the "
            f"table's ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME), got {checked!r}"
        )
    return checked


def file_id(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"file_id must be a non-empty string such as 's3://bucket/key', got {value!r}")
    size = utf8_size(value, "file_id")
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


def positive_number(value: Any, what: str, example: str, *, limit: float, least: float = 0) -> float:
    # inf passes `> 0` and then breaks every write after the load (OverflowError, ValidationException).
    if not _is_number(value) or not math.isfinite(value) or not (0 < value <= limit and value >= least):
        bounds = f"from {least:g} to {limit:g}" if least else f"up to {limit:g}"
        raise ValueError(f"{what} must be a positive number {bounds} such as {example}, got {value!r}")
    return float(value)


def optional_positive_number(value: Any, what: str, example: str, *, limit: float) -> float | None:
    if value is None:
        return None
    return positive_number(value, what, f"{example} (or None)", limit=limit)


def positive_int(value: Any, what: str, example: str, *, limit: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
        raise ValueError(f"{what} must be an integer from 1 to {limit} such as {example}, got {value!r}")
    return value


def attribute_name(value: Any, what: str, *, taken: Iterable[str] = ()) -> str:
    checked = name(value, what)
    clashes = LEDGER_ATTRIBUTES | set(taken)
    if checked in clashes:
        raise ValueError(
            f"{what} {checked!r} collides with an attribute the ledger writes; pick another name "
            f"(the ledger uses {', '.join(sorted(clashes))})"
        )
    return checked


def optional_attribute_name(value: Any, what: str, *, taken: Iterable[str] = ()) -> str | None:
    return None if value is None else attribute_name(value, what, taken=taken)


def bounded_text(value: Any, what: str, limit: int, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string such as {example}, got {value!r}")
    size = utf8_size(value, what)
    if size > limit:
        raise ValueError(f"{what} is {size} bytes in UTF-8 ({len(value)} characters); keep it to {limit} bytes")
    return value


def utf8_size(value: str, what: str) -> int:
    """The bytes DynamoDB counts for a string; ValueError for text that is not valid Unicode (a lone surrogate)."""
    try:
        return len(value.encode("utf-8"))
    except UnicodeEncodeError:
        raise ValueError(f"{what} holds a lone surrogate, which is not UTF-8 text DynamoDB can store") from None


def owner(value: Any) -> str | None:
    if value is None:
        return None
    return bounded_text(value, "owner", MAX_OWNER_BYTES, "'glue:jr_123'")


def finite_time(value: Any, what: str) -> float:
    if not _is_number(value) or not math.isfinite(value) or not EARLIEST_EPOCH <= value < 253402300800:  # 10000-01-01
        raise ValueError(
            f"{what} must return seconds since the epoch, after 2000-01-01, such as time.time() does; "
            f"returned {value!r} (time.monotonic() and perf_counter() count from boot)"
        )
    return float(value)


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
        # fail(claim, str(exc)) of an exception without a message: refusing would lose the failure itself.
        text = "(no message)"
    # Exception text is not always valid Unicode (a lone surrogate from a file name read with
    # surrogateescape): the record keeps it escaped rather than losing the failure.
    text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    if utf8_size(text, "error") > limit:
        marker = "... [truncated]"
        # Cut at a character boundary: the bytes of a character cut in half are dropped.
        text = text.encode("utf-8")[: limit - len(marker)].decode("utf-8", errors="ignore") + marker
    return text


def callable_(value: Any, what: str, example: str) -> Any:
    if not callable(value):
        raise ValueError(f"{what} must be callable such as {example}, got {value!r}")
    return value
