"""Benchmark: which of 10,000 files need work, at a network round trip per request.

One run, one table, the same ids, behind a proxy that holds every request 5 ms (an in-region round trip)
in front of a moto server, all on 127.0.0.1:
- a GetItem per id (what unprocessed() replaces),
- unprocessed() one BatchGetItem of 100 keys after another (max_workers=1, as it was),
- unprocessed() with up to N BatchGetItem requests in flight (max_workers=N; 4 is the default).
It checks that all three agree and prints wall time, requests, and ratios to the loop.

    python benchmarks/ledger_unprocessed.py [--ids 10000] [--done 0.5] [--latency-ms 5] [--workers 4 16]

Not a test: timings depend on the machine. The request counts do not. moto serves one request at a
time and spends far longer on a batch of 100 keys than DynamoDB does, so with many workers in flight
the server, not the client, sets the wall time; `server time` shows that floor (the same reads with
no added latency and one request at a time).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from ledger_latency import client, latency_proxy, moto_server

from dynemodb.ledger import Ledger
from dynemodb.ledger.conditions import is_claimable
from dynemodb.ledger.schema import table_definition
from dynemodb.ledger.values import to_python

TABLE = "bench-ledger"


def count_requests(dynamodb: Any) -> Counter[str]:
    """HTTP requests by operation, retries included (each attempt is signed anew)."""
    sent: Counter[str] = Counter()

    def count(operation_name: str, **_: Any) -> None:
        sent[operation_name] += 1

    dynamodb.meta.events.register("before-sign.dynamodb", count)
    return sent


def load(dynamodb: Any, ids: list[str], done: float) -> None:
    """Mark every id whose position falls in the first `done` fraction of each hundred as COMPLETED."""
    completed = [file_id for i, file_id in enumerate(ids) if i % 100 < done * 100]
    for start in range(0, len(completed), 25):
        batch = [
            {
                "PutRequest": {
                    "Item": {"file_id": {"S": f}, "status": {"S": "COMPLETED"}, "completed_attempt": {"N": "1"}}
                }
            }
            for f in completed[start : start + 25]
        ]
        dynamodb.batch_write_item(RequestItems={TABLE: batch})


def get_item_loop(ledger: Ledger, ids: list[str]) -> list[str]:
    """What unprocessed() replaces: one strongly consistent GetItem per distinct id."""
    now = time.time()
    result = []
    for file_id in dict.fromkeys(ids):
        raw = ledger.client.get_item(TableName=TABLE, Key={"file_id": {"S": file_id}}, ConsistentRead=True)
        item = to_python(raw["Item"]) if "Item" in raw else None
        if is_claimable(item, now=now, max_attempts=ledger.max_attempts, ttl_attribute=ledger.ttl_attribute):
            result.append(file_id)
    return result


def timed(sent: Counter[str], run: Callable[[], list[str]]) -> tuple[float, int, list[str]]:
    sent.clear()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, sum(sent.values()), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=10_000, help="distinct file ids to check (default 10000)")
    parser.add_argument("--done", type=float, default=0.5, help="fraction already COMPLETED (default 0.5)")
    parser.add_argument("--latency-ms", type=float, default=5.0, help="added per request (default 5)")
    parser.add_argument("--workers", type=int, nargs="+", default=[4, 16], help="max_workers to try (default 4 16)")
    args = parser.parse_args()
    ids = [f"s3://landing/2024/05/01/part-{i:05d}.csv" for i in range(args.ids)]

    with moto_server() as endpoint, latency_proxy(endpoint, args.latency_ms / 1000) as proxied:
        direct = client(endpoint)
        direct.create_table(**table_definition(TABLE))
        load(direct, ids, args.done)
        server_seconds, _, expected = timed(
            Counter(), lambda: Ledger(TABLE, client=direct, max_workers=1).unprocessed(ids)
        )

        rows: list[tuple[str, float, int]] = []
        for label, workers in [("unprocessed(), max_workers=1", 1)] + [
            (f"unprocessed(), max_workers={w}", w) for w in args.workers
        ]:
            dynamodb = client(proxied, pool=max(10, workers))
            sent = count_requests(dynamodb)
            ledger = Ledger(TABLE, client=dynamodb, max_workers=workers)
            seconds, requests, result = timed(sent, functools.partial(ledger.unprocessed, ids))
            if result != expected:
                print(f"MISMATCH: {label} disagrees with the direct read", file=sys.stderr)
                return 1
            rows.append((label, seconds, requests))

        dynamodb = client(proxied)
        sent = count_requests(dynamodb)
        loop_seconds, loop_requests, loop_result = timed(
            sent, lambda: get_item_loop(Ledger(TABLE, client=dynamodb), ids)
        )
    if loop_result != expected:
        print("MISMATCH: the GetItem loop disagrees with unprocessed()", file=sys.stderr)
        return 1

    print(
        f"ids checked: {len(ids)}, unprocessed: {len(expected)}; +{args.latency_ms:g} ms per request via a proxy, "
        "moto serving one request at a time"
    )
    # The figures are only as steady as the machine: say how busy it was (2 cores here are shared).
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'GetItem loop':32s} {loop_seconds:8.2f} s {loop_requests:7d} requests")
    for label, seconds, requests in rows:
        print(
            f"{label:32s} {seconds:8.2f} s {requests:7d} requests   "
            f"{loop_seconds / seconds:6.1f}x less time, {loop_requests / requests:5.0f}x fewer requests"
        )
    print(f"{'server time (no latency, serial)':32s} {server_seconds:8.2f} s: the floor moto sets for batch reads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
