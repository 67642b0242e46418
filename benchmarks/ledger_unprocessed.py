"""Benchmark: Ledger.unprocessed() (BatchGetItem, 100 keys a request) against a GetItem per id.

Starts a moto server on a free loopback port, loads a ledger table, runs both approaches on the same
ids, checks they agree, prints wall time, ratio and request counts, and stops the server.

    python benchmarks/ledger_unprocessed.py [--ids 10000] [--done 0.5]

Not a test: timings depend on the machine. It shows the request count, which does not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from dynemodb.ledger import Ledger
from dynemodb.ledger.conditions import is_claimable
from dynemodb.ledger.schema import table_definition
from dynemodb.ledger.values import to_python

TABLE = "bench-ledger"

# One request at a time, like the integration tests' server; quiet, because logging every request
# would dominate the GetItem loop's time.
SERVER = """
from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import WSGIRequestHandler, make_server


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=False,
                     request_handler=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


@contextmanager
def moto_server() -> Iterator[str]:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{int(server.stdout.readline())}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def count_requests(client: Any) -> Counter[str]:
    """HTTP requests by operation, retries included (each attempt is signed anew)."""
    sent: Counter[str] = Counter()

    def count(operation_name: str, **_: Any) -> None:
        sent[operation_name] += 1

    client.meta.events.register("before-sign.dynamodb", count)
    return sent


def load(client: Any, ids: list[str], done: float) -> None:
    """Mark every id whose position falls in the first `done` fraction of each hundred as COMPLETED."""
    completed = [file_id for i, file_id in enumerate(ids) if i % 100 < done * 100]
    for start in range(0, len(completed), 25):
        batch = [
            {"PutRequest": {"Item": {"file_id": {"S": f}, "status": {"S": "COMPLETED"}, "attempts": {"N": "1"}}}}
            for f in completed[start : start + 25]
        ]
        client.batch_write_item(RequestItems={TABLE: batch})


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
    args = parser.parse_args()
    # Dummy credentials: the server is local and nothing may reach AWS.
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    ids = [f"s3://landing/2024/05/01/part-{i:05d}.csv" for i in range(args.ids)]

    with moto_server() as endpoint:
        client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
        client.create_table(**table_definition(TABLE))
        load(client, ids, args.done)
        ledger = Ledger(TABLE, client=client)
        sent = count_requests(client)

        batch_seconds, batch_requests, batch_result = timed(sent, lambda: ledger.unprocessed(ids))
        loop_seconds, loop_requests, loop_result = timed(sent, lambda: get_item_loop(ledger, ids))

    if batch_result != loop_result:
        print("MISMATCH: unprocessed() and the GetItem loop disagree", file=sys.stderr)
        return 1
    print(f"ids checked: {len(ids)}, unprocessed: {len(batch_result)} (moto server, one request at a time)")
    print(f"unprocessed() BatchGetItem: {batch_seconds:8.2f} s  {batch_requests:6d} requests")
    print(f"GetItem loop:               {loop_seconds:8.2f} s  {loop_requests:6d} requests")
    time_ratio, request_ratio = loop_seconds / batch_seconds, loop_requests / batch_requests
    print(f"ratio (loop / batch):       {time_ratio:8.1f}x time  {request_ratio:.0f}x requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
