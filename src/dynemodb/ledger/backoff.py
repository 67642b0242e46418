"""Exponential backoff with full jitter, for retries botocore does not do for us (UnprocessedKeys)."""

from __future__ import annotations

import random
from collections.abc import Callable

BASE_SECONDS = 0.05
CAP_SECONDS = 5.0


def full_jitter(
    retry: int,
    *,
    base: float = BASE_SECONDS,
    cap: float = CAP_SECONDS,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number `retry` (1 for the first retry).

    Full jitter (a uniform draw up to the exponential ceiling) spreads workers that were throttled
    together, so they do not come back in lockstep and get throttled together again.
    """
    if retry < 1:
        raise ValueError(f"retry counts from 1, got {retry}")
    ceiling = min(cap, base * 2.0 ** (retry - 1))
    return rand() * ceiling
