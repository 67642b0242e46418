"""Parsing the report's --since: an ISO-8601 instant or an age such as 24h or 7d."""

from __future__ import annotations

import re
from datetime import datetime, timezone

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_HELP = "an ISO-8601 time (2024-05-01 or 2024-05-01T12:00:00Z) or an age like 30m, 24h, 7d, 2w"


def parse_since(text: str, now: float) -> float:
    """Epoch seconds for `text`; ValueError naming the accepted forms otherwise."""
    age = _AGE.match(text)
    if age:
        since = now - float(age[1]) * _UNIT_SECONDS[age[2].lower()]
        if not since >= 0:  # also catches an age so long it overflows to infinity
            raise ValueError(
                f"--since {text!r} reaches back before 1970-01-01, before any record: pass a shorter age "
                "or an ISO-8601 time such as 2024-05-01"
            )
        return since
    stripped = text.strip()
    # datetime.fromisoformat only accepts a trailing Z from Python 3.11; spell it out for 3.10.
    if stripped[-1:] in ("Z", "z"):
        stripped = stripped[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"--since {text!r} is not {_HELP}") from None
    if moment.tzinfo is None:
        # Audit windows are agreed in UTC; the machine's local zone is an accident of where it runs.
        moment = moment.replace(tzinfo=timezone.utc)
    since = moment.timestamp()
    if since > now:
        raise ValueError(f"--since {text!r} is in the future; pass a past time or an age like 24h")
    return since
