"""dynemodb.ledger: process each file once, under retries, crashes and concurrency.

Imports only boto3 and the standard library, so it runs in a Glue job or a Lambda as is.
"""

from .claim import Claim
from .errors import (
    LeaseLost,
    LedgerError,
    ReopenRefused,
    TableMismatch,
    TableNotFound,
    UnprocessedKeysExhausted,
)
from .events import from_s3_event
from .identity import S3Object, parse_s3_file_id, s3_file_id
from .ledger import Ledger
from .schema import COMPLETED, FAILED, IN_PROGRESS, REOPENED

__all__ = [
    "COMPLETED",
    "FAILED",
    "IN_PROGRESS",
    "REOPENED",
    "Claim",
    "LeaseLost",
    "Ledger",
    "LedgerError",
    "ReopenRefused",
    "S3Object",
    "TableMismatch",
    "TableNotFound",
    "UnprocessedKeysExhausted",
    "from_s3_event",
    "parse_s3_file_id",
    "s3_file_id",
]
