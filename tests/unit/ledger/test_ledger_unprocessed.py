"""unprocessed(): batched reads (never a GetItem per id), order, duplicates, UnprocessedKeys retries,
and chunks read in parallel up to max_workers."""

from __future__ import annotations

import functools
import math
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from dynemodb.ledger import Ledger, UnprocessedKeysExhausted
from dynemodb.ledger.backoff import full_jitter
from dynemodb.ledger.batch import MAX_STALLED_ROUNDS


@pytest.fixture
def completed(dynamodb: Any, table: str) -> Callable[[list[str]], None]:
    """Mark ids COMPLETED in bulk (BatchWriteItem is test setup only; the ledger never uses it)."""

    def load(ids: list[str]) -> None:
        for start in range(0, len(ids), 25):
            requests = [
                {"PutRequest": {"Item": {"file_id": {"S": i}, "status": {"S": "COMPLETED"}, "attempts": {"N": "1"}}}}
                for i in ids[start : start + 25]
            ]
            dynamodb.batch_write_item(RequestItems={table: requests})

    return load


@pytest.fixture
def batch_requests(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    """The RequestItems entry of each BatchGetItem the ledger makes."""
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(params["RequestItems"][table])

    dynamodb.meta.events.register("before-parameter-build.dynamodb.BatchGetItem", record)
    return seen


@pytest.fixture
def partial_reads(dynamodb: Any, table: str, batch_requests: list[dict[str, Any]]) -> Callable[[list[int]], None]:
    """Make DynamoDB read only the first plan[i] keys of response i, returning the rest as UnprocessedKeys,
    as it does when a batch is partly throttled."""

    def install(plan: list[int]) -> None:
        def trim(parsed: dict[str, Any], **_: Any) -> None:
            call = len(batch_requests) - 1
            if call >= len(plan):
                return
            unread = batch_requests[call]["Keys"][plan[call] :]
            unread_ids = {k["file_id"]["S"] for k in unread}
            found = parsed["Responses"][table]
            parsed["Responses"][table] = [i for i in found if i["file_id"]["S"] not in unread_ids]
            if unread:
                parsed["UnprocessedKeys"] = {table: {"Keys": unread}}

        dynamodb.meta.events.register("after-call.dynamodb.BatchGetItem", trim)

    return install


def ids(n: int) -> list[str]:
    return [f"s3://in/{i:05d}.csv" for i in range(n)]


@pytest.mark.parametrize("distinct", [0, 1, 99, 100, 101, 250, 1000])
def test_one_batch_request_per_hundred_distinct_ids(
    ledger: Ledger,
    completed: Callable[[list[str]], None],
    api_calls: Counter[str],
    batch_requests: list[dict[str, Any]],
    distinct: int,
) -> None:
    every = ids(distinct)
    done = every[::3]
    completed(done)
    api_calls.clear()
    # Each id asked for twice, second time in reverse: duplicates must neither cost reads nor repeat.
    asked = every + every[::-1]

    result = ledger.unprocessed(asked)

    assert result == [i for i in every if i not in set(done)]
    assert api_calls == Counter({"BatchGetItem": math.ceil(distinct / 100)} if distinct else {})
    assert all(len(r["Keys"]) <= 100 for r in batch_requests)
    assert sum(len(r["Keys"]) for r in batch_requests) == distinct


@pytest.mark.parametrize(
    ("asked", "done", "expected"),
    [
        (["b", "a", "b", "c", "a"], [], ["b", "a", "c"]),
        (["b", "a", "b", "c", "a"], ["a"], ["b", "c"]),
        (["x"] * 500, [], ["x"]),
        (iter(["g1", "g2", "g1"]), ["g2"], ["g1"]),
    ],
    ids=["first-seen order", "done ids dropped", "one id many times", "any iterable"],
)
def test_input_order_without_duplicates(
    ledger: Ledger, completed: Callable[[list[str]], None], asked: Any, done: list[str], expected: list[str]
) -> None:
    completed(done)
    assert ledger.unprocessed(asked) == expected


@pytest.mark.parametrize("consistent", [True, False])
def test_reads_only_what_claimability_needs(
    make_ledger: Callable[..., Ledger], batch_requests: list[dict[str, Any]], consistent: bool
) -> None:
    make_ledger(consistent_reads=consistent).unprocessed(["a"])
    (request,) = batch_requests
    assert request["ConsistentRead"] is consistent
    projected = {request["ExpressionAttributeNames"][p.strip()] for p in request["ProjectionExpression"].split(",")}
    assert projected == {"file_id", "status", "lease_expires_at", "attempts", "expiration_time"}


# (distinct ids, keys read by each throttled response, BatchGetItem calls expected)
RETRY_SCENARIOS = [
    (100, [40], 2),  # 60 keys come back unread and go out again
    (250, [40], 4),  # unread keys share the next request with fresh ones: ceil(250/100) + 1
    (50, [0, 0], 3),  # two rounds read nothing, the third reads everything
    (300, [100, 10, 100, 0], 5),  # mixed: only the two responses with leftovers add a request
]


@pytest.fixture
def serial_ledger(make_ledger: Callable[..., Ledger]) -> Ledger:
    """One request at a time, so a plan can say what each response in turn leaves unread."""
    return make_ledger(max_workers=1)


@pytest.mark.parametrize(("distinct", "plan", "calls"), RETRY_SCENARIOS)
def test_unprocessed_keys_are_retried_with_backoff(
    serial_ledger: Ledger,
    completed: Callable[[list[str]], None],
    partial_reads: Callable[[list[int]], None],
    api_calls: Counter[str],
    sleeps: list[float],
    distinct: int,
    plan: list[int],
    calls: int,
) -> None:
    every = ids(distinct)
    completed(every[::2])
    api_calls.clear()
    partial_reads(plan)

    assert serial_ledger.unprocessed(every) == every[1::2], "retries must not change the answer"
    assert api_calls["BatchGetItem"] == calls
    assert api_calls["GetItem"] == 0
    partial_responses = calls - math.ceil(distinct / 100)
    assert len(sleeps) == partial_responses, "one backoff per response that left keys unread"


def test_backoff_grows_while_reads_keep_failing(
    serial_ledger: Ledger, partial_reads: Callable[[list[int]], None], sleeps: list[float], monkeypatch: Any
) -> None:
    # Pin the jitter to its ceiling so the growth is visible; test_full_jitter covers the randomness.
    monkeypatch.setattr("dynemodb.ledger.batch.full_jitter", functools.partial(full_jitter, rand=lambda: 1.0))
    partial_reads([0, 0, 0])
    serial_ledger.unprocessed(["a", "b"])
    assert sleeps == [0.05, 0.1, 0.2]


def test_gives_up_when_dynamodb_reads_nothing_for_too_long(
    serial_ledger: Ledger, partial_reads: Callable[[list[int]], None], api_calls: Counter[str]
) -> None:
    partial_reads([0] * 100)
    with pytest.raises(UnprocessedKeysExhausted, match="throttled"):
        serial_ledger.unprocessed(["a"])
    assert api_calls["BatchGetItem"] == MAX_STALLED_ROUNDS


@pytest.mark.parametrize(
    ("retry", "rand", "expected"),
    [(1, 1.0, 0.05), (2, 1.0, 0.1), (4, 1.0, 0.4), (8, 1.0, 5.0), (50, 1.0, 5.0), (3, 0.0, 0.0), (3, 0.5, 0.1)],
    ids=["first", "doubles", "keeps doubling", "capped", "far past the cap", "jitter floor", "jitter middle"],
)
def test_full_jitter(retry: int, rand: float, expected: float) -> None:
    assert full_jitter(retry, rand=lambda: rand) == pytest.approx(expected)


def test_full_jitter_spreads_workers() -> None:
    delays = {round(full_jitter(5), 6) for _ in range(50)}
    assert len(delays) > 40 and all(0 <= d <= 0.8 for d in delays)


@pytest.fixture
def in_flight(dynamodb: Any) -> dict[str, int]:
    """The most BatchGetItem requests ever in flight at once. Each request waits (up to 2 s) until `expect`
    are in flight, so the count does not hang on how fast a loaded machine starts threads: fewer workers
    than expected only show as a lower `most` after the wait, more as a higher one."""
    ready = threading.Condition()
    state = {"now": 0, "most": 0, "expect": 1}

    def start(**_: Any) -> None:
        with ready:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            ready.notify_all()
            ready.wait_for(lambda: state["now"] >= state["expect"], timeout=2.0)

    def end(**_: Any) -> None:
        with ready:
            state["now"] -= 1

    dynamodb.meta.events.register("before-call.dynamodb.BatchGetItem", start)
    dynamodb.meta.events.register("after-call.dynamodb.BatchGetItem", end)
    return state


@pytest.mark.parametrize(("workers", "distinct", "most"), [(1, 1000, 1), (4, 1000, 4), (8, 350, 4), (4, 100, 1)])
def test_chunks_are_read_in_parallel_up_to_max_workers(
    make_ledger: Callable[..., Ledger],
    completed: Callable[[list[str]], None],
    api_calls: Counter[str],
    in_flight: dict[str, int],
    workers: int,
    distinct: int,
    most: int,
) -> None:
    every = ids(distinct)
    completed(every[::3])
    api_calls.clear()
    in_flight["expect"] = most

    result = make_ledger(max_workers=workers).unprocessed(every)

    assert result == [i for i in every if i not in set(every[::3])], "the answer does not depend on workers"
    assert api_calls == Counter({"BatchGetItem": math.ceil(distinct / 100)}), "nor does the request count"
    # 350 ids are 4 chunks, so 8 workers can have no more than 4 in flight; 100 ids need no threads.
    assert in_flight["most"] == most


def test_unprocessed_keys_are_retried_while_other_chunks_are_in_flight(
    make_ledger: Callable[..., Ledger],
    dynamodb: Any,
    table: str,
    completed: Callable[[list[str]], None],
    api_calls: Counter[str],
    sleeps: list[float],
) -> None:
    # The first three responses, whichever chunks they answer, read only their first ten keys.
    lock = threading.Lock()
    throttled = {"left": 3}

    def remember_keys(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["keys"] = params["RequestItems"][table]["Keys"]

    def trim(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        with lock:
            if throttled["left"] == 0:
                return
            throttled["left"] -= 1
        unread = context["keys"][10:]
        unread_ids = {k["file_id"]["S"] for k in unread}
        parsed["Responses"][table] = [i for i in parsed["Responses"][table] if i["file_id"]["S"] not in unread_ids]
        parsed["UnprocessedKeys"] = {table: {"Keys": unread}}

    dynamodb.meta.events.register("before-parameter-build.dynamodb.BatchGetItem", remember_keys)
    dynamodb.meta.events.register("after-call.dynamodb.BatchGetItem", trim)
    every = ids(1000)
    completed(every[::2])
    api_calls.clear()

    assert make_ledger(max_workers=4).unprocessed(every) == every[1::2]
    assert api_calls["BatchGetItem"] == 10 + 3, "one more request per response that left keys unread"
    assert len(sleeps) == 3
