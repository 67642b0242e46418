"""The ledger client: claim, heartbeat, complete and fail files; read what is done."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from . import validation, values, writes
from .batch import batch_get
from .claim import Claim
from .client import default_client
from .conditions import is_claimable, is_expired
from .errors import LeaseLost
from .schema import (
    ATTEMPTS,
    COMPLETED,
    DEFAULT_HASH_KEY,
    DEFAULT_TTL_ATTRIBUTE,
    FAILED,
    IN_PROGRESS,
    LEASE_EXPIRES_AT,
    LEASE_TOKEN,
    OWNER,
    STATUS,
)

MAX_ERROR_CHARS = 4000

# What unprocessed() needs to decide claimability; projecting it keeps batch reads small.
_CLAIMABILITY_NAMES = ("#k", "#st", "#lease", "#att", "#ttl")


def _default_owner() -> str:
    # A label for audits ("which host holds this lease?"); the per-claim token is what fences.
    return f"{socket.gethostname()}:{os.getpid()}"


class Ledger:
    """Idempotent processing of files recorded in a DynamoDB table.

    Every state change is one conditional UpdateItem; see writes.py for the requests and
    conditions.py for when a file may be claimed.

    Options beyond the table's shape (hash_key, ttl_attribute): retention_days sets the TTL written on
    completion; lease_seconds is how long a claim excludes others without a heartbeat; max_attempts
    caps claims per file (a crash counts); clock returns epoch seconds; retries is botocore's retry
    dict for the client built when none is passed; consistent_reads applies to get() and
    unprocessed(); sleep waits between UnprocessedKeys retries (tests pass a recorder).
    """

    def __init__(
        self,
        table_name: str,
        *,
        client: Any = None,
        hash_key: str = DEFAULT_HASH_KEY,
        ttl_attribute: str = DEFAULT_TTL_ATTRIBUTE,
        retention_days: float | None = None,
        lease_seconds: float = 900,
        max_attempts: int = 3,
        clock: Callable[[], float] = time.time,
        retries: Mapping[str, Any] | None = None,
        consistent_reads: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.table_name = validation.name(table_name, "table_name")
        self.hash_key = validation.attribute_name(hash_key, "hash_key")
        self.ttl_attribute = validation.attribute_name(ttl_attribute, "ttl_attribute", taken={hash_key})
        self.retention_days = validation.optional_positive_number(retention_days, "retention_days", "90")
        self.lease_seconds = validation.positive_number(lease_seconds, "lease_seconds", "900")
        self.max_attempts = validation.positive_int(max_attempts, "max_attempts", "3")
        self._clock = validation.callable_(clock, "clock", "time.time")
        self._sleep = validation.callable_(sleep, "sleep", "time.sleep")
        if client is not None and retries is not None:
            raise ValueError(
                "retries configures the client the ledger builds; with your own client, set "
                "botocore.config.Config(retries=...) on it instead"
            )
        self.client = client if client is not None else default_client(retries)
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
        """A Claim on the file, or None when it is completed, leased by a live claim, or out of attempts."""
        file_id = validation.file_id(file_id)
        owner = validation.owner(owner) or _default_owner()
        # Generated before the request so botocore's retries resend the same token: that is what lets
        # a retry recognise that its first attempt already took the file.
        token = uuid.uuid4().hex
        now = self._now()
        lease = now + self.lease_seconds
        request = writes.claim(
            self._table,
            file_id,
            owner=owner,
            token=token,
            now=now,
            lease_expires_at=lease,
            max_attempts=self.max_attempts,
        )
        granted, item = self._update(request)
        if not granted and item is not None and is_expired(item, self.ttl_attribute, now):
            request = writes.reclaim_expired(
                self._table, file_id, owner=owner, token=token, now=now, lease_expires_at=lease
            )
            granted, item = self._update(request)
        if item is not None and (granted or self._is_own_write(item, token, IN_PROGRESS)):
            return self._claim_from(file_id, item)
        return None

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

        Completing an already completed claim again is a no-op that keeps the first metadata.
        """
        claim = self._check_claim(claim)
        attributes = {name: values.to_attribute(name, value) for name, value in metadata.items()}
        now = self._now()
        expires_at = None if self.retention_days is None else now + self.retention_days * values.SECONDS_PER_DAY
        request = writes.complete(
            self._table, claim.file_id, token=claim.token, now=now, metadata=attributes, expires_at=expires_at
        )
        self._owner_write(claim, request, COMPLETED)

    def fail(self, claim: Claim, error: BaseException | str) -> None:
        """Record the failure; the file can be claimed again until it has had max_attempts attempts."""
        claim = self._check_claim(claim)
        text = validation.error_text(error, MAX_ERROR_CHARS)
        request = writes.fail(self._table, claim.file_id, token=claim.token, now=self._now(), error=text)
        self._owner_write(claim, request, FAILED)

    # -- reads ---------------------------------------------------------------------------------

    def get(self, file_id: str) -> dict[str, Any] | None:
        """The file's record as plain Python, or None when absent or past its expiration time."""
        file_id = validation.file_id(file_id)
        response = self.client.get_item(
            TableName=self.table_name, Key=self._table.key(file_id), ConsistentRead=self.consistent_reads
        )
        if "Item" not in response:
            return None
        item = values.to_python(response["Item"])
        if is_expired(item, self.ttl_attribute, self._now()):
            return None
        # The token is the claim's fencing secret; readers have no use for it.
        item.pop(LEASE_TOKEN, None)
        return item

    def unprocessed(self, file_ids: Iterable[str]) -> list[str]:
        """The ids a claim would succeed for now, in input order without duplicates.

        One BatchGetItem per 100 distinct ids (plus retries of unprocessed keys), never a GetItem per id.
        """
        ids = validation.file_ids(file_ids)
        if not ids:
            return []
        names = {k: v for k, v in self._table.names().items() if k in _CLAIMABILITY_NAMES}
        raw = batch_get(
            self.client,
            self.table_name,
            [self._table.key(file_id) for file_id in ids],
            projection=", ".join(_CLAIMABILITY_NAMES),
            names=names,
            consistent=self.consistent_reads,
            sleep=self._sleep,
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

    def _now(self) -> float:
        now = self._clock()
        if not isinstance(now, int | float) or isinstance(now, bool):
            raise ValueError(f"clock must return epoch seconds as a number, returned {now!r}")
        # Rounded as stored, so the Python predicates and the DynamoDB conditions compare the same value.
        return round(float(now), 3)

    def _update(self, request: dict[str, Any]) -> tuple[bool, dict[str, Any] | None]:
        """(True, new item) when the write happened, (False, old item or None) when its condition failed."""
        try:
            response = self.client.update_item(**request)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            old = exc.response.get("Item")
            return False, None if old is None else values.to_python(old)
        return True, values.to_python(response.get("Attributes", {}))

    @staticmethod
    def _is_own_write(item: Mapping[str, Any], token: str, status: str) -> bool:
        # A condition that failed because our own earlier attempt already made this change: botocore
        # resent a write whose first response was lost (timeout, connection reset).
        return item.get(LEASE_TOKEN) == token and item.get(STATUS) == status

    def _owner_write(self, claim: Claim, request: dict[str, Any], target_status: str) -> None:
        done, old = self._update(request)
        if done or (old is not None and self._is_own_write(old, claim.token, target_status)):
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


def _why_lost(old: Mapping[str, Any] | None, claim: Claim) -> str:
    if old is None:
        return "the record no longer exists"
    if old.get(LEASE_TOKEN) != claim.token:
        return (
            f"attempt {old.get(ATTEMPTS)} belongs to owner {old.get(OWNER)!r} "
            f"(status {old.get(STATUS)}); this claim was attempt {claim.attempt}"
        )
    return f"this claim already ended as {old.get(STATUS)}"
