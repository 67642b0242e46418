"""dynemodb.ledger: process each file once, under retries, crashes and concurrency.

Imports only boto3 and the standard library, so it runs in a Glue job or a Lambda as is.
"""

from .claim import Claim
from .errors import LeaseLost, LedgerError, UnprocessedKeysExhausted
from .ledger import Ledger
from .schema import COMPLETED, FAILED, IN_PROGRESS

__all__ = [
    "COMPLETED",
    "FAILED",
    "IN_PROGRESS",
    "Claim",
    "LeaseLost",
    "Ledger",
    "LedgerError",
    "UnprocessedKeysExhausted",
]
