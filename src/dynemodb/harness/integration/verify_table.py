"""The table as DynamoDB reports it: keys, billing and capacities, TTL, PITR, SSE, deletion protection,
streams, indexes, tags, and the table resource policy."""

from __future__ import annotations

import json
from typing import Any

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import WRITER_TABLE_ACTIONS, Example
from dynemodb.harness.integration.policy_doc import grants, principals, unusual
from dynemodb.harness.integration.problems import Problems
from dynemodb.harness.integration.tags import expected_tags, from_pairs


def _keys(schema: list[dict[str, str]]) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in schema}


def _check_capacity(p: Problems, where: str, throughput: dict[str, Any], spec: Example) -> None:
    # On-demand tables and their indexes report 0 (or nothing) as provisioned throughput.
    read = throughput.get("ReadCapacityUnits", 0) or None
    write = throughput.get("WriteCapacityUnits", 0) or None
    p.expect(f"{where} read capacity", read, spec.read_capacity)
    p.expect(f"{where} write capacity", write, spec.write_capacity)


def _check_indexes(p: Problems, table: dict[str, Any], spec: Example) -> None:
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    indexes = {i["IndexName"]: i for i in table.get("GlobalSecondaryIndexes", [])}
    p.expect("global secondary indexes", sorted(indexes), sorted(spec.indexes))
    p.expect("local secondary indexes", table.get("LocalSecondaryIndexes") or [], [])
    for name, want in spec.indexes.items():
        index = indexes.get(name)
        if index is None:
            continue
        keys = _keys(index["KeySchema"])
        p.expect(
            f"index {name} keys", keys, {"HASH": want.hash_key, **({"RANGE": want.range_key} if want.range_key else {})}
        )
        p.expect(f"index {name} hash key type", types.get(want.hash_key), want.hash_type)
        if want.range_key:
            p.expect(f"index {name} range key type", types.get(want.range_key), want.range_type)
        p.expect(f"index {name} projection", index["Projection"].get("ProjectionType"), want.projection)
        _check_capacity(p, f"index {name}", index.get("ProvisionedThroughput", {}), spec)


def _check_resource_policy(p: Problems, client: Any, table_arn: str, dep: Deployment, spec: Example) -> None:
    try:
        document = json.loads(client.get_resource_policy(ResourceArn=table_arn)["Policy"])
    except client.exceptions.PolicyNotFoundException:
        if spec.resource_policy:
            p.add("table resource policy: none, expected one admitting the pipeline's roles")
        return
    if not spec.resource_policy:
        p.add(f"table resource policy: got {document}, expected none")
        return
    account = dep.target.account_id
    roles = {f"arn:aws:iam::{account}:role/{dep.outputs[o]}" for o in ("glue_role_name", "lambda_role_name")}
    p.expect("resource policy principals", principals(document), roles)
    p.expect(
        "resource policy grants",
        grants(document),
        {table_arn: WRITER_TABLE_ACTIONS, f"{table_arn}/index/*": WRITER_TABLE_ACTIONS},
    )
    for feature in unusual(document):
        p.add(f"resource policy: {feature}")


def verify_table(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    client = dep.target.client("dynamodb")
    table = client.describe_table(TableName=dep.table_name)["Table"]
    table_arn = table["TableArn"]
    p.expect("table ARN (output table_arn)", dep.outputs.get("table_arn"), table_arn)
    p.expect("key schema", _keys(table["KeySchema"]), {"HASH": spec.hash_key})
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    p.expect("hash key type", types.get(spec.hash_key), "S")
    p.expect("billing mode", table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"), spec.billing_mode)
    p.expect("table class", table.get("TableClassSummary", {}).get("TableClass", "STANDARD"), "STANDARD")
    _check_capacity(p, "table", table.get("ProvisionedThroughput", {}), spec)
    p.expect("deletion protection (run input false)", table.get("DeletionProtectionEnabled"), False)

    stream = table.get("StreamSpecification") or {}
    got_stream = stream.get("StreamViewType") if stream.get("StreamEnabled") else None
    p.expect("stream view type", got_stream, spec.stream_view_type)

    sse = table.get("SSEDescription") or {}
    if spec.customer_key:
        p.expect("SSE status", sse.get("Status"), "ENABLED")
        p.expect("SSE type", sse.get("SSEType"), "KMS")
        p.expect("SSE key (output kms_key_arn)", sse.get("KMSMasterKeyArn"), dep.outputs.get("kms_key_arn"))
    elif sse.get("SSEType") == "KMS":
        p.add(f"SSE: got a KMS key {sse.get('KMSMasterKeyArn')}, expected the AWS-owned key")

    ttl = client.describe_time_to_live(TableName=dep.table_name)["TimeToLiveDescription"]
    p.expect("TTL status", ttl.get("TimeToLiveStatus"), "ENABLED")
    p.expect("TTL attribute", ttl.get("AttributeName"), spec.ttl_attribute)

    backups = client.describe_continuous_backups(TableName=dep.table_name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    p.expect("point-in-time recovery", pitr, "ENABLED" if spec.pitr else "DISABLED")

    _check_indexes(p, table, spec)
    tags = from_pairs(client.list_tags_of_resource(ResourceArn=table_arn).get("Tags", []))
    p.expect("table tags", tags, expected_tags(spec.tags, dep.tags))
    _check_resource_policy(p, client, table_arn, dep, spec)
    return p.lines
