"""One request per emulator fidelity gap: what AWS refuses, and the error it answers with.

Each probe runs on a fresh table (`pk` string key, index `by-g` on `g`, 5/5 provisioned capacity), first
making its `setup` calls and then the `call` under test. test_moto_fidelity.py sends it to plain moto
(which must still accept it: else the fill is obsolete) and to the harness's filled server (which must
answer with AWS's error code and a message containing `message`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

ACCOUNT = "123456789012"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"


@dataclass(frozen=True)
class Probe:
    gap: str
    name: str
    service: str
    call: tuple[str, dict[str, Any]]
    code: str
    message: str
    setup: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


def _ttl(enabled: bool, name: str = "expiration_time") -> tuple[str, dict[str, Any]]:
    spec = {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": name}}
    return "update_time_to_live", {"TableName": "{table}", **spec}


def nested_map(wraps: int) -> dict[str, Any]:
    """A string inside ``wraps`` single-key maps: DynamoDB takes up to 31 (the attribute is level 1 of 32)."""
    value: dict[str, Any] = {"S": "leaf"}
    for _ in range(wraps):
        value = {"M": {"n": value}}
    return value


def _update(expression: str, value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "update_item", {
        "TableName": "{table}",
        "Key": {"pk": {"S": "f1"}},
        "UpdateExpression": expression,
        "ExpressionAttributeValues": {":v": value},
    }


def _setting_g(value: dict[str, Any]) -> dict[str, Any]:
    """UpdateItem parameters that set the index key g by a placeholder, as the ledger names attributes."""
    return {**_update("SET #g = :v", value)[1], "ExpressionAttributeNames": {"#g": "g"}}


def _transaction_setting_g(value: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A put of another item, then the update of _setting_g, in one transaction."""
    put = {"Put": {"TableName": "{table}", "Item": {"pk": {"S": "f0"}}}}
    return "transact_write_items", {"TransactItems": [put, {"Update": _setting_g(value)}]}


def _stream(enabled: bool, view_type: str | None = None) -> tuple[str, dict[str, Any]]:
    spec = {"StreamEnabled": enabled, **({"StreamViewType": view_type} if view_type else {})}
    return "update_table", {"TableName": "{table}", "StreamSpecification": spec}


def _alarm(**extra: Any) -> tuple[str, dict[str, Any]]:
    return "put_metric_alarm", {
        "AlarmName": "{table}-alarm",
        "Namespace": "AWS/DynamoDB",
        "MetricName": "ReadThrottleEvents",
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanThreshold",
        **extra,
    }


_TARGET = {"ServiceNamespace": "dynamodb", "ResourceId": "table/{table}"}
_READ = {**_TARGET, "ScalableDimension": "dynamodb:table:ReadCapacityUnits"}


def _read_policy(target: float) -> tuple[str, dict[str, Any]]:
    """A target-tracking policy on the table's read capacity at ``target`` percent."""
    return "put_scaling_policy", {
        **_READ,
        "PolicyName": "{table}-read",
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": target,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBReadCapacityUtilization"},
        },
    }


_TABLE_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{{table}}"
_GSI = {"IndexName": "{table}-h", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}]}
_NEW_INDEXES = [
    {"Create": {**_GSI, "Projection": {"ProjectionType": "ALL"}}},
    {"Create": {**_GSI, "IndexName": "{table}-i", "Projection": {"ProjectionType": "ALL"}}},
]


def _capacity(read: int, write: int = 5) -> tuple[str, dict[str, Any]]:
    capacity = {"ReadCapacityUnits": read, "WriteCapacityUnits": write}
    return "update_table", {"TableName": "{table}", "ProvisionedThroughput": capacity}


def create_table_call(name: str) -> tuple[str, dict[str, Any]]:
    """CreateTable of an on-demand table keyed by the string pk."""
    return "create_table", {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


_MISSING_KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"
_SSE_MISSING_KEY = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": _MISSING_KEY}
FOUR_DECREASES = tuple(_capacity(read) for read in (4, 3, 2, 1))
_MISTYPED_ITEM = {"pk": {"S": "f1"}, "g": {"N": "1"}}  # index by-g keys g as a string
_ON_DEMAND = ("update_table", {"TableName": "{table}", "BillingMode": "PAY_PER_REQUEST"})
_CAPACITY = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
_PROVISIONED = (
    "update_table",
    {
        "TableName": "{table}",
        "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": _CAPACITY,
        "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by-g", "ProvisionedThroughput": _CAPACITY}}],
    },
)


def _table_class(table_class: str) -> tuple[str, dict[str, Any]]:
    return "update_table", {"TableName": "{table}", "TableClass": table_class}


_H = [{"AttributeName": "h", "AttributeType": "S"}]
_INDEX_H = {**_GSI, "Projection": {"ProjectionType": "ALL"}}  # {table}-h on h
_BY_G = {"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}


def _recovery(enabled: bool, days: int | None = None) -> tuple[str, dict[str, Any]]:
    spec = {"PointInTimeRecoveryEnabled": enabled, **({"RecoveryPeriodInDays": days} if days else {})}
    return "update_continuous_backups", {"TableName": "{table}", "PointInTimeRecoverySpecification": spec}


def _resource_policy(*statements: dict[str, Any], text: str | None = None) -> tuple[str, dict[str, Any]]:
    """PutResourcePolicy on the table: ``statements`` as a policy document, or ``text`` as it is."""
    document = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return "put_resource_policy", {"ResourceArn": _TABLE_ARN, "Policy": document if text is None else text}


def _grant(**changes: Any) -> dict[str, Any]:
    """A statement allowing one role GetItem on the table, with ``changes``."""
    role = f"arn:aws:iam::{ACCOUNT}:role/ingest"
    return {
        "Effect": "Allow",
        "Principal": {"AWS": role},
        "Action": "dynamodb:GetItem",
        "Resource": _TABLE_ARN,
        **changes,
    }


def _table_update(**changes: Any) -> tuple[str, dict[str, Any]]:
    return "update_table", {"TableName": "{table}", **changes}


def _index_updates(*updates: dict[str, Any], **changes: Any) -> tuple[str, dict[str, Any]]:
    return _table_update(GlobalSecondaryIndexUpdates=list(updates), **changes)


def _create_with_index(billing: str, **index: Any) -> tuple[str, dict[str, Any]]:
    """CreateTable of {table}-x with the global secondary index by-g, under ``billing``."""
    _, table = create_table_call("{table}-x")
    return "create_table", {
        **table,
        "BillingMode": billing,
        **({"ProvisionedThroughput": _CAPACITY} if billing == "PROVISIONED" else {}),
        "AttributeDefinitions": [*table["AttributeDefinitions"], {"AttributeName": "g", "AttributeType": "S"}],
        "GlobalSecondaryIndexes": [{**_BY_G, "Projection": {"ProjectionType": "ALL"}, **index}],
    }


_UNUSED = {":unused": {"S": "x"}}
_F1 = {"pk": {"S": "f1"}}


def _put_if(condition: str | None, **placeholders: Any) -> tuple[str, dict[str, Any]]:
    """A PutItem of item f1 under ``condition`` (None: no condition), with the placeholder maps given."""
    given = {"ConditionExpression": condition} if condition else {}
    return "put_item", {"TableName": "{table}", "Item": _F1, **given, **placeholders}


# True on any item, and 4,097 bytes long: one byte over DynamoDB's limit.
_LONG_FILTER = "attribute_not_exists(" + "x" * 4075 + ")"


def _query(**extra: Any) -> tuple[str, dict[str, Any]]:
    values = {":k": {"S": "f1"}, **extra.pop("values", {})}
    return "query", {
        "TableName": "{table}",
        "KeyConditionExpression": "pk = :k",
        "ExpressionAttributeValues": values,
        **extra,
    }


PROBES = (
    Probe(
        "ttl-attribute-name-length",
        "disable with an empty name",
        "dynamodb",
        _ttl(False, ""),
        "ValidationException",
        "Member must have length greater than or equal to 1",
        (_ttl(True),),
    ),
    Probe(
        "ttl-attribute-name-length",
        "enable with 256 characters",
        "dynamodb",
        _ttl(True, "a" * 256),
        "ValidationException",
        "Member must have length less than or equal to 255",
    ),
    Probe(
        "ttl-already-in-state",
        "disable a disabled TTL",
        "dynamodb",
        _ttl(False),
        "ValidationException",
        "TimeToLive is already disabled",
    ),
    Probe(
        "ttl-already-in-state",
        "enable an enabled TTL",
        "dynamodb",
        _ttl(True),
        "ValidationException",
        "TimeToLive is already enabled",
        (_ttl(True),),
    ),
    Probe(
        "ttl-already-in-state",
        "enable on another attribute",
        "dynamodb",
        _ttl(True, "other"),
        "ValidationException",
        "TimeToLive is active on a different AttributeName",
        (_ttl(True),),
    ),
    Probe(
        "ttl-one-change-per-hour",
        "disable right after enabling",
        "dynamodb",
        _ttl(False),
        "ValidationException",
        "modified multiple times within a fixed interval",
        (_ttl(True),),
    ),
    Probe(
        "provisioned-needs-throughput",
        "back to PROVISIONED without capacity",
        "dynamodb",
        ("update_table", {"TableName": "{table}", "BillingMode": "PROVISIONED"}),
        "ValidationException",
        "ProvisionedThroughput must be specified",
        (("update_table", {"TableName": "{table}", "BillingMode": "PAY_PER_REQUEST"}),),
    ),
    Probe(
        "provisioned-needs-throughput",
        "back to PROVISIONED without index capacity",
        "dynamodb",
        (
            "update_table",
            {
                "TableName": "{table}",
                "BillingMode": "PROVISIONED",
                "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            },
        ),
        "ValidationException",
        "ProvisionedThroughput must be specified for index: by-g",
        (("update_table", {"TableName": "{table}", "BillingMode": "PAY_PER_REQUEST"}),),
    ),
    Probe(
        "on-demand-four-switches-per-day",
        "a fifth switch to PAY_PER_REQUEST within 24 hours",
        "dynamodb",
        _ON_DEMAND,
        "LimitExceededException",
        "Update to PayPerRequest mode are limited to 4 times in 1 day(s)",
        (_ON_DEMAND, _PROVISIONED) * 4,
    ),
    Probe(
        "table-class-two-updates-per-30-days",
        "a third table class change within 30 days",
        "dynamodb",
        _table_class("STANDARD_INFREQUENT_ACCESS"),
        "LimitExceededException",
        "can be updated at most 2 times in a 30-day trailing period",
        (_table_class("STANDARD_INFREQUENT_ACCESS"), _table_class("STANDARD")),
    ),
    Probe(
        "tag-resource-table-exists",
        "tagging a table that does not exist",
        "dynamodb",
        ("tag_resource", {"ResourceArn": f"{_TABLE_ARN}-missing", "Tags": [{"Key": "team", "Value": "ingest"}]}),
        "ResourceNotFoundException",
        "Requested resource not found",
    ),
    Probe(
        "tag-resource-table-exists",
        "untagging a table that does not exist",
        "dynamodb",
        ("untag_resource", {"ResourceArn": f"{_TABLE_ARN}-missing", "TagKeys": ["team"]}),
        "ResourceNotFoundException",
        "Requested resource not found",
    ),
    Probe(
        "stream-specification",
        "disable a table without a stream",
        "dynamodb",
        _stream(False),
        "ValidationException",
        "Table has no stream to disable",
    ),
    Probe(
        "stream-specification",
        "disable naming a view type",
        "dynamodb",
        _stream(False, "KEYS_ONLY"),
        "ValidationException",
        "If stream is being disabled, then UpdateViewType must not be specified",
    ),
    Probe(
        "one-index-change-per-update",
        "two new indexes in one call",
        "dynamodb",
        (
            "update_table",
            {
                "TableName": "{table}",
                "GlobalSecondaryIndexUpdates": _NEW_INDEXES,
                "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"}],
            },
        ),
        "LimitExceededException",
        "Only 1 online index can be created or deleted",
    ),
    Probe(
        "number-precision-and-range",
        "39 significant digits",
        "dynamodb",
        _update("SET n = :v", {"N": "1" * 39}),
        "ValidationException",
        "more than 38 significant digits",
    ),
    Probe(
        "number-precision-and-range",
        "1E+126",
        "dynamodb",
        _update("SET n = :v", {"N": "1E+126"}),
        "ValidationException",
        "Number overflow",
    ),
    Probe(
        "number-precision-and-range",
        "a 39-digit number in a map",
        "dynamodb",
        _update("SET m = :v", {"M": {"rows": {"N": "9" * 39}}}),
        "ValidationException",
        "38 significant digits",
    ),
    Probe(
        "empty-sets",
        "empty string set as an update value",
        "dynamodb",
        _update("SET s = :v", {"SS": []}),
        "ValidationException",
        "An string set  may not be empty",
    ),
    Probe(
        "set-members-distinct",
        "a string set naming one member twice",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}, "s": {"SS": ["a", "a"]}}}),
        "ValidationException",
        "Input collection [a, a] contains duplicates.",
    ),
    Probe(
        "set-members-distinct",
        "a number set naming 1 and 1.0, in a map",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}, "m": {"M": {"n": {"NS": ["1", "1.0"]}}}}}),
        "ValidationException",
        "Input collection contains duplicates",
    ),
    Probe(
        "set-members-distinct",
        "a binary set as an update value",
        "dynamodb",
        _update("ADD b :v", {"BS": ["Yg==", "Yg=="]}),
        "ValidationException",
        "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input "
        "collection [Yg==, Yg==]of type BS contains duplicates. for key :v",
    ),
    Probe(
        "nesting-depth-32",
        "an item with a value 33 levels deep",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}, "d": nested_map(32)}}),
        "ValidationException",
        "Nesting Levels have exceeded supported limits",
    ),
    Probe(
        "nesting-depth-32",
        "an update value 33 levels deep",
        "dynamodb",
        _update("SET d = :v", nested_map(32)),
        "ValidationException",
        "Nesting Levels have exceeded supported limits",
    ),
    Probe(
        "key-size-on-reads",
        "GetItem of a 2049-byte key",
        "dynamodb",
        ("get_item", {"TableName": "{table}", "Key": {"pk": {"S": "k" * 2049}}}),
        "ValidationException",
        "Size of hashkey has exceeded the maximum size limit of2048 bytes",
    ),
    Probe(
        "key-size-on-reads",
        "BatchGetItem of a 2049-byte key",
        "dynamodb",
        ("batch_get_item", {"RequestItems": {"{table}": {"Keys": [{"pk": {"S": "k" * 2049}}]}}}),
        "ValidationException",
        "Size of hashkey has exceeded",
    ),
    Probe(
        "key-type-on-reads",
        "GetItem of a number key on a string-keyed table",
        "dynamodb",
        ("get_item", {"TableName": "{table}", "Key": {"pk": {"N": "1"}}}),
        "ValidationException",
        "The provided key element does not match the schema",
    ),
    Probe(
        "key-type-on-reads",
        "BatchGetItem of a number key on a string-keyed table",
        "dynamodb",
        ("batch_get_item", {"RequestItems": {"{table}": {"Keys": [{"pk": {"N": "1"}}]}}}),
        "ValidationException",
        "The provided key element does not match the schema",
    ),
    Probe(
        "index-key-types-on-writes",
        "PutItem of a number where the index keys a string",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": _MISTYPED_ITEM}),
        "ValidationException",
        "Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g",
    ),
    Probe(
        "index-key-types-on-writes",
        "UpdateItem setting the index key, named by a placeholder, to a number",
        "dynamodb",
        ("update_item", _setting_g({"N": "1"})),
        "ValidationException",
        "Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g",
    ),
    Probe(
        "index-key-types-on-writes",
        "TransactWriteItems updating the index key, named by a placeholder, to a number",
        "dynamodb",
        _transaction_setting_g({"N": "1"}),
        "TransactionCanceledException",
        "[None, ValidationError]",
    ),
    Probe(
        "index-key-types-on-writes",
        "BatchWriteItem putting a number index key",
        "dynamodb",
        (
            "batch_write_item",
            {"RequestItems": {"{table}": [{"PutRequest": {"Item": _MISTYPED_ITEM}}]}},
        ),
        "ValidationException",
        "Type mismatch for Index Key g",
    ),
    Probe(
        "index-key-types-on-writes",
        "TransactWriteItems putting a number index key",
        "dynamodb",
        ("transact_write_items", {"TransactItems": [{"Put": {"TableName": "{table}", "Item": _MISTYPED_ITEM}}]}),
        "TransactionCanceledException",
        "[ValidationError]",
    ),
    Probe(
        "index-key-values-on-updates",
        "UpdateItem setting the index key, named by a placeholder, to an empty string",
        "dynamodb",
        ("update_item", _setting_g({"S": ""})),
        "ValidationException",
        "The update expression attempted to update a secondary index key to a value that is not supported. The "
        "AttributeValue for a key attribute cannot contain an empty string value.",
    ),
    Probe(
        "index-key-values-on-updates",
        "UpdateItem setting the index key to 2049 bytes",
        "dynamodb",
        _update("SET g = :v", {"S": "g" * 2049}),
        "ValidationException",
        "Size of hashkey has exceeded the maximum size limit of2048 bytes",
    ),
    Probe(
        "index-key-values-on-updates",
        "TransactWriteItems updating the index key, named by a placeholder, to an empty string",
        "dynamodb",
        _transaction_setting_g({"S": ""}),
        "ValidationException",
        "cannot contain an empty string value",
    ),
    Probe(
        "expression-values-used",
        "PutItem with a value its condition does not use",
        "dynamodb",
        _put_if("attribute_not_exists(pk)", ExpressionAttributeValues=_UNUSED),
        "ValidationException",
        "1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: "
        "{:unused}",
    ),
    Probe(
        "expression-values-used",
        "PutItem with values and no condition",
        "dynamodb",
        _put_if(None, ExpressionAttributeValues=_UNUSED),
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
    ),
    Probe(
        "expression-values-used",
        "DeleteItem with a value its condition does not use",
        "dynamodb",
        (
            "delete_item",
            {
                "TableName": "{table}",
                "Key": _F1,
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": _UNUSED,
            },
        ),
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
        (_put_if(None),),
    ),
    Probe(
        "expression-values-used",
        "Query with a value no expression uses",
        "dynamodb",
        _query(values=_UNUSED),
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    ),
    Probe(
        "expression-values-used",
        "Query with empty ExpressionAttributeNames",
        "dynamodb",
        _query(ExpressionAttributeNames={}),
        "ValidationException",
        "ExpressionAttributeNames must not be empty",
    ),
    Probe(
        "expression-values-used",
        "Scan with values and no filter",
        "dynamodb",
        ("scan", {"TableName": "{table}", "ExpressionAttributeValues": _UNUSED}),
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null",
    ),
    Probe(
        "expression-values-used",
        "TransactWriteItems putting with a value its condition does not use",
        "dynamodb",
        (
            "transact_write_items",
            {"TransactItems": [{"Put": _put_if("attribute_not_exists(pk)", ExpressionAttributeValues=_UNUSED)[1]}]},
        ),
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    ),
    Probe(
        "expression-values-used",
        "TransactGetItems with a name its projection does not use",
        "dynamodb",
        (
            "transact_get_items",
            {
                "TransactItems": [
                    {
                        "Get": {
                            "TableName": "{table}",
                            "Key": _F1,
                            "ProjectionExpression": "pk",
                            "ExpressionAttributeNames": {"#unused": "g"},
                        }
                    }
                ]
            },
        ),
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
    ),
    Probe(
        "function-operand-types",
        "Scan filtering begins_with a number",
        "dynamodb",
        (
            "scan",
            {
                "TableName": "{table}",
                "FilterExpression": "begins_with(g, :n)",
                "ExpressionAttributeValues": {":n": {"N": "1"}},
            },
        ),
        "ValidationException",
        "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, "
        "operand type: N",
    ),
    Probe(
        "function-operand-types",
        "PutItem under attribute_type with a type name DynamoDB does not have",
        "dynamodb",
        _put_if("attribute_not_exists(pk) OR attribute_type(g, :t)", ExpressionAttributeValues={":t": {"S": "NUMBER"}}),
        "ValidationException",
        "Invalid ConditionExpression: Invalid attribute type name found; type: NUMBER",
    ),
    Probe(
        "key-condition-operators",
        "two conditions on the partition key",
        "dynamodb",
        _query(KeyConditionExpression="pk = :k AND pk = :j", values={":j": {"S": "f2"}}),
        "ValidationException",
        "KeyConditionExpressions must only contain one condition per key",
    ),
    Probe(
        "exclusive-start-key-matches-schema",
        "a Scan from a start key that names an attribute besides the key",
        "dynamodb",
        ("scan", {"TableName": "{table}", "ExclusiveStartKey": {"pk": {"S": "f1"}, "z": {"S": "1"}}}),
        "ValidationException",
        "The provided starting key is invalid: The provided key element does not match the schema",
    ),
    Probe(
        "expression-operators-300",
        "a filter of 151 comparisons joined by 150 ORs",
        "dynamodb",
        (
            "scan",
            {
                "TableName": "{table}",
                "FilterExpression": " OR ".join(["h < :v"] * 151),
                "ExpressionAttributeValues": {":v": {"N": "1"}},
            },
        ),
        "ValidationException",
        "Invalid FilterExpression: The expression contains too many operators; operator count: 301",
    ),
    Probe(
        "expression-size-4-kb",
        "a 4,097-byte filter",
        "dynamodb",
        ("scan", {"TableName": "{table}", "FilterExpression": _LONG_FILTER}),
        "ValidationException",
        "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4097",
    ),
    Probe(
        "expression-size-4-kb",
        "a 4,097-byte condition in a transaction",
        "dynamodb",
        (
            "transact_write_items",
            {
                "TransactItems": [
                    {"Put": {"TableName": "{table}", "Item": {"pk": {"S": "f1"}}, "ConditionExpression": _LONG_FILTER}}
                ]
            },
        ),
        "ValidationException",
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size",
    ),
    Probe(
        "in-operands-hundred",
        "Scan filtering IN 101 values",
        "dynamodb",
        (
            "scan",
            {
                "TableName": "{table}",
                "FilterExpression": f"g IN ({', '.join(f':v{i}' for i in range(101))})",
                "ExpressionAttributeValues": {f":v{i}": {"S": str(i)} for i in range(101)},
            },
        ),
        "ValidationException",
        "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101",
    ),
    Probe(
        "query-filter-not-on-keys",
        "Query of the table filtering on its partition key, named by a placeholder",
        "dynamodb",
        _query(FilterExpression="#k <> :k", ExpressionAttributeNames={"#k": "pk"}),
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
    ),
    Probe(
        "query-filter-not-on-keys",
        "Query of an index filtering on the index key",
        "dynamodb",
        (
            "query",
            {
                "TableName": "{table}",
                "IndexName": "by-g",
                "KeyConditionExpression": "g = :g",
                "FilterExpression": "attribute_exists(g)",
                "ExpressionAttributeValues": {":g": {"S": "x"}},
            },
        ),
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: g",
    ),
    Probe(
        "query-key-condition-types",
        "Query of a string partition key with a number",
        "dynamodb",
        (
            "query",
            {
                "TableName": "{table}",
                "KeyConditionExpression": "pk = :k",
                "ExpressionAttributeValues": {":k": {"N": "1"}},
            },
        ),
        "ValidationException",
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    ),
    Probe(
        "item-size-as-dynamodb-counts",
        "PutItem of a map DynamoDB counts at 416,004 bytes (moto: 364,001)",
        "dynamodb",
        (
            "put_item",
            {"TableName": "{table}", "Item": {**_F1, "m": {"M": {f"k{i:05}": {"NULL": True} for i in range(52_000)}}}},
        ),
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    ),
    Probe(
        "batch-write-limits",
        "BatchWriteItem of 26 puts",
        "dynamodb",
        (
            "batch_write_item",
            {"RequestItems": {"{table}": [{"PutRequest": {"Item": {"pk": {"S": f"f{i}"}}}} for i in range(26)]}},
        ),
        "ValidationException",
        "[Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
    ),
    Probe(
        "batch-write-limits",
        "BatchWriteItem putting and deleting one item",
        "dynamodb",
        (
            "batch_write_item",
            {"RequestItems": {"{table}": [{"PutRequest": {"Item": _F1}}, {"DeleteRequest": {"Key": _F1}}]}},
        ),
        "ValidationException",
        "Provided list of item keys contains duplicates",
    ),
    Probe(
        "table-and-index-names",
        "CreateTable of a table named 'ab'",
        "dynamodb",
        create_table_call("ab"),
        "ValidationException",
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have "
        "length greater than or equal to 3",
    ),
    Probe(
        "table-and-index-names",
        "CreateTable of a table named with a space",
        "dynamodb",
        create_table_call("{table} copy"),
        "ValidationException",
        "copy' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+",
    ),
    Probe(
        "table-and-index-names",
        "UpdateTable creating an index of 256 characters",
        "dynamodb",
        (
            "update_table",
            {
                "TableName": "{table}",
                "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"}],
                "GlobalSecondaryIndexUpdates": [{"Create": {**_NEW_INDEXES[0]["Create"], "IndexName": "i" * 256}}],
            },
        ),
        "ValidationException",
        "at 'globalSecondaryIndexUpdates.1.member.create.indexName' failed to satisfy constraint: Member must have "
        "length less than or equal to 255",
    ),
    Probe(
        "sse-key-exists",
        "CreateTable encrypted with a key that does not exist",
        "dynamodb",
        ("create_table", {**create_table_call("{table}-sse")[1], "SSESpecification": _SSE_MISSING_KEY}),
        "ValidationException",
        f"KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Key '{_MISSING_KEY}' does not "
        "exist",
    ),
    Probe(
        "sse-key-exists",
        "UpdateTable to a key that does not exist",
        "dynamodb",
        (
            "update_table",
            {"TableName": "{table}", "SSESpecification": {**_SSE_MISSING_KEY, "KMSMasterKeyId": "alias/no-such-key"}},
        ),
        "ValidationException",
        "NotFoundException: Key 'alias/no-such-key' does not exist",
    ),
    Probe(
        "capacity-decreases-per-day",
        "a fifth capacity decrease within the hour (the write capacity, after four of the read)",
        "dynamodb",
        _capacity(1, 4),
        "LimitExceededException",
        "Number of decreases today: 4. Last decrease at ",
        FOUR_DECREASES,
    ),
    Probe(
        "unchanged-throughput",
        "the capacity the table already has",
        "dynamodb",
        _capacity(5, 5),
        "ValidationException",
        "The provisioned throughput for the table will not change. The requested value equals the current value. "
        "Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5.",
    ),
    Probe(
        "unchanged-throughput",
        "the capacity the index already has",
        "dynamodb",
        (
            "update_table",
            {
                "TableName": "{table}",
                "GlobalSecondaryIndexUpdates": [{"Update": {"IndexName": "by-g", "ProvisionedThroughput": _CAPACITY}}],
            },
        ),
        "ValidationException",
        "The provisioned throughput for the index by-g will not change",
    ),
    Probe(
        "tag-rules",
        "51 tags on the table",
        "dynamodb",
        ("tag_resource", {"ResourceArn": _TABLE_ARN, "Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]}),
        "ValidationException",
        "at most 50 tags",
    ),
    Probe(
        "tag-rules",
        "a '|' in a tag key",
        "dynamodb",
        ("tag_resource", {"ResourceArn": _TABLE_ARN, "Tags": [{"Key": "team|name", "Value": "v"}]}),
        "ValidationException",
        "'|' is not allowed",
    ),
    Probe(
        "tag-rules",
        "an aws: tag key",
        "dynamodb",
        ("tag_resource", {"ResourceArn": _TABLE_ARN, "Tags": [{"Key": "aws:owner", "Value": "v"}]}),
        "ValidationException",
        "reserved",
    ),
    Probe(
        "tag-rules",
        "a '<' in an alarm tag value",
        "cloudwatch",
        _alarm(Tags=[{"Key": "k", "Value": "<b>"}]),
        "ValidationError",
        "'<' is not allowed",
    ),
    Probe(
        "tag-rules",
        "a 257-character scalable target tag value",
        "application-autoscaling",
        ("register_scalable_target", {**_READ, "MinCapacity": 1, "MaxCapacity": 5, "Tags": {"k": "v" * 257}}),
        "ValidationException",
        "values 0-256",
    ),
    Probe(
        "ec2-actions-on-ec2-alarms",
        "stopping an EC2 instance from an alarm on the table",
        "cloudwatch",
        _alarm(AlarmActions=["arn:aws:automate:us-east-1:ec2:stop"], Dimensions=[{"Name": "TableName", "Value": "t"}]),
        "ValidationError",
        "Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring an EC2 instance.",
    ),
    Probe(
        "alarm-action-targets",
        "an S3 bucket as an alarm action",
        "cloudwatch",
        _alarm(AlarmActions=["arn:aws:s3:::audit-bucket"]),
        "ValidationError",
        "not an alarm target",
    ),
    Probe(
        "request-members-within-the-model",
        "six alarm actions",
        "cloudwatch",
        _alarm(OKActions=[f"{TOPIC}{i}" for i in range(6)]),
        "ValidationError",
        "failed to satisfy constraint: Member must have length less than or equal to 5",
    ),
    Probe(
        "request-members-within-the-model",
        "a 256-character alarm name",
        "cloudwatch",
        (_alarm()[0], {**_alarm()[1], "AlarmName": "a" * 256}),
        "ValidationError",
        "at 'alarmName' failed to satisfy constraint: Member must have length less than or equal to 255",
    ),
    Probe(
        "request-members-within-the-model",
        "a 1,025-character alarm description",
        "cloudwatch",
        _alarm(AlarmDescription="d" * 1025),
        "ValidationError",
        "at 'alarmDescription' failed to satisfy constraint: Member must have length less than or equal to 1024",
    ),
    Probe(
        "request-members-within-the-model",
        "31 alarm dimensions",
        "cloudwatch",
        _alarm(Dimensions=[{"Name": f"d{i}", "Value": "v"} for i in range(31)]),
        "ValidationError",
        "at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 30",
    ),
    Probe(
        "request-members-within-the-model",
        "an unknown comparison operator",
        "cloudwatch",
        _alarm(ComparisonOperator="Above"),
        "ValidationError",
        "Value 'Above' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
        "[GreaterThanOrEqualToThreshold, GreaterThanThreshold,",
    ),
    Probe(
        "request-members-within-the-model",
        "ReturnValuesOnConditionCheckFailure ALL_NEW",
        "dynamodb",
        ("update_item", {**_update("SET n = :v", {"N": "1"})[1], "ReturnValuesOnConditionCheckFailure": "ALL_NEW"}),
        "ValidationException",
        "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy "
        "constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    ),
    Probe(
        "request-members-within-the-model",
        "TotalSegments 1,000,001",
        "dynamodb",
        ("scan", {"TableName": "{table}", "Segment": 0, "TotalSegments": 1_000_001}),
        "ValidationException",
        "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must "
        "have value less than or equal to 1000000",
    ),
    Probe(
        "request-members-within-the-model",
        "two members outside their values",
        "dynamodb",
        (
            "update_item",
            {
                **_update("SET n = :v", {"N": "1"})[1],
                "ReturnItemCollectionMetrics": "ALL",
                "ReturnValuesOnConditionCheckFailure": "ALL_NEW",
            },
        ),
        "ValidationException",
        "2 validation errors detected: Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SIZE, NONE]; Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure'",
    ),
    Probe(
        "request-members-within-the-model",
        "a stream view type that does not exist",
        "dynamodb",
        _stream(True, "ALL"),
        "ValidationException",
        "Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy "
        "enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
    ),
    Probe(
        "alarm-evaluation-window",
        "a 90 s period",
        "cloudwatch",
        _alarm(Period=90),
        "ValidationError",
        "use 10, 20, 30 or a multiple of 60",
    ),
    Probe(
        "alarm-evaluation-window",
        "300 s x 289 periods (over a day)",
        "cloudwatch",
        _alarm(Period=300, EvaluationPeriods=289),
        "ValidationError",
        "exceeds 86400 seconds",
    ),
    Probe(
        "alarm-evaluation-window",
        "3600 s x 169 periods (over seven days)",
        "cloudwatch",
        _alarm(Period=3600, EvaluationPeriods=169),
        "ValidationError",
        "exceeds 604800 seconds",
    ),
    Probe(
        "scalable-target-bounds",
        "min above max",
        "application-autoscaling",
        ("register_scalable_target", {**_READ, "MinCapacity": 10, "MaxCapacity": 5}),
        "ValidationException",
        "Minimum capacity cannot be larger than maximum capacity",
    ),
    Probe(
        "scalable-target-table-exists",
        "a target on a table that does not exist",
        "application-autoscaling",
        (
            "register_scalable_target",
            {**_READ, "ResourceId": "table/{table}-missing", "MinCapacity": 1, "MaxCapacity": 5},
        ),
        "ValidationException",
        "DynamoDB table does not exist: table/",
    ),
    Probe(
        "scaling-policy-needs-target",
        "a target-tracking policy before its target is registered",
        "application-autoscaling",
        _read_policy(70.0),
        "ObjectNotFoundException",
        "No scalable target registered for service namespace: dynamodb, resource ID: table/",
    ),
    Probe(
        "scalable-target-index-exists",
        "a target on an index the table does not have",
        "application-autoscaling",
        (
            "register_scalable_target",
            {
                "ServiceNamespace": "dynamodb",
                "ResourceId": "table/{table}/index/by-nothing",
                "ScalableDimension": "dynamodb:index:ReadCapacityUnits",
                "MinCapacity": 1,
                "MaxCapacity": 5,
            },
        ),
        "ValidationException",
        "DynamoDB index does not exist: table/",
    ),
    Probe(
        "step-scaling-not-for-dynamodb",
        "a step scaling policy on the table's read capacity",
        "application-autoscaling",
        (
            "put_scaling_policy",
            {
                **_READ,
                "PolicyName": "{table}-steps",
                "PolicyType": "StepScaling",
                "StepScalingPolicyConfiguration": {
                    "AdjustmentType": "ChangeInCapacity",
                    "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
                },
            },
        ),
        "ValidationException",
        "StepScaling policies are not supported for service namespace dynamodb",
        (("register_scalable_target", {**_READ, "MinCapacity": 1, "MaxCapacity": 5}),),
    ),
    Probe(
        "dynamodb-target-utilization",
        "95% target",
        "application-autoscaling",
        _read_policy(95.0),
        "ValidationException",
        "use 20 to 90",
        (("register_scalable_target", {**_READ, "MinCapacity": 1, "MaxCapacity": 5}),),
    ),
    Probe(
        "update-table-one-kind-of-change",
        "UpdateTable that changes nothing",
        "dynamodb",
        _table_update(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}]),
        "ValidationException",
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "encryption changed beside deletion protection",
        "dynamodb",
        _table_update(SSESpecification={"Enabled": True, "SSEType": "KMS"}, DeletionProtectionEnabled=False),
        "ValidationException",
        "Server-Side Encryption modification must be the only operation in the request",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "table class changed beside the capacity",
        "dynamodb",
        _table_update(
            TableClass="STANDARD_INFREQUENT_ACCESS", ProvisionedThroughput={**_CAPACITY, "ReadCapacityUnits": 6}
        ),
        "ValidationException",
        "TableClass modification must be the only operation in the request",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "deletion protection changed beside the capacity",
        "dynamodb",
        _table_update(DeletionProtectionEnabled=True, ProvisionedThroughput={**_CAPACITY, "ReadCapacityUnits": 6}),
        "ValidationException",
        "DeletionProtection modification must be the only operation in the request",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "an index created while the stream is turned on",
        "dynamodb",
        _index_updates(
            {"Create": {**_INDEX_H, "ProvisionedThroughput": _CAPACITY}},
            AttributeDefinitions=_H,
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
        ),
        "ValidationException",
        "You cannot create or delete index while changing stream status",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "an index created beside a capacity change",
        "dynamodb",
        _index_updates(
            {"Create": {**_INDEX_H, "ProvisionedThroughput": _CAPACITY}},
            AttributeDefinitions=_H,
            ProvisionedThroughput={**_CAPACITY, "ReadCapacityUnits": 6},
        ),
        "ValidationException",
        "You cannot create or delete index while updating table IOPS",
    ),
    Probe(
        "update-table-one-kind-of-change",
        "the stream turned on beside a capacity change",
        "dynamodb",
        _table_update(
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
            ProvisionedThroughput={**_CAPACITY, "ReadCapacityUnits": 6},
        ),
        "ValidationException",
        "You cannot modify stream status while updating table IOPS",
    ),
    Probe(
        "index-throughput-follows-billing",
        "CreateTable of a provisioned table whose index names no capacity",
        "dynamodb",
        _create_with_index("PROVISIONED"),
        "ValidationException",
        "One or more parameter values were invalid: ProvisionedThroughput is not specified for index: by-g",
    ),
    Probe(
        "index-throughput-follows-billing",
        "CreateTable of an on-demand table whose index names capacity",
        "dynamodb",
        _create_with_index("PAY_PER_REQUEST", ProvisionedThroughput=_CAPACITY),
        "ValidationException",
        "ProvisionedThroughput should not be specified for index: by-g when BillingMode is PAY_PER_REQUEST",
    ),
    Probe(
        "index-throughput-follows-billing",
        "an index created on a provisioned table without capacity",
        "dynamodb",
        _index_updates({"Create": _INDEX_H}, AttributeDefinitions=_H),
        "ValidationException",
        "ProvisionedThroughput must be specified for index: fidelity-",
    ),
    Probe(
        "index-throughput-follows-billing",
        "capacity given to an on-demand table",
        "dynamodb",
        _table_update(ProvisionedThroughput=_CAPACITY),
        "ValidationException",
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        (_ON_DEMAND,),
    ),
    Probe(
        "index-throughput-follows-billing",
        "capacity given to an index of an on-demand table",
        "dynamodb",
        _index_updates({"Update": {"IndexName": "by-g", "ProvisionedThroughput": _CAPACITY}}),
        "ValidationException",
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: by-g when BillingMode is "
        "PAY_PER_REQUEST",
        (_ON_DEMAND,),
    ),
    Probe(
        "index-updates-name-real-indexes",
        "an index updated and deleted in one call",
        "dynamodb",
        _index_updates(
            {"Update": {"IndexName": "by-g", "ProvisionedThroughput": {**_CAPACITY, "ReadCapacityUnits": 6}}},
            {"Delete": {"IndexName": "by-g"}},
        ),
        "ValidationException",
        "Only one global secondary index update per index is allowed simultaneously. Index: by-g",
    ),
    Probe(
        "index-updates-name-real-indexes",
        "an index created without any AttributeDefinitions",
        "dynamodb",
        _index_updates({"Create": {**_INDEX_H, "ProvisionedThroughput": _CAPACITY}}),
        "ValidationException",
        "AttributeDefinitions is not specified for index: fidelity-",
    ),
    Probe(
        "index-updates-name-real-indexes",
        "an index created on an attribute the call does not define",
        "dynamodb",
        _index_updates(
            {"Create": {**_INDEX_H, "ProvisionedThroughput": _CAPACITY}},
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ),
        "ValidationException",
        "Invalid KeySchema: Some index key attribute have no definition",
    ),
    Probe(
        "pitr-recovery-period",
        "recovery turned off naming a period",
        "dynamodb",
        _recovery(False, 7),
        "ValidationException",
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.",
        (_recovery(True),),
    ),
    Probe(
        "pitr-recovery-period",
        "a recovery period of 36 days",
        "dynamodb",
        _recovery(True, 36),
        "ValidationException",
        "Member must have value less than or equal to 35",
    ),
    Probe(
        "index-projection-and-names",
        "CreateTable of an INCLUDE index naming no attributes",
        "dynamodb",
        _create_with_index("PAY_PER_REQUEST", Projection={"ProjectionType": "INCLUDE"}),
        "ValidationException",
        "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
    ),
    Probe(
        "index-projection-and-names",
        "an index created KEYS_ONLY naming attributes",
        "dynamodb",
        _index_updates(
            {
                "Create": {
                    **_INDEX_H,
                    "Projection": {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["status"]},
                    "ProvisionedThroughput": _CAPACITY,
                }
            },
            AttributeDefinitions=_H,
        ),
        "ValidationException",
        "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
    ),
    Probe(
        "index-projection-and-names",
        "CreateTable of two indexes of one name",
        "dynamodb",
        (
            "create_table",
            {
                **_create_with_index("PAY_PER_REQUEST")[1],
                "GlobalSecondaryIndexes": [{**_BY_G, "Projection": {"ProjectionType": "ALL"}}] * 2,
            },
        ),
        "ValidationException",
        "Duplicate index name: by-g",
    ),
    Probe(
        "resource-policy-validated",
        "a resource policy over 20,480 bytes",
        "dynamodb",
        _resource_policy(*(_grant(Sid=f"Grant{n}") for n in range(120))),
        "ValidationException",
        "Maximum policy size of 20480 bytes exceeded",
    ),
    Probe(
        "resource-policy-validated",
        "a resource policy that is not JSON",
        "dynamodb",
        _resource_policy(text="{not json"),
        "ValidationException",
        "Invalid policy document: This policy contains invalid Json",
    ),
    Probe(
        "resource-policy-validated",
        "a resource policy with no statement",
        "dynamodb",
        _resource_policy(),
        "ValidationException",
        "Invalid policy document: Could not parse the policy: Statement is empty!",
    ),
    Probe(
        "resource-policy-validated",
        "a statement without a Resource",
        "dynamodb",
        _resource_policy({k: v for k, v in _grant().items() if k != "Resource"}),
        "ValidationException",
        "Invalid policy document: Missing required field Resource",
    ),
    Probe(
        "resource-policy-validated",
        "two statements of one Sid",
        "dynamodb",
        _resource_policy(_grant(Sid="Ingest"), _grant(Sid="Ingest", Action="dynamodb:Query")),
        "ValidationException",
        "Invalid policy document: The Statement Ids in the policy are not unique",
    ),
    Probe(
        "resource-policy-validated",
        "a misspelt action",
        "dynamodb",
        _resource_policy(_grant(Action=["dynamodb:GetItems", "dynamodb:Query"])),
        "ValidationException",
        "Invalid policy document: The following action names are invalid: dynamodb:GetItems",
    ),
    Probe(
        "resource-policy-validated",
        "an Allow to everyone",
        "dynamodb",
        _resource_policy(_grant(Principal="*")),
        "ValidationException",
        "Resource-based policy grants unbounded access in one or more elements",
    ),
)

# What plain moto refuses, but not with AWS's answer: it fails inside (a KeyError in this process, HTTP 500
# from a server, which clients retry) or names another fault. Sent to plain moto, which must still not give
# AWS's message, and to the filled server, which must.
MISANSWERED = (
    Probe(
        "delete-resource-policy-needs-a-policy",
        "deleting the resource policy of a table that has none",
        "dynamodb",
        ("delete_resource_policy", {"ResourceArn": _TABLE_ARN}),
        "PolicyNotFoundException",
        "Resource-based policy not found for the provided ResourceArn: arn:aws:dynamodb:",
    ),
    Probe(
        "expression-operators-300",
        "an update adding 302 values (301 operators)",
        "dynamodb",
        _update("SET n = " + " + ".join([":v"] * 302), {"N": "1"}),
        "ValidationException",
        "Invalid UpdateExpression: The expression contains too many operators; operator count: 301",
    ),
    Probe(
        "query-index-exists",
        "a Query of an index the table does not have",
        "dynamodb",
        _query(IndexName="by-nothing"),
        "ValidationException",
        "The table does not have the specified index: by-nothing",
    ),
    Probe(
        "key-condition-operators",
        "a key condition with OR",
        "dynamodb",
        _query(KeyConditionExpression="pk = :k OR pk = :j", values={":j": {"S": "f2"}}),
        "ValidationException",
        "Invalid operator used in KeyConditionExpression: OR",
    ),
    Probe(
        "key-condition-operators",
        "a key condition with <>",
        "dynamodb",
        _query(KeyConditionExpression="pk <> :k"),
        "ValidationException",
        "Invalid operator used in KeyConditionExpression: <>",
    ),
    Probe(
        "exclusive-start-key-matches-schema",
        "a Scan from a start key without the table's key",
        "dynamodb",
        ("scan", {"TableName": "{table}", "ExclusiveStartKey": {"g": {"S": "x"}}}),
        "ValidationException",
        "The provided starting key is invalid: The provided key element does not match the schema",
        setup=(("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}, "g": {"S": "x"}}}),),
    ),
    Probe(
        "exclusive-start-key-matches-schema",
        "an index Query from the table's key alone",
        "dynamodb",
        (
            "query",
            {
                "TableName": "{table}",
                "IndexName": "by-g",
                "KeyConditionExpression": "g = :g",
                "ExpressionAttributeValues": {":g": {"S": "x"}},
                "ExclusiveStartKey": {"pk": {"S": "f1"}},
            },
        ),
        "ValidationException",
        "The provided starting key is invalid",
        setup=(("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}, "g": {"S": "x"}}}),),
    ),
    Probe(
        "request-members-within-the-model",
        "a Scan with Limit 0 (moto fails inside on a table with items)",
        "dynamodb",
        ("scan", {"TableName": "{table}", "Limit": 0}),
        "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value "
        "greater than or equal to 1",
        setup=(("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "f1"}}}),),
    ),
    Probe(
        "expression-placeholders-defined",
        "PutItem whose condition uses an undefined value",
        "dynamodb",
        _put_if("g <> :missing", ExpressionAttributeValues={":other": {"S": "x"}}),
        "ValidationException",
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute "
        "value: :missing",
    ),
    Probe(
        "expression-placeholders-defined",
        "Scan whose filter uses an undefined name",
        "dynamodb",
        ("scan", {"TableName": "{table}", "FilterExpression": "attribute_exists(#missing)"}),
        "ValidationException",
        "Invalid FilterExpression: An expression attribute name used in the document path is not defined; attribute "
        "name: #missing",
    ),
    Probe(
        "expression-placeholders-defined",
        "Query whose key condition uses an undefined value",
        "dynamodb",
        (
            "query",
            {
                "TableName": "{table}",
                "KeyConditionExpression": "pk = :missing",
                "ExpressionAttributeValues": {":k": {"S": "f1"}},
            },
        ),
        "ValidationException",
        "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute "
        "value: :missing",
    ),
    Probe(
        "expression-placeholders-defined",
        "TransactWriteItems whose condition uses an undefined value",
        "dynamodb",
        (
            "transact_write_items",
            {"TransactItems": [{"Put": _put_if("g <> :missing", ExpressionAttributeValues={":other": {"S": "x"}})[1]}]},
        ),
        "ValidationException",
        "Invalid ConditionExpression: An expression attribute value used in expression is not defined",
    ),
    Probe(
        "index-updates-name-real-indexes",
        "an index created again",
        "dynamodb",
        _index_updates(
            {"Create": {**_BY_G, "Projection": {"ProjectionType": "ALL"}, "ProvisionedThroughput": _CAPACITY}},
            AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
        ),
        "ValidationException",
        "Attempting to create an index which already exists",
    ),
    Probe(
        "index-updates-name-real-indexes",
        "an index deleted that the table does not have",
        "dynamodb",
        _index_updates({"Delete": {"IndexName": "no-such-index"}}),
        "ValidationException",
        "Cannot delete an index that is not a GlobalSecondaryIndex: no-such-index",
    ),
)

# What moto already answers as AWS does (gaps.CHECKED): sent to plain moto, which must refuse.
MATCHES = (
    Probe(
        "checked",
        "TransactWriteItems of 101 puts",
        "dynamodb",
        (
            "transact_write_items",
            {"TransactItems": [{"Put": {"TableName": "{table}", "Item": {"pk": {"S": f"f{i}"}}}} for i in range(101)]},
        ),
        "ValidationException",
        "Member must have length less than or equal to 100",
    ),
    Probe(
        "checked",
        "TransactWriteItems putting and deleting one item",
        "dynamodb",
        (
            "transact_write_items",
            {
                "TransactItems": [
                    {"Put": {"TableName": "{table}", "Item": _F1}},
                    {"Delete": {"TableName": "{table}", "Key": _F1}},
                ]
            },
        ),
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
    ),
    Probe(
        "checked",
        "BatchGetItem duplicate keys",
        "dynamodb",
        ("batch_get_item", {"RequestItems": {"{table}": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "a"}}]}}}),
        "ValidationException",
        "contains duplicates",
    ),
    Probe(
        "checked",
        "PutItem empty set",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "a"}, "s": {"SS": []}}}),
        "ValidationException",
        "may not be empty",
    ),
    Probe(
        "checked",
        "item over 400 KB",
        "dynamodb",
        _update("SET b = :v", {"S": "x" * 410_000}),
        "ValidationException",
        "exceeded the maximum allowed size",
    ),
    Probe(
        "checked",
        "PutItem 2049-byte key",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "k" * 2049}}}),
        "ValidationException",
        "Size of hashkey has exceeded",
    ),
    Probe(
        "checked",
        "PutItem 2049-byte index key",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "a"}, "g": {"S": "g" * 2049}}}),
        "ValidationException",
        "Size of hashkey has exceeded the maximum size limit of2048 bytes",
    ),
    Probe(
        "checked",
        "PutItem empty index key",
        "dynamodb",
        ("put_item", {"TableName": "{table}", "Item": {"pk": {"S": "a"}, "g": {"S": ""}}}),
        "ValidationException",
        "cannot contain an empty string value. IndexName: by-g, IndexKey: g",
    ),
    Probe(
        "checked",
        "UpdateItem setting an index key to an empty string",
        "dynamodb",
        _update("SET g = :v", {"S": ""}),
        "ValidationException",
        "The update expression attempted to update a secondary index key to a value that is not supported",
    ),
    Probe(
        "checked",
        "DeleteTable with deletion protection",
        "dynamodb",
        ("delete_table", {"TableName": "{table}"}),
        "ValidationException",
        "DeletionProtectionEnabled",
        (("update_table", {"TableName": "{table}", "DeletionProtectionEnabled": True}),),
    ),
    Probe(
        "checked",
        "UpdateItem setting an index key to another type",
        "dynamodb",
        _update("SET g = :v", {"N": "1"}),
        "ValidationException",
        "Type mismatch for key g expected: S actual: N",
    ),
    Probe(
        "checked",
        "UpdateItem setting an index key to NULL",
        "dynamodb",
        _update("SET g = :v", {"NULL": True}),
        "ValidationException",
        "Type mismatch for key g expected: S actual: NULL",
    ),
)
