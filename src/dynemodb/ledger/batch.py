"""BatchGetItem over any number of keys: chunks of 100, UnprocessedKeys retried with backoff.

Throttled *requests* are retried by botocore's retry mode; a batch that succeeds but leaves keys
unread (UnprocessedKeys, DynamoDB's partial throttling) is ours to retry.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from .backoff import full_jitter
from .errors import UnprocessedKeysExhausted

BATCH_LIMIT = 100  # DynamoDB's maximum keys per BatchGetItem
MAX_STALLED_ROUNDS = 10


def batch_get(
    client: Any,
    table_name: str,
    keys: Sequence[dict[str, Any]],
    *,
    projection: str,
    names: dict[str, str],
    consistent: bool,
    sleep: Callable[[float], None],
    backoff: Callable[[int], float] | None = None,
    max_stalled_rounds: int = MAX_STALLED_ROUNDS,
) -> list[dict[str, Any]]:
    """Raw items for `keys` (absent keys are simply missing from the result).

    Requests made: ceil(len(keys) / 100) plus one per response that left keys unread, because
    unread keys go back to the front of the queue and share the next request with fresh keys.
    """
    pending = deque(keys)
    found: list[dict[str, Any]] = []
    retry = 0
    stalled = 0
    while pending:
        chunk = [pending.popleft() for _ in range(min(BATCH_LIMIT, len(pending)))]
        response = client.batch_get_item(
            RequestItems={
                table_name: {
                    "Keys": chunk,
                    "ProjectionExpression": projection,
                    "ExpressionAttributeNames": names,
                    "ConsistentRead": consistent,
                }
            }
        )
        found.extend(response.get("Responses", {}).get(table_name, []))
        unread = response.get("UnprocessedKeys", {}).get(table_name, {}).get("Keys", [])
        if not unread:
            retry = 0
            stalled = 0
            continue
        # Partial progress is still progress; only rounds that read nothing count toward giving up.
        stalled = stalled + 1 if len(unread) >= len(chunk) else 0
        if stalled >= max_stalled_rounds:
            raise UnprocessedKeysExhausted(
                f"BatchGetItem on {table_name!r} returned every key unprocessed {stalled} times in a row; "
                "the table is throttled: raise its read capacity or retry later"
            )
        pending.extendleft(reversed(unread))
        retry += 1
        sleep((backoff or full_jitter)(retry))
    return found
