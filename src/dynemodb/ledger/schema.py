"""Every assumption the ledger client makes about the table, in one place.

The Terraform module (module/dynemoDB) provisions the table; the integration harness compares these
constants with what the module builds, so a rename on either side fails a test instead of a pipeline.
"""

from __future__ import annotations

import hashlib
from typing import Any

# Key and TTL names the module uses by default; both are configurable on the module and on Ledger.
DEFAULT_HASH_KEY = "file_id"
DEFAULT_TTL_ATTRIBUTE = "expiration_time"
# File ids are strings (S3 URIs, paths). The module also offers N and B hash keys; the ledger needs S.
HASH_KEY_TYPE = "S"

# The optional audit index. Its partition key is sharded so one status (say COMPLETED, which is nearly
# every item) is spread over AUDIT_SHARDS partitions instead of becoming one hot partition.
AUDIT_INDEX_NAME = "audit-status-time"
AUDIT_SHARDS = 16

# Record states. A record is created IN_PROGRESS by a claim and ends COMPLETED or FAILED. REOPENED is
# set only by an operator's reopen(): claimable again, with its attempts counted afresh.
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"
FAILED = "FAILED"
REOPENED = "REOPENED"
# The states claims and their outcomes produce; the audit report also counts REOPENED.
STATUSES = (IN_PROGRESS, COMPLETED, FAILED)
ALL_STATUSES = (*STATUSES, REOPENED)

# Attribute names. status, updated_at and audit_pk are written by every state change because the audit
# index is keyed on audit_pk/updated_at and a write that forgot them would drop the item from the index.
STATUS = "status"
UPDATED_AT = "updated_at"
AUDIT_PK = "audit_pk"
OWNER = "owner"
LEASE_TOKEN = "lease_token"
LEASE_EXPIRES_AT = "lease_expires_at"
ATTEMPTS = "attempts"
LAST_ERROR = "last_error"
CLAIMED_AT = "claimed_at"
COMPLETED_AT = "completed_at"
FAILED_AT = "failed_at"
METADATA = "metadata"
# complete() moves `attempts` here. A COMPLETED record then has no `attempts`, so the single conditional
# write that claims it once it has expired counts from if_not_exists(attempts, 0): attempt 1, as for a
# file never seen, without a second write that DynamoDB's TTL sweeper could race (see conditions.py).
COMPLETED_ATTEMPT = "completed_attempt"
# The latest reopen(): who, why, when, the status and attempts the record had, and how many reopens.
# Top-level attributes rather than a map, because one UpdateExpression can copy the old status into a
# top-level attribute (if_not_exists(status, ...)) but not into a map it is also setting.
REOPENED_AT = "reopened_at"
REOPENED_BY = "reopened_by"
REOPEN_REASON = "reopen_reason"
REOPENED_FROM = "reopened_from"
REOPENED_ATTEMPTS = "reopened_attempts"
REOPEN_ID = "reopen_id"
REOPEN_COUNT = "reopen_count"

# The type each attribute is written with. DynamoDB refuses a write that gives an index key another type
# than the index's ("Type mismatch for Index Key"), so an index keyed on one of these with another type
# would fail the ledger's writes; module/dynemoDB/main.tf (ledger_attribute_types) holds a copy.
ATTRIBUTE_TYPES = {
    STATUS: "S",
    UPDATED_AT: "N",
    AUDIT_PK: "S",
    OWNER: "S",
    LEASE_TOKEN: "S",
    LEASE_EXPIRES_AT: "N",
    ATTEMPTS: "N",
    LAST_ERROR: "S",
    CLAIMED_AT: "N",
    COMPLETED_AT: "N",
    FAILED_AT: "N",
    METADATA: "M",
    COMPLETED_ATTEMPT: "N",
    REOPENED_AT: "N",
    REOPENED_BY: "S",
    REOPEN_REASON: "S",
    REOPENED_FROM: "S",
    REOPENED_ATTEMPTS: "N",
    REOPEN_ID: "S",
    REOPEN_COUNT: "N",
}
# The TTL attribute (named by the user) holds epoch seconds.
TTL_ATTRIBUTE_TYPE = "N"
LEDGER_ATTRIBUTES = frozenset(ATTRIBUTE_TYPES)

# The IAM actions each entry point calls: a copy of module/dynemoDB/access.tf, the contract the module
# grants, held equal to it by tests/unit/module/test_plan_invariants.py.
# claim/heartbeat/complete/fail and reopen use UpdateItem only, so nothing ever needs PutItem or DeleteItem.
# DescribeTable is called only after a request failed for a reason the table's shape explains (missing
# table, another key name or type), to say which; without it the error is still raised, less precisely.
WRITER_ACTIONS = frozenset(
    {"dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"}
)
READER_ACTIONS = frozenset({"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"})
# `python -m dynemodb.ledger reopen`: one conditional UpdateItem per file.
REOPEN_ACTIONS = frozenset({"dynamodb:UpdateItem", "dynamodb:DescribeTable"})
# `python -m dynemodb.ledger report` on a table with the audit index (the module's default).
REPORT_ACTIONS = frozenset({"dynamodb:DescribeTable", "dynamodb:Query"})
# ...and what it needs beyond that on a table without a usable audit index, where it falls back to Scan.
REPORT_SCAN_ACTIONS = REPORT_ACTIONS | {"dynamodb:Scan"}


def audit_shard(file_id: str) -> int:
    """The audit shard of a file: stable across processes and Python versions (unlike hash())."""
    return int(hashlib.sha256(file_id.encode()).hexdigest()[:8], 16) % AUDIT_SHARDS


def audit_partition(status: str, shard: int) -> str:
    """One of the AUDIT_SHARDS audit index partitions of `status`."""
    return f"{status}#{shard:02d}"


def audit_pk(status: str, file_id: str) -> str:
    """The audit index partition key for a record in `status`."""
    return audit_partition(status, audit_shard(file_id))


def table_definition(table_name: str, *, hash_key: str = DEFAULT_HASH_KEY, audit_index: bool = True) -> dict[str, Any]:
    """CreateTable arguments for a table shaped like the module's, for tests and local emulators.

    Production tables come from the Terraform module; this mirrors it so tests exercise the same shape.
    """
    attributes = [{"AttributeName": hash_key, "AttributeType": HASH_KEY_TYPE}]
    definition: dict[str, Any] = {
        "TableName": table_name,
        "KeySchema": [{"AttributeName": hash_key, "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": attributes,
    }
    if audit_index:
        attributes += [
            {"AttributeName": AUDIT_PK, "AttributeType": "S"},
            {"AttributeName": UPDATED_AT, "AttributeType": "N"},
        ]
        definition["GlobalSecondaryIndexes"] = [
            {
                "IndexName": AUDIT_INDEX_NAME,
                "KeySchema": [
                    {"AttributeName": AUDIT_PK, "KeyType": "HASH"},
                    {"AttributeName": UPDATED_AT, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    return definition


def ttl_specification(ttl_attribute: str = DEFAULT_TTL_ATTRIBUTE) -> dict[str, Any]:
    """UpdateTimeToLive arguments matching the module's TTL setting."""
    return {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": ttl_attribute}}
