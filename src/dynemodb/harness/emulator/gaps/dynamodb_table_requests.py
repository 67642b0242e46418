"""CreateTable, UpdateTable and UpdateContinuousBackups requests DynamoDB refuses by their shape, which moto
5.2.5 carries out.

What one UpdateTable may combine, index throughput by the table's billing mode, index updates that name an
index the table has (or, for a new one, define its keys), and the point-in-time recovery period. The provider
sends each kind of change in its own call; these fills make the lifecycle tests prove it, instead of moto
applying whatever arrives together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.responses import DynamoHandler

from dynemodb.harness.emulator.gaps.registry import Gap, checked_first

API = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference"
CATALOGUE = (
    "aws-controllers-k8s' ack-api-quirks DDB-TABLE-442 (DynamoDB's ValidationException texts, mined from its "
    "evidence and run live in us-east-1 and us-west-2)"
)
INVALID = "One or more parameter values were invalid: "

GAPS = (
    Gap(
        "update-table-one-kind-of-change",
        "differs",
        "dynamodb:UpdateTable",
        "an UpdateTable changes something (else 'At least one of ProvisionedThroughput, BillingMode, ... is "
        "required'); a change of server-side encryption, of table class or of deletion protection is the only "
        "change of its call; and creating or deleting an index, changing the stream and changing the table's "
        "provisioned throughput are three different calls. moto applies whatever one call carries, and accepts "
        "a call that changes nothing.",
        f"{API}/API_UpdateTable.html ('You can only perform one of the following operations at once: Modify "
        "the provisioned throughput settings of the table. Remove a global secondary index from the table. "
        f"Create a new global secondary index on the table.'); {CATALOGUE}: 'Server-Side Encryption "
        "modification must be the only operation in the request' (live, beside DeletionProtectionEnabled), "
        "the same for TableClass and DeletionProtection, 'You cannot create or delete index while changing "
        "stream status', '... while updating table IOPS', 'You cannot modify stream status while updating "
        "table IOPS', and the 'At least one of ...' text (live)",
    ),
    Gap(
        "index-throughput-follows-billing",
        "differs",
        "dynamodb:CreateTable / UpdateTable",
        "under PROVISIONED billing every new global secondary index names its ProvisionedThroughput; under "
        "PAY_PER_REQUEST neither the table nor an index may (ValidationException); moto creates a provisioned "
        "index with 0 capacity units, and stores capacities an on-demand table and its indexes do not have.",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations "
        "('When you create a global secondary index on a provisioned mode table, you must specify read and "
        f"write capacity units'); {CATALOGUE} ('ProvisionedThroughput is not specified for index' (CreateTable), "
        "'... must be specified for index' (UpdateTable), '... should not be specified for index: <name> when "
        "BillingMode is PAY_PER_REQUEST' (CreateTable), 'Neither ReadCapacityUnits nor WriteCapacityUnits can "
        "be specified [for index: <name>] when BillingMode is PAY_PER_REQUEST' (UpdateTable, live)); AWS's "
        "answers quoted in awsdocs/amazon-dynamodb-developer-guide#246 and bchew/dynamodump#266",
    ),
    Gap(
        "index-updates-name-real-indexes",
        "differs",
        "dynamodb:UpdateTable (GlobalSecondaryIndexUpdates)",
        "an index is updated or deleted only if the table has it as a global secondary index, created only if "
        "it has none of that name, named by at most one update of a call, and created with its key attributes "
        "in the call's own AttributeDefinitions (ValidationException); moto creates an index over attributes "
        "it defines nowhere, and answers the other three with an internal error (HTTP 500, which clients and "
        "the provider retry).",
        f"{API}/API_UpdateTable.html (AttributeDefinitions: 'If you are adding a new global secondary index to "
        f"the table, AttributeDefinitions must include the key element(s) of the new index.'); {CATALOGUE} "
        "('Attempting to create an index which already exists', 'Cannot delete an index that is not a "
        "GlobalSecondaryIndex', 'Only one global secondary index update per index is allowed simultaneously', "
        "'AttributeDefinitions is not specified for index'); 'Invalid KeySchema: Some index key attribute have "
        "no definition' as AWS answered UpdateTable in alexdebrie/dynamodbguide.com#16; measured on DynamoDB "
        "(eu-west-2) in nubo-db/dynoxide#144",
    ),
    Gap(
        "index-projection-and-names",
        "differs",
        "dynamodb:CreateTable / UpdateTable (index Create)",
        "an INCLUDE projection names its NonKeyAttributes and an ALL or KEYS_ONLY one names none, and no two "
        "indexes of a CreateTable share a name (ValidationException); moto creates such indexes (two of one "
        "name become one).",
        f"{API}/API_Projection.html (NonKeyAttributes are the attributes an INCLUDE projection adds); the "
        "answers as dynalite's CreateTable validations give them ('ProjectionType is KEYS_ONLY, but "
        f"NonKeyAttributes is specified', 'Duplicate index name: <name>') and {CATALOGUE} ('ProjectionType is "
        "INCLUDE, but NonKeyAttributes is not specified')",
    ),
    Gap(
        "pitr-recovery-period",
        "differs",
        "dynamodb:UpdateContinuousBackups",
        "RecoveryPeriodInDays is 1 to 35 and is given only when turning point-in-time recovery on "
        "(ValidationException 'Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time "
        "recovery.'); moto stores any number, and turns recovery off whatever period the call names.",
        f"{API}/API_PointInTimeRecoverySpecification.html (RecoveryPeriodInDays: valid range 1 to 35); "
        f"{CATALOGUE} (the disabling text)",
    ),
)

_CHANGES = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)
# In the order AWS checks them: encryption beside deletion protection names encryption.
_ALONE = {
    "SSESpecification": "Server-Side Encryption",
    "TableClass": "TableClass",
    "DeletionProtectionEnabled": "DeletionProtection",
}
_NOTHING = (
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
    "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
    "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"
)


def _actions(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("Create" | "Update" | "Delete", its parameters) for each entry of GlobalSecondaryIndexUpdates."""
    for update in body.get("GlobalSecondaryIndexUpdates") or []:
        for action in ("Create", "Update", "Delete"):
            if isinstance((update or {}).get(action), dict):
                yield action, update[action]


def _repeated(names: list[Any]) -> Any:
    """The first name given more than once, or None."""
    return next((n for n in names if names.count(n) > 1), None)


def _check_one_kind(body: dict[str, Any]) -> None:
    given = [k for k in _CHANGES if body.get(k) is not None]
    if not given:
        raise MockValidationException(_NOTHING)
    for key, what in _ALONE.items():
        if key in given and len(given) > 1:
            raise MockValidationException(f"{INVALID}{what} modification must be the only operation in the request")
    index_change = any(action != "Update" for action, _ in _actions(body))
    stream, iops = "StreamSpecification" in given, "ProvisionedThroughput" in given
    for together, text in (
        (index_change and stream, "You cannot create or delete index while changing stream status"),
        (index_change and iops, "You cannot create or delete index while updating table IOPS"),
        (stream and iops, "You cannot modify stream status while updating table IOPS"),
    ):
        if together:
            raise MockValidationException(INVALID + text)


def _check_index_updates(body: dict[str, Any], table: Any) -> None:
    if twice := _repeated([spec.get("IndexName") for _, spec in _actions(body)]):
        raise MockValidationException(
            f"{INVALID}Only one global secondary index update per index is allowed simultaneously. Index: {twice}"
        )
    existing = {index.name for index in table.global_indexes}
    defined = {a.get("AttributeName") for a in body.get("AttributeDefinitions") or [] if isinstance(a, dict)}
    for action, spec in _actions(body):
        name = spec.get("IndexName")
        if action == "Create" and name in existing:
            raise MockValidationException("Attempting to create an index which already exists")
        if action != "Create" and name not in existing:
            raise MockValidationException(
                f"Cannot {action.lower()} an index that is not a GlobalSecondaryIndex: {name}"
            )
        keys = {k.get("AttributeName") for k in spec.get("KeySchema") or [] if isinstance(k, dict)}
        if action == "Create" and not body.get("AttributeDefinitions"):
            raise MockValidationException(f"{INVALID}AttributeDefinitions is not specified for index: {name}")
        if action == "Create" and not keys <= defined:
            raise MockValidationException("Invalid KeySchema: Some index key attribute have no definition")


def _check_projections(indexes: list[Any]) -> None:
    for index in indexes:
        projection = (index or {}).get("Projection") or {}
        kind, named = projection.get("ProjectionType"), projection.get("NonKeyAttributes") is not None
        if kind == "INCLUDE" and not named:
            raise MockValidationException(f"{INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
        if kind in ("ALL", "KEYS_ONLY") and named:
            raise MockValidationException(f"{INVALID}ProjectionType is {kind}, but NonKeyAttributes is specified")


def _check_update_throughput(body: dict[str, Any], table: Any) -> None:
    on_demand = (body.get("BillingMode") or table.billing_mode) == "PAY_PER_REQUEST"
    if on_demand and body.get("ProvisionedThroughput") is not None and not body.get("BillingMode"):
        raise MockValidationException(
            f"{INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
            "PAY_PER_REQUEST"
        )
    for action, spec in _actions(body):
        name, given = spec.get("IndexName"), spec.get("ProvisionedThroughput") is not None
        if on_demand and given:
            raise MockValidationException(
                f"{INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: {name} when "
                "BillingMode is PAY_PER_REQUEST"
            )
        if not on_demand and action == "Create" and not given:
            raise MockValidationException(f"{INVALID}ProvisionedThroughput must be specified for index: {name}")


def _check_update_table(handler: DynamoHandler) -> None:
    body = handler.body
    _check_one_kind(body)
    table = handler.dynamodb_backend.get_table(body["TableName"])
    _check_index_updates(body, table)
    _check_projections([spec for action, spec in _actions(body) if action == "Create"])
    _check_update_throughput(body, table)


def _check_create_table(handler: DynamoHandler) -> None:
    body = handler.body
    indexes = [*(body.get("GlobalSecondaryIndexes") or []), *(body.get("LocalSecondaryIndexes") or [])]
    if twice := _repeated([(index or {}).get("IndexName") for index in indexes]):
        raise MockValidationException(f"{INVALID}Duplicate index name: {twice}")
    _check_projections(indexes)
    on_demand = body.get("BillingMode") == "PAY_PER_REQUEST"
    for index in body.get("GlobalSecondaryIndexes") or []:
        name, given = (index or {}).get("IndexName"), (index or {}).get("ProvisionedThroughput") is not None
        if on_demand and given:
            raise MockValidationException(
                f"{INVALID}ProvisionedThroughput should not be specified for index: {name} when BillingMode is "
                "PAY_PER_REQUEST"
            )
        if not on_demand and not given:
            raise MockValidationException(f"{INVALID}ProvisionedThroughput is not specified for index: {name}")


def _check_recovery_period(handler: DynamoHandler) -> None:
    spec = handler.body.get("PointInTimeRecoverySpecification") or {}
    days = spec.get("RecoveryPeriodInDays")
    if days is None:
        return
    if not spec.get("PointInTimeRecoveryEnabled"):
        raise MockValidationException(
            "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."
        )
    if isinstance(days, int) and not 1 <= days <= 35:
        bound = "greater than or equal to 1" if days < 1 else "less than or equal to 35"
        raise MockValidationException(
            f"1 validation error detected: Value '{days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
            f"failed to satisfy constraint: Member must have value {bound}"
        )


def install() -> None:
    """Before dynamodb_tables.install: its checks (names first, as AWS validates shapes first) run before these."""
    handler = DynamoHandler
    handler.update_table = checked_first(_check_update_table, handler.update_table)  # type: ignore[method-assign]
    handler.create_table = checked_first(_check_create_table, handler.create_table)  # type: ignore[method-assign]
    handler.update_continuous_backups = checked_first(  # type: ignore[method-assign]
        _check_recovery_period, handler.update_continuous_backups
    )
