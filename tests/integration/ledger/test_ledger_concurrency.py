"""Several workers race over the same files; each file must be completed exactly once.

Runs against the one-request-at-a-time moto server (see conftest.py), where a conditional write is
atomic as in DynamoDB. The same workload with a claim whose condition always holds is run too, and the
checker must catch it: that is the evidence that this test would fail if claim were not conditional.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from dynemodb.ledger import LeaseLost, Ledger

# Each refused claim is a real request to a server that serves one at a time (~10 ms in moto), so
# the sizes are what keeps this test near 15 s while still racing every worker on every file.
WORKERS = 6
FILES = 200


@dataclass
class Log:
    """What the workers saw; list.append is atomic, so threads share these safely."""

    granted: list[tuple[str, int]] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def fails_first_time(file_id: str, attempt: int) -> bool:
    # Every tenth file fails its first attempt, so retries race too.
    return attempt == 1 and int(file_id.rsplit("-", 1)[1]) % 10 == 0


def work(ledger: Ledger, name: str, files: list[str], start: threading.Barrier, log: Log) -> None:
    start.wait()
    # Pass 1 tries every file in the same order as every other worker: maximum contention, every
    # claim is a race. Pass 2 picks up what failed, as a scheduled rerun would.
    for todo in (files, None):
        for file_id in todo if todo is not None else ledger.unprocessed(files):
            claim = ledger.claim(file_id, owner=name)
            if claim is None:
                continue
            log.granted.append((file_id, claim.attempt))
            try:
                if fails_first_time(file_id, claim.attempt):
                    ledger.fail(claim, "transient")
                    log.failed.append(file_id)
                else:
                    ledger.complete(claim, worker=name)
                    log.completed.append(file_id)
            except LeaseLost:
                log.lost.append(file_id)


def race(make_ledger: Callable[[], Ledger], files: list[str]) -> Log:
    log = Log()
    start = threading.Barrier(WORKERS)
    threads = [
        threading.Thread(target=work, args=(make_ledger(), f"worker-{i}", files, start, log), name=f"worker-{i}")
        for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return log


def violations(log: Log, files: list[str]) -> list[str]:
    """Everything that would mean a file was (or could have been) processed twice."""
    problems = []
    # Without lease expiry, a file may be granted once plus once more per recorded failure.
    grants = Counter(file_id for file_id, _ in log.granted)
    allowed = Counter(files) + Counter(log.failed)
    twice = sorted(f for f in grants if grants[f] > allowed[f])
    if twice:
        problems.append(f"{len(twice)} files granted twice while claimed or done, e.g. {twice[0]}")
    if len(set(log.granted)) != len(log.granted):
        problems.append("an attempt number was granted twice")
    completions = Counter(log.completed)
    if completions != Counter(files):
        extra = [f for f, n in completions.items() if n > 1]
        missing = sorted(set(files) - set(completions))
        problems.append(f"completions: {len(extra)} files more than once, {len(missing)} never")
    if log.lost:
        problems.append(f"{len(log.lost)} leases lost although no lease expired")
    return problems


@pytest.fixture
def make_ledger(server_client: Callable[[], Any], server_table: str) -> Callable[[], Ledger]:
    # One client per worker, like separate Glue jobs; a long lease so none lapses during the race.
    return lambda: Ledger(server_table, client=server_client(), lease_seconds=3600)


@pytest.mark.timeout(600)
def test_each_file_is_completed_exactly_once(make_ledger: Callable[[], Ledger]) -> None:
    files = [f"s3://in/file-{i:04d}" for i in range(FILES)]

    log = race(make_ledger, files)

    assert violations(log, files) == []
    failing = [f for f in files if fails_first_time(f, 1)]
    assert sorted(log.failed) == failing
    assert len(log.granted) == len(files) + len(failing), "one claim per attempt, no more"
    reader = make_ledger()
    assert reader.unprocessed(files) == []
    assert {reader.get(f)["completed_attempt"] for f in failing} == {2}  # type: ignore[index]


@pytest.mark.timeout(600)
def test_the_check_catches_an_unconditional_claim(
    make_ledger: Callable[[], Ledger], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A claim whose condition always holds: what the ledger would be without conditional writes.
    monkeypatch.setattr(
        "dynemodb.ledger.conditions.claim_condition",
        lambda with_ttl: "attribute_not_exists(#k) OR attribute_exists(#k)",
    )
    files = [f"s3://in/file-{i:04d}" for i in range(30)]

    problems = violations(race(make_ledger, files), files)

    assert any("granted twice" in p for p in problems), problems
