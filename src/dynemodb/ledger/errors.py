"""Exceptions the ledger raises on purpose (bad input is ValueError; AWS errors are botocore's)."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class for ledger failures that are not bad input."""


class LeaseLost(LedgerError):
    """The claim is no longer the file's owner: another worker reclaimed it, or the claim already ended.

    The work done under the lost claim must not be published as the file's result.
    """

    def __init__(self, file_id: str, reason: str) -> None:
        super().__init__(f"lease on {file_id!r} lost: {reason}")
        self.file_id = file_id
        self.reason = reason


class UnprocessedKeysExhausted(LedgerError):
    """BatchGetItem kept returning the same keys unread; the table is throttled beyond our patience."""


class TableNotFound(LedgerError):
    """The table does not exist in this account and region (or the endpoint is not the one meant)."""


class TableMismatch(LedgerError):
    """The table exists but is not shaped like a ledger: another hash key name or type, a sort key, or an
    index keyed on a ledger attribute with another type than the ledger writes it with."""


class ReopenRefused(LedgerError):
    """reopen() would not change anything safely: no record, or a live claim holds the file."""

    def __init__(self, file_id: str, reason: str) -> None:
        super().__init__(f"cannot reopen {file_id!r}: {reason}")
        self.file_id = file_id
        self.reason = reason
