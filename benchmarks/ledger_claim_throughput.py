"""Benchmark: claim + complete throughput (files per second) with 1, 4 and 16 worker threads, at a network
round trip per request.

Each thread is a worker with its own Ledger and client, as Spark executors or separate Glue jobs would
be, given its share of the files (as the Spark job's partitions are), through a proxy that holds each
request 5 ms in front of a moto server serving one request at a time (so a conditional write is atomic,
as in DynamoDB), on 127.0.0.1. It checks that every file was completed exactly once. (Workers racing for
the same files are tests/integration/ledger/test_ledger_concurrency.py's business.)

    python benchmarks/ledger_claim_throughput.py [--files 300] [--threads 1 4 16] [--latency-ms 5]

Not a test: timings depend on the machine. moto spends milliseconds per write where DynamoDB spreads
writes over partitions, so with many threads the one-at-a-time server, not the client, caps the rate;
`server rate` shows that cap (one thread, no added latency).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from collections import Counter

from ledger_latency import client, latency_proxy, moto_server

from dynemodb.ledger import Ledger
from dynemodb.ledger.schema import table_definition


def race(endpoint: str, table: str, files: list[str], threads: int) -> tuple[float, Counter[str]]:
    """Seconds until every file is completed, and how often each was completed."""
    completed: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def work(name: str, share: list[str]) -> None:
        ledger = Ledger(table, client=client(endpoint), lease_seconds=3600)
        start.wait()
        for file_id in share:
            claim = ledger.claim(file_id, owner=name)
            if claim is None:
                continue
            ledger.complete(claim, rows=1)
            with lock:
                completed[file_id] += 1

    workers = [threading.Thread(target=work, args=(f"worker-{i}", files[i::threads])) for i in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began, completed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="files per run (default 300)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 16], help="worker threads (default 1 4 16)")
    parser.add_argument("--latency-ms", type=float, default=5.0, help="added per request (default 5)")
    args = parser.parse_args()

    with moto_server() as endpoint, latency_proxy(endpoint, args.latency_ms / 1000) as proxied:
        rows = []
        for label, url, threads in [("server rate (no latency)", endpoint, 1)] + [
            (f"{n} thread(s), +{args.latency_ms:g} ms", proxied, n) for n in args.threads
        ]:
            table = f"bench-{uuid.uuid4().hex[:8]}"
            client(endpoint).create_table(**table_definition(table))
            files = [f"s3://landing/part-{i:05d}.csv" for i in range(args.files)]
            seconds, completed = race(url, table, files, threads)
            if completed != Counter(files):
                twice = sum(1 for n in completed.values() if n > 1)
                print(f"VIOLATION: {label}: {twice} files completed twice, {len(files) - len(completed)} never")
                return 1
            rows.append((label, seconds, len(files) / seconds))
    print(f"claim + complete of {args.files} files, each completed exactly once; moto serves one request at a time")
    # The figures are only as steady as the machine: say how busy it was (2 cores here are shared).
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for label, seconds, rate in rows:
        print(f"{label:28s} {seconds:7.2f} s {rate:8.1f} files/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
