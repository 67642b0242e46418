"""The emulator's clock for rules that depend on elapsed time (UpdateTimeToLive's one-hour window).

A test that stands for "an operator waits an hour" advances this clock through the server's
`POST /dynemodb-api/advance-clock` endpoint (serve.py) instead of sleeping; nothing else moves it.
"""

from __future__ import annotations

import threading
import time

_lock = threading.Lock()
_offset = 0.0


def now() -> float:
    """Seconds on the emulator's clock: wall time plus every advance so far."""
    return time.time() + _offset


def advance(seconds: float) -> float:
    """Move the clock forward (never back) and return the new time."""
    global _offset
    if not seconds >= 0:
        raise ValueError(f"the emulator clock only moves forward; got {seconds!r} seconds")
    with _lock:
        _offset += seconds
    return now()
