"""--since: ISO-8601 instants and relative ages."""

from __future__ import annotations

import pytest

from dynemodb.ledger.since import parse_since

NOW = 1_714_564_800.0  # 2024-05-01T12:00:00Z


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", NOW - 86400),
        ("7d", NOW - 7 * 86400),
        ("30m", NOW - 1800),
        ("90s", NOW - 90),
        ("2w", NOW - 14 * 86400),
        ("1.5h", NOW - 5400),
        (" 7D ", NOW - 7 * 86400),
        ("2024-05-01", NOW - 12 * 3600),
        ("2024-05-01T11:00:00Z", NOW - 3600),
        ("2024-05-01T11:00:00z", NOW - 3600),
        ("2024-05-01T13:00:00+02:00", NOW - 3600),
        ("2024-05-01T11:00:00", NOW - 3600),  # no zone: UTC, not the machine's zone
        ("2024-05-01 11:30", NOW - 1800),
    ],
)
def test_accepted_forms(text: str, expected: float) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "is not an ISO-8601 time"),
        ("", "is not an ISO-8601 time"),
        ("7 days", "is not an ISO-8601 time"),
        ("-1d", "is not an ISO-8601 time"),
        ("2024-13-01", "is not an ISO-8601 time"),
        ("2024-05-02", "is in the future"),
    ],
)
def test_rejected_forms_say_what_is_accepted(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_since(text, NOW)
    assert "24h" in str(raised.value)
