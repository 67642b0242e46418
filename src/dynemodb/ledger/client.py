"""The DynamoDB client the ledger builds when the caller does not bring one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:  # types only (the typecheck extra): at runtime the client needs nothing but boto3
    from mypy_boto3_dynamodb import DynamoDBClient

# Standard mode retries throttling (ProvisionedThroughputExceeded, ThrottlingException) and transient
# network errors with jittered backoff. Legacy mode, the botocore default in many images, retries
# fewer error kinds. 10 attempts rides out a burst of throttling in a Glue job without giving up.
# total_max_attempts counts the first try; botocore's max_attempts counts only retries.
DEFAULT_RETRIES: Mapping[str, Any] = {"mode": "standard", "total_max_attempts": 10}


# botocore's default pool size; more only when more threads share the client.
DEFAULT_POOL_CONNECTIONS = 10


def default_client(
    retries: Mapping[str, Any] | None = None, *, max_pool_connections: int = 0, **client_kwargs: Any
) -> DynamoDBClient:
    """A DynamoDB client with the retry policy the ledger expects; `retries` is botocore's dict."""
    settings: Any = dict(retries if retries is not None else DEFAULT_RETRIES)  # botocore checks the keys
    config = Config(
        retries=settings,
        max_pool_connections=max(DEFAULT_POOL_CONNECTIONS, max_pool_connections),
    )
    client: DynamoDBClient = boto3.client("dynamodb", config=config, **client_kwargs)
    return client
