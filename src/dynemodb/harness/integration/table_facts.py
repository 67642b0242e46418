"""What AWS reports about a ledger table and what hangs off it, as plain facts a lifecycle step compares."""

from __future__ import annotations

from typing import Any

from dynemodb.harness.integration.cleanup import from_pairs
from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.iam import parse, statements


def _capacity(described: dict[str, Any]) -> list[int]:
    throughput = described.get("ProvisionedThroughput") or {}
    return [int(throughput.get("ReadCapacityUnits", 0)), int(throughput.get("WriteCapacityUnits", 0))]


def identity(dep: Deployment) -> tuple[str, str]:
    """TableId and creation time: both change when a table is replaced, whatever its name."""
    table = dep.target.client("dynamodb").describe_table(TableName=dep.table_name)["Table"]
    return str(table.get("TableId")), str(table["CreationDateTime"])


def table_facts(dep: Deployment) -> dict[str, Any]:
    """The table's settings, tags, scaling, alarms, policy attachments and resource policy, by fact name."""
    dynamodb = dep.target.client("dynamodb")
    table = dynamodb.describe_table(TableName=dep.table_name)["Table"]
    indexes = table.get("GlobalSecondaryIndexes") or []
    ttl = dynamodb.describe_time_to_live(TableName=dep.table_name)["TimeToLiveDescription"]
    backups = dynamodb.describe_continuous_backups(TableName=dep.table_name)["ContinuousBackupsDescription"]
    tags = from_pairs(dynamodb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", []))
    facts: dict[str, Any] = {
        "ttl": ttl.get("TimeToLiveStatus"),
        "ttl_attribute": ttl.get("AttributeName"),
        "billing_mode": (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
        "capacity": _capacity(table),
        "index_capacity": sorted({tuple(_capacity(i)) for i in indexes}),
        "indexes": sorted(i["IndexName"] for i in indexes),
        "tags": {k: v for k, v in tags.items() if k not in dep.tags},
        "pitr": (backups.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus"),
        "pitr_days": (backups.get("PointInTimeRecoveryDescription") or {}).get("RecoveryPeriodInDays"),
        "stream": (table.get("StreamSpecification") or {}).get("StreamViewType")
        if (table.get("StreamSpecification") or {}).get("StreamEnabled")
        else None,
        "sse": (table.get("SSEDescription") or {}).get("KMSMasterKeyArn"),
        "table_class": (table.get("TableClassSummary") or {}).get("TableClass", "STANDARD"),
        "deletion_protection": bool(table.get("DeletionProtectionEnabled")),
    }
    scaling = dep.target.client("application-autoscaling")
    pages = scaling.get_paginator("describe_scalable_targets").paginate(ServiceNamespace="dynamodb")
    targets = [target for page in pages for target in page["ScalableTargets"]]
    mine = f"table/{dep.table_name}"
    facts["autoscaling_targets"] = sum(1 for t in targets if t["ResourceId"].split("/index/")[0] == mine)
    # Every page: an account (or the suite's server) can hold more alarms and targets than one page.
    alarm_pages = (
        dep.target.client("cloudwatch").get_paginator("describe_alarms").paginate(AlarmNamePrefix=dep.table_name)
    )
    alarms = [alarm for page in alarm_pages for alarm in page["MetricAlarms"]]
    # The module's alarms, not the ones Application Auto Scaling creates for its target tracking.
    ours = [a for a in alarms if a["AlarmName"].startswith(f"{dep.table_name}-")]
    facts["alarm_actions"] = sorted({action for a in ours for action in a.get("AlarmActions", [])})
    writer = dep.outputs.get("writer_policy_arn")
    if writer:
        iam = dep.target.client("iam")
        facts["writer_roles"] = sorted(
            r["RoleName"] for r in iam.list_entities_for_policy(PolicyArn=writer)["PolicyRoles"]
        )
    try:
        document = parse(dynamodb.get_resource_policy(ResourceArn=table["TableArn"])["Policy"])
        facts["resource_policy"] = sorted(str(s.get("Sid")) for s in statements(document))
        facts["resource_policy_document"] = document
    except dynamodb.exceptions.PolicyNotFoundException:
        facts["resource_policy"] = []
    return facts
