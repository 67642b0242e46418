"""The ledger client: claim, heartbeat, complete and fail files; read what is done."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, cast

from boto3.resources.base import ServiceResource
from botocore.exceptions import ClientError

from . import tables, validation, values, writes
from .batch import batch_get
from .claim import Claim
from .client import default_client
from .conditions import holds_live_lease, is_claimable, is_expired
from .errors import LeaseLost, ReopenRefused
from .itemsize import MAX_ITEM_BYTES, item_size
from .schema import (
    ATTEMPTS,
    AUDIT_PK,
    CLAIMED_AT,
    COMPLETED,
    COMPLETED_AT,
    COMPLETED_ATTEMPT,
    DEFAULT_HASH_KEY,
    DEFAULT_TTL_ATTRIBUTE,
    FAILED,
    FAILED_AT,
    IN_PROGRESS,
    LAST_ERROR,
    LEASE_EXPIRES_AT,
    LEASE_TOKEN,
    METADATA,
    OWNER,
    REOPEN_COUNT,
    REOPEN_ID,
    REOPEN_REASON,
    REOPENED,
    REOPENED_AT,
    REOPENED_ATTEMPTS,
    REOPENED_BY,
    REOPENED_FROM,
    STATUS,
    UPDATED_AT,
)

# BatchGetItem requests unprocessed() keeps in flight. Four threads cost a Lambda of the smallest size
# next to nothing, stay well inside botocore's default pool of 10 connections, and already cut the
# wait at a 5 ms round trip by 4x; raise it for tens of thousands of ids on a big Glue driver.
DEFAULT_MAX_WORKERS = 4
MAX_WORKERS = 64


def _default_owner() -> str:
    # A label for audits ("which host holds this lease?"); the per-claim token is what fences.
    return f"{socket.gethostname()}:{os.getpid()}"


class Ledger:
    """Idempotent processing of files recorded in a DynamoDB table.

    Every state change is one conditional UpdateItem; see writes.py for the requests and
    conditions.py for when a file may be claimed.

    Options beyond the table's shape (hash_key; ttl_attribute, None when the table has TTL off):
    retention_days sets the TTL written on completion; lease_seconds is how long a claim excludes
    others without a heartbeat; max_attempts caps claims per file (a crash counts); clock returns epoch
    seconds; retries is botocore's retry dict for the client built when none is passed;
    consistent_reads applies to get() and unprocessed(); max_workers bounds the BatchGetItem requests
    unprocessed() keeps in flight; sleep waits between UnprocessedKeys retries (tests pass a recorder).
    """

    def __init__(
        self,
        table_name: str,
        *,
        client: Any = None,
        hash_key: str = DEFAULT_HASH_KEY,
        ttl_attribute: str | None = DEFAULT_TTL_ATTRIBUTE,
        retention_days: float | None = None,
        lease_seconds: float = 900,
        max_attempts: int = 3,
        clock: Callable[[], float] = time.time,
        retries: Mapping[str, Any] | None = None,
        consistent_reads: bool = True,
        max_workers: int = DEFAULT_MAX_WORKERS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.table_name = validation.table_name(table_name)
        self.hash_key = validation.attribute_name(hash_key, "hash_key")
        self.ttl_attribute = validation.optional_attribute_name(ttl_attribute, "ttl_attribute", taken={hash_key})
        self.retention_days = validation.optional_positive_number(
            retention_days, "retention_days", "90", limit=validation.MAX_RETENTION_DAYS
        )
        if self.retention_days is not None and self.ttl_attribute is None:
            raise ValueError(
                "retention_days needs a TTL attribute to write; with ttl_attribute=None (TTL off on the "
                "table) pass retention_days=None, or turn the table's TTL on and pass its attribute name"
            )
        self.lease_seconds = validation.positive_number(
            lease_seconds,
            "lease_seconds",
            "900",
            limit=validation.MAX_LEASE_SECONDS,
            least=validation.MIN_LEASE_SECONDS,
        )
        self.max_attempts = validation.positive_int(max_attempts, "max_attempts", "3", limit=validation.MAX_ATTEMPTS)
        self.max_workers = validation.positive_int(max_workers, "max_workers", "4", limit=MAX_WORKERS)
        self._clock = validation.callable_(clock, "clock", "time.time")
        self._sleep = validation.callable_(sleep, "sleep", "time.sleep")
        if isinstance(client, ServiceResource):
            # boto3.resource("dynamodb") and its Table take Python values, the ledger sends attribute values.
            raise ValueError(
                "client must be a low-level DynamoDB client such as boto3.client('dynamodb'), not a boto3 "
                "resource or Table; pass table.meta.client (or resource.meta.client) instead"
            )
        if client is not None and retries is not None:
            raise ValueError(
                "retries configures the client the ledger builds; with your own client, set "
                "botocore.config.Config(retries=...) on it instead"
            )
        self.client = client if client is not None else default_client(retries, max_pool_connections=self.max_workers)
        pool = getattr(getattr(self.client, "meta", None), "config", None)
        pool_size = getattr(pool, "max_pool_connections", None)
        if isinstance(pool_size, int) and self.max_workers > pool_size:
            raise ValueError(
                f"max_workers={self.max_workers} is more than the client's {pool_size} pooled connections; "
                f"pass fewer workers or build the client with Config(max_pool_connections={self.max_workers})"
            )
        # Strongly consistent by default: a stale "not done" read is how files get loaded twice.
        self.consistent_reads = bool(consistent_reads)
        self._table = writes.TableRef(self.table_name, self.hash_key, self.ttl_attribute)

    def __repr__(self) -> str:
        return (
            f"Ledger({self.table_name!r}, hash_key={self.hash_key!r}, lease_seconds={self.lease_seconds}, "
            f"max_attempts={self.max_attempts}, retention_days={self.retention_days})"
        )

    # -- state changes -------------------------------------------------------------------------

    def claim(self, file_id: str, owner: str | None = None) -> Claim | None:
        """A Claim on the file, or None when it is completed, leased by a live claim, or out of attempts.

        One conditional write decides, whatever the record's state: there is no second write for a
        record past its expiration time that DynamoDB's TTL sweeper could delete in between.
        """
        file_id = validation.file_id(file_id)
        owner = validation.owner(owner) or _default_owner()
        # Generated before the request so botocore's retries resend the same token: that is what lets
        # a retry recognise that its first attempt already took the file.
        token = uuid.uuid4().hex
        now = self._now()
        request = writes.claim(
            self._table,
            file_id,
            owner=owner,
            token=token,
            now=now,
            lease_expires_at=now + self.lease_seconds,
            max_attempts=self.max_attempts,
        )
        granted, item = self._update(request)
        if not granted:
            if item is not None and self._is_own_write(item, token, IN_PROGRESS):
                return self._claim_from(file_id, item)
            return None
        previous = item or None  # ALL_OLD: nothing when there was no record
        claim = Claim(self.table_name, file_id, owner, token, _next_attempt(previous), now + self.lease_seconds)
        if previous is not None and claim.attempt > 1 and is_expired(previous, self.ttl_attribute, now):
            # An expired record counts as absent, so this is attempt 1; only records the ledger did not
            # complete still carry the old count (see writes.restart_attempts).
            done, _ = self._update(writes.restart_attempts(self._table, file_id, token=token))
            if not done:
                return None
            claim = replace(claim, attempt=1)
        return claim

    def heartbeat(self, claim: Claim) -> Claim:
        """Extend the lease by lease_seconds from now; the returned Claim carries the new expiry."""
        claim = self._check_claim(claim)
        now = self._now()
        lease = now + self.lease_seconds
        request = writes.heartbeat(self._table, claim.file_id, token=claim.token, now=now, lease_expires_at=lease)
        self._owner_write(claim, request, IN_PROGRESS)
        return Claim(self.table_name, claim.file_id, claim.owner, claim.token, claim.attempt, lease_expires_at=lease)

    def complete(self, claim: Claim, **metadata: Any) -> None:
        """Mark the file done, storing `metadata` (row counts, output paths) with the record.

        Metadata DynamoDB cannot store (an empty set, a number beyond 38 digits or its range, an item
        over 400 KB) is a ValueError naming it, before any request. Completing an already completed
        claim again is a no-op that keeps the first metadata.
        """
        claim = self._check_claim(claim)
        attributes = {name: values.to_attribute(name, value) for name, value in metadata.items()}
        now = self._now()
        expires_at = None if self.retention_days is None else now + self.retention_days * values.SECONDS_PER_DAY
        request = writes.complete(
            self._table, claim.file_id, token=claim.token, now=now, metadata=attributes, expires_at=expires_at
        )
        self._check_completed_size(claim, request)
        self._owner_write(claim, request, COMPLETED)

    def fail(self, claim: Claim, error: BaseException | str) -> None:
        """Record the failure; the file can be claimed again until it has had max_attempts attempts."""
        claim = self._check_claim(claim)
        text, now = validation.error_text(error, validation.MAX_ERROR_BYTES), self._now()
        request = writes.fail(self._table, claim.file_id, token=claim.token, now=now, error=text)
        # A FAILED record is claimable at once: another worker may claim it before botocore resends a fail
        # whose response was lost. The claim keeps failed_at and last_error, so the record still shows ours.
        self._owner_write(
            claim, request, FAILED, landed=lambda old: (old.get(FAILED_AT), old.get(LAST_ERROR)) == (now, text)
        )

    def reopen(self, file_id: str, reason: str, by: str) -> dict[str, Any]:
        """Let a COMPLETED file be loaded again, or a FAILED or crashed one be retried past max_attempts.

        One conditional UpdateItem, never a delete: the record becomes REOPENED, claimable with its
        attempts counted from 1, and keeps who reopened it (`by`), why (`reason`), when, and the status
        and attempts it had. Refused (ReopenRefused) when there is no record or a live claim holds the
        file. Returns the record as get() would.
        """
        file_id = validation.file_id(file_id)
        reason = validation.bounded_text(reason, "reason", validation.MAX_REASON_BYTES, "'source re-delivered'")
        by = validation.bounded_text(by, "by", validation.MAX_BY_BYTES, "'alice@example.com'")
        reopen_id = uuid.uuid4().hex
        now = self._now()
        request = writes.reopen(self._table, file_id, reopen_id=reopen_id, now=now, reason=reason, by=by)
        done, item = self._update(request)
        # A REOPENED record is claimable at once: a worker may claim (and even complete) it before botocore
        # resends a reopen whose response was lost. Every later write keeps reopen_id, which says it was ours.
        if item is not None and (done or item.get(REOPEN_ID) == reopen_id):
            return _for_readers(item)
        raise ReopenRefused(file_id, self._why_not_reopened(item, now))

    # -- reads ---------------------------------------------------------------------------------

    def get(self, file_id: str) -> dict[str, Any] | None:
        """The file's record as plain Python, or None when absent or past its expiration time."""
        file_id = validation.file_id(file_id)
        with self._explained():
            response = self.client.get_item(
                TableName=self.table_name, Key=self._table.key(file_id), ConsistentRead=self.consistent_reads
            )
        if "Item" not in response:
            return None
        item = values.to_python(response["Item"])
        if is_expired(item, self.ttl_attribute, self._now()):
            return None
        return _for_readers(item)

    def unprocessed(self, file_ids: Iterable[str]) -> list[str]:
        """The ids a claim would succeed for now, in input order without duplicates.

        One BatchGetItem per 100 distinct ids (plus retries of unprocessed keys), never a GetItem per id,
        with up to max_workers requests in flight.
        """
        ids = validation.file_ids(file_ids)
        if not ids:
            return []
        names = {k: v for k, v in self._table.names().items() if k in self._claimability_names}
        with self._explained():
            raw = batch_get(
                self.client,
                self.table_name,
                [self._table.key(file_id) for file_id in ids],
                projection=", ".join(self._claimability_names),
                names=names,
                consistent=self.consistent_reads,
                sleep=self._sleep,
                max_workers=self.max_workers,
            )
        records = {item[self.hash_key]: item for item in map(values.to_python, raw)}
        now = self._now()
        return [
            file_id
            for file_id in ids
            if is_claimable(
                records.get(file_id),
                now=now,
                max_attempts=self.max_attempts,
                ttl_attribute=self.ttl_attribute,
            )
        ]

    # -- internals -----------------------------------------------------------------------------

    @property
    def _claimability_names(self) -> tuple[str, ...]:
        # What unprocessed() needs to decide claimability; projecting it keeps batch reads small.
        return ("#k", "#st", "#lease", "#att", *(("#ttl",) if self.ttl_attribute is not None else ()))

    def _now(self) -> float:
        now = validation.finite_time(self._clock(), "clock")
        # Rounded as stored, so the Python predicates and the DynamoDB conditions compare the same value.
        return round(now, 3)

    @contextmanager
    def _explained(self) -> Iterator[None]:
        """Re-raise a request's failure as TableNotFound/TableMismatch when the table's shape explains it."""
        try:
            yield
        except ClientError as exc:
            problem = tables.explain(self.client, self.table_name, self.hash_key, exc, self.ttl_attribute)
            if problem is None:
                raise
            raise problem from exc

    def _update(self, request: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
        """(True, new item) when the write happened, (False, old item or None) when its condition failed."""
        try:
            with self._explained():
                response = self.client.update_item(**request)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            # ReturnValuesOnConditionCheckFailure=ALL_OLD puts the item into the error response.
            old = cast("Mapping[str, Any] | None", exc.response.get("Item"))
            return False, None if old is None else values.to_python(old)
        return True, values.to_python(response.get("Attributes", {}))

    def _check_completed_size(self, claim: Claim, request: dict[str, Any]) -> None:
        """ValueError when the completed item would pass DynamoDB's 400 KB item limit."""
        bound = request["ExpressionAttributeValues"]
        number = values.number(claim.lease_expires_at)
        item = {
            self.hash_key: values.string(claim.file_id),
            STATUS: bound[":status"],
            AUDIT_PK: bound[":audit_pk"],
            OWNER: values.string(claim.owner),
            LEASE_TOKEN: values.string(claim.token),
            # Times and counters: each as long as the longest such number the ledger writes.
            **dict.fromkeys(_NUMBER_ATTRIBUTES, number),
            COMPLETED_ATTEMPT: {"N": str(claim.attempt)},
        }
        if ":metadata" in bound:
            item[METADATA] = bound[":metadata"]
        if ":expires_at" in bound and self.ttl_attribute is not None:
            item[self.ttl_attribute] = bound[":expires_at"]
        size = item_size(item) + _REOPEN_RESERVE
        if size > MAX_ITEM_BYTES:
            metadata = item_size({METADATA: item[METADATA]}) if METADATA in item else 0
            raise ValueError(
                f"complete() of {claim.file_id!r} would make an item of up to {size:,} bytes as DynamoDB "
                f"counts them, {metadata:,} of them metadata; DynamoDB's item limit is {MAX_ITEM_BYTES:,} "
                "bytes (400 KB): keep large results in S3 and record their path in the metadata"
            )

    @staticmethod
    def _is_own_write(item: Mapping[str, Any], token: str, status: str) -> bool:
        # A condition that failed because our own earlier attempt already made this change: botocore
        # resent a write whose first response was lost (timeout, connection reset).
        return item.get(LEASE_TOKEN) == token and item.get(STATUS) == status

    def _owner_write(
        self,
        claim: Claim,
        request: dict[str, Any],
        target_status: str,
        landed: Callable[[Mapping[str, Any]], bool] = lambda old: False,
    ) -> None:
        """The claim's write, or LeaseLost; a failed condition counts as done when the record shows this write
        (``landed``: where the record may have moved on past it)."""
        done, old = self._update(request)
        if done or (old is not None and (self._is_own_write(old, claim.token, target_status) or landed(old))):
            return
        raise LeaseLost(claim.file_id, _why_lost(old, claim))

    def _check_claim(self, claim: Any) -> Claim:
        if not isinstance(claim, Claim):
            raise ValueError(f"pass the Claim returned by ledger.claim(...), got {claim!r}")
        if claim.table_name != self.table_name:
            raise ValueError(
                f"claim is for table {claim.table_name!r}; pass it to the Ledger for that table, "
                f"not {self.table_name!r}"
            )
        return claim

    def _claim_from(self, file_id: str, item: Mapping[str, Any]) -> Claim:
        return Claim(
            table_name=self.table_name,
            file_id=file_id,
            owner=str(item[OWNER]),
            token=str(item[LEASE_TOKEN]),
            attempt=int(item[ATTEMPTS]),
            lease_expires_at=float(item[LEASE_EXPIRES_AT]),
        )

    def _why_not_reopened(self, item: Mapping[str, Any] | None, now: float) -> str:
        if item is None:
            return (
                f"table {self.table_name!r} has no record of it; a file without a record is claimed as new, "
                "so there is nothing to reopen"
            )
        if holds_live_lease(item, now):
            return (
                f"a live claim holds it: attempt {item.get(ATTEMPTS)} by owner {item.get(OWNER)!r}, leased "
                f"until epoch {item.get(LEASE_EXPIRES_AT)}; wait until it completes, fails or its lease lapses"
            )
        return f"its record changed while reopening (status {item.get(STATUS)}); run reopen again"


_NUMBER_ATTRIBUTES = (UPDATED_AT, LEASE_EXPIRES_AT, CLAIMED_AT, COMPLETED_AT)


def _reopen_reserve() -> int:
    """The most the reopen attributes can add to an item: they outlive claims and completions."""
    longest_time = values.number(253402300799.999)
    return item_size(
        {
            REOPENED_AT: longest_time,
            REOPENED_BY: values.string("x" * validation.MAX_BY_BYTES),
            REOPEN_REASON: values.string("x" * validation.MAX_REASON_BYTES),
            REOPENED_FROM: values.string(REOPENED),
            REOPENED_ATTEMPTS: {"N": str(validation.MAX_ATTEMPTS)},
            REOPEN_ID: values.string(uuid.uuid4().hex),
            REOPEN_COUNT: {"N": "9" * 12},
        }
    )


_REOPEN_RESERVE = _reopen_reserve()


def _next_attempt(previous: Mapping[str, Any] | None) -> int:
    """The attempt number the claim stored: if_not_exists(attempts, 0) + 1 of the record it replaced."""
    attempts = None if previous is None else previous.get(ATTEMPTS)
    return (attempts if isinstance(attempts, int) and not isinstance(attempts, bool) else 0) + 1


def _for_readers(item: dict[str, Any]) -> dict[str, Any]:
    # The token is the claim's fencing secret; readers have no use for it.
    item.pop(LEASE_TOKEN, None)
    return item


def _why_lost(old: Mapping[str, Any] | None, claim: Claim) -> str:
    if old is None:
        return "the record no longer exists"
    if old.get(STATUS) == REOPENED:
        return f"{old.get(REOPENED_BY)!r} reopened the file ({old.get(REOPEN_REASON)}); it will be claimed anew"
    if old.get(LEASE_TOKEN) != claim.token:
        return (
            f"attempt {old.get(ATTEMPTS)} belongs to owner {old.get(OWNER)!r} "
            f"(status {old.get(STATUS)}); this claim was attempt {claim.attempt}"
        )
    return f"this claim already ended as {old.get(STATUS)}"
