"""BatchGetItem over any number of keys: chunks of 100, a bounded number in flight, UnprocessedKeys retried.

Throttled *requests* are retried by botocore's retry mode; a batch that succeeds but leaves keys
unread (UnprocessedKeys, DynamoDB's partial throttling) is ours to retry. A batch of which DynamoDB can
read nothing is a ProvisionedThroughputExceededException, not all keys unprocessed (API_BatchGetItem):
once botocore has given up on it, it is UnprocessedKeysExhausted too. Chunks go out up to
`max_workers` at a time, because at a network round trip per request the wait, not DynamoDB, is
what a sequential loop spends its time on. boto3's low-level clients are thread-safe ("Multithreading
or multiprocessing with clients", boto3 guide), so the workers share the caller's client.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from botocore.exceptions import ClientError

from .backoff import full_jitter
from .errors import UnprocessedKeysExhausted

BATCH_LIMIT = 100  # DynamoDB's maximum keys per BatchGetItem
THROTTLED = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
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
    max_workers: int = 1,
) -> list[dict[str, Any]]:
    """Raw items for `keys` (absent keys are simply missing from the result).

    Requests made: ceil(len(keys) / 100) plus one per response that left keys unread, because
    unread keys go back to the front of the queue and share the next request with fresh keys.
    """

    def fetch(chunk: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        request = {"Keys": chunk, "ProjectionExpression": projection, "ExpressionAttributeNames": names}
        try:
            response = client.batch_get_item(RequestItems={table_name: {**request, "ConsistentRead": consistent}})
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in THROTTLED:
                raise
            raise UnprocessedKeysExhausted(
                f"BatchGetItem on {table_name!r} was throttled ({code}) through every retry the client makes; "
                "raise the table's read capacity, or retry later"
            ) from exc
        found = response.get("Responses", {}).get(table_name, [])
        return found, response.get("UnprocessedKeys", {}).get(table_name, {}).get("Keys", [])

    pending = deque(keys)
    found: list[dict[str, Any]] = []
    retry = 0
    stalled = 0

    def take() -> list[dict[str, Any]]:
        return [pending.popleft() for _ in range(min(BATCH_LIMIT, len(pending)))]

    def settle(chunk: list[dict[str, Any]], items: list[dict[str, Any]], unread: list[dict[str, Any]]) -> None:
        nonlocal retry, stalled
        found.extend(items)
        if not unread:
            retry = 0
            stalled = 0
            return
        # Partial progress is still progress; only rounds that read nothing count toward giving up.
        stalled = stalled + 1 if len(unread) >= len(chunk) else 0
        if stalled >= max_stalled_rounds:
            raise UnprocessedKeysExhausted(
                f"BatchGetItem on {table_name!r} returned every key unprocessed {stalled} times in a row; "
                "the table is throttled: raise its read capacity or retry later"
            )
        pending.extendleft(reversed(unread))
        retry += 1
        # Waiting here holds back new requests; those already in flight finish meanwhile.
        sleep((backoff or full_jitter)(retry))

    if max_workers <= 1 or len(keys) <= BATCH_LIMIT:
        while pending:
            chunk = take()
            settle(chunk, *fetch(chunk))
        return found

    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ledger-batch-get") as pool:
        in_flight: dict[Future[Any], list[dict[str, Any]]] = {}
        try:
            while pending or in_flight:
                while pending and len(in_flight) < max_workers:
                    chunk = take()
                    in_flight[pool.submit(fetch, chunk)] = chunk
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    settle(in_flight.pop(future), *future.result())
        finally:
            for future in in_flight:
                future.cancel()
    return found
