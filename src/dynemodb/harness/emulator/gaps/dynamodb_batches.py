"""How many requests a batch or transaction holds: where moto 5.2.5 draws the line elsewhere than DynamoDB."""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.dynamodb import responses
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

MAX_WRITES = 25
MAX_TRANSACTION_ACTIONS = 100

GAPS = (
    Gap(
        "batch-write-limits",
        "differs",
        "dynamodb:BatchWriteItem",
        "a batch holds at most 25 put or delete requests per table, and two of them may not name one item "
        "(ValidationException 'Provided list of item keys contains duplicates'); nothing of a refused batch is "
        "written. moto writes 26 requests, and a put and a delete of one item, in one batch.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html ('There are more "
        "than 25 requests in the batch', 'at least two items with identical hash and range keys'); AWS's answer to "
        "duplicates as reported in awslabs/aws-sdk-rust#1151 (the reason boto3's batch_writer has "
        "overwrite_by_pkeys), and the length constraint's wording as clients match it",
    ),
    Gap(
        "transact-get-items-hundred",
        "differs",
        "dynamodb:TransactGetItems",
        "a transaction reads up to 100 items; moto refuses more than 25 (the limit before 2022), with the "
        "length-constraint ValidationException DynamoDB gives past 100.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html (TransactItems: "
        "1 to 100 items)",
    ),
)

TOO_MANY = (
    "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy "
    "constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"
)


def _item_key(write: dict[str, Any], key_names: list[str]) -> str:
    request = write.get("PutRequest") or write.get("DeleteRequest") or {}
    attributes = request.get("Item") or request.get("Key") or {}
    return json.dumps([attributes.get(name) for name in key_names], sort_keys=True)


def _check_batch_write(handler: DynamoHandler) -> None:
    requests = (handler.body if isinstance(handler.body, dict) else {}).get("RequestItems") or {}
    if any(isinstance(writes, list) and len(writes) > MAX_WRITES for writes in requests.values()):
        raise MockValidationException(TOO_MANY)
    for table_name, writes in requests.items():
        try:
            table = handler.dynamodb_backend.get_table(table_name)
        except JsonRESTError:
            continue  # moto's own answer to a table that does not exist
        key_names = [name for name in (table.hash_key_attr, table.range_key_attr) if name]
        keys = [_item_key(write, key_names) for write in writes if isinstance(write, dict)]
        if len(set(keys)) < len(keys):
            raise MockValidationException("Provided list of item keys contains duplicates")


def install() -> None:
    # moto's TransactGetItems reads its limit from this module constant when a request comes in.
    responses.TRANSACTION_MAX_ITEMS = MAX_TRANSACTION_ACTIONS
    DynamoHandler.batch_write_item = checked_first(_check_batch_write, DynamoHandler.batch_write_item)  # type: ignore[method-assign]
