"""The handle a worker holds while it processes a file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    """Proof of ownership of one attempt at one file.

    `token` is fresh for every claim() call, so two workers that pass the same `owner` label still
    cannot act on each other's attempts, and a retried write can recognise its own earlier success.
    """

    table_name: str
    file_id: str
    owner: str
    token: str
    attempt: int
    lease_expires_at: float
