"""What AWS reports about one applied root, against what its example promises (expected.py): one line
per problem, "<example>: <what>: got X, expected Y" (empty: all good).

Aspects: the table (keys, billing and capacities, TTL, PITR, SSE, deletion protection, streams, indexes,
tags, the table resource policy); the module's managed policies as IAM stores them (exact actions and
resources, tags) and which roles hold them; application autoscaling (one scalable target per table or
index and direction, each with one target-tracking policy); the four CloudWatch alarms; and resource
scoping, proved by evaluating the stored documents against the table's ARN, its index ARNs, and ARNs
that are not the table (iam.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from dynemodb.harness.contract import GRANTS, WRITER, Grant
from dynemodb.harness.integration.cleanup import from_pairs
from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import (
    EXAMPLES,
    Example,
)
from dynemodb.harness.integration.iam import (
    evaluator_problems,
    grants,
    parse,
    principals,
    resource_policy_problems,
    unusual,
)
from dynemodb.harness.invariants import index_alarms


class Problems:
    def __init__(self, example: str) -> None:
        self.example = example
        self.lines: list[str] = []

    def add(self, message: str) -> None:
        self.lines.append(f"{self.example}: {message}")

    def expect(self, what: str, got: Any, expected: Any) -> None:
        if got != expected:
            self.add(f"{what}: got {got!r}, expected {expected!r}")


def expected_tags(example_tags: Mapping[str, str], run_tags: Mapping[str, str]) -> dict[str, str]:
    """What every resource of a run must carry: the example's own tags plus the provider default tags."""
    return {**example_tags, **run_tags}


# --- table -------------------------------------------------------------------------------------------


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
        WRITER.by_resource(table_arn),
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


# --- iam ---------------------------------------------------------------------------------------------


def policy_arn(dep: Deployment, kind: str) -> str:
    return f"arn:aws:iam::{dep.target.account_id}:policy/{dep.table_name}-ledger-{kind}"


def policy_document(iam: Any, arn: str) -> dict[str, Any]:
    policy = iam.get_policy(PolicyArn=arn)["Policy"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    return parse(version["Document"])


def _attached_roles(iam: Any, arn: str) -> list[str]:
    entities = iam.list_entities_for_policy(PolicyArn=arn)
    if entities.get("PolicyUsers") or entities.get("PolicyGroups"):
        return ["<users or groups>"]
    return sorted(r["RoleName"] for r in entities.get("PolicyRoles", []))


def _check_policy(p: Problems, iam: Any, dep: Deployment, spec: Example, kind: str, grant: Grant) -> None:
    arn = policy_arn(dep, kind)
    try:
        document = policy_document(iam, arn)
    except iam.exceptions.NoSuchEntityException:
        p.add(f"{kind} policy {arn}: does not exist")
        return
    table_arn = dep.outputs["table_arn"]
    p.expect(f"{kind} policy grants", grants(document), grant.by_resource(table_arn))
    for feature in unusual(document):
        p.add(f"{kind} policy: {feature}")
    tags = from_pairs(iam.list_policy_tags(PolicyArn=arn).get("Tags", []))
    p.expect(f"{kind} policy tags", tags, expected_tags(spec.tags, dep.tags))
    role_output = {"writer": spec.writer_role_output, "reader": spec.reader_role_output}.get(kind)
    expected_roles = [dep.outputs[role_output]] if role_output else []
    p.expect(f"roles holding the {kind} policy", _attached_roles(iam, arn), expected_roles)


def _check_role(p: Problems, iam: Any, dep: Deployment, spec: Example, role_output: str | None, kind: str) -> None:
    if role_output is None:
        return
    role = dep.outputs[role_output]
    attached = sorted(a["PolicyArn"] for a in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"])
    p.expect(f"policies attached to role {role}", attached, [policy_arn(dep, kind)])
    p.expect(f"inline policies of role {role}", iam.list_role_policies(RoleName=role)["PolicyNames"], [])
    tags = from_pairs(iam.list_role_tags(RoleName=role).get("Tags", []))
    p.expect(f"role {role} tags", tags, expected_tags(spec.tags, dep.tags))


def verify_iam(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    iam = dep.target.client("iam")
    for kind, grant in GRANTS.items():
        _check_policy(p, iam, dep, spec, kind, grant)
    _check_role(p, iam, dep, spec, spec.writer_role_output, "writer")
    _check_role(p, iam, dep, spec, spec.reader_role_output, "reader")
    return p.lines


# --- autoscaling -------------------------------------------------------------------------------------


_UNITS = {"read": "ReadCapacityUnits", "write": "WriteCapacityUnits"}
_METRICS = {"read": "DynamoDBReadCapacityUtilization", "write": "DynamoDBWriteCapacityUtilization"}


def scaled_resource_ids(table_name: str, index_names: list[str]) -> list[str]:
    return [f"table/{table_name}", *(f"table/{table_name}/index/{name}" for name in index_names)]


def _expected_targets(dep: Deployment, spec: Example) -> dict[tuple[str, str], tuple[int, int, str, str]]:
    """(resource id, dimension) -> (min, max, policy name, predefined metric)."""
    scaling = spec.autoscaling
    if scaling is None:
        return {}
    bounds = {"read": (scaling.read_min, scaling.read_max), "write": (scaling.write_min, scaling.write_max)}
    wanted = {}
    for resource_id in scaled_resource_ids(dep.table_name, list(spec.indexes)):
        index = resource_id.split("/index/")[1] if "/index/" in resource_id else None
        for direction, units in _UNITS.items():
            kind = "index" if index else "table"
            name = f"{dep.table_name}-{index}-{direction}" if index else f"{dep.table_name}-{direction}"
            low, high = bounds[direction]
            wanted[(resource_id, f"dynamodb:{kind}:{units}")] = (
                low,
                high,
                f"{name}-target-tracking",
                _METRICS[direction],
            )
    return wanted


def _targets(client: Any, resource_ids: list[str]) -> list[dict[str, Any]]:
    pages = client.get_paginator("describe_scalable_targets").paginate(
        ServiceNamespace="dynamodb", ResourceIds=resource_ids
    )
    return [t for page in pages for t in page["ScalableTargets"]]


def _scaling_policies(client: Any, resource_id: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("describe_scaling_policies").paginate(
        ServiceNamespace="dynamodb", ResourceId=resource_id
    )
    return [policy for page in pages for policy in page["ScalingPolicies"]]


def verify_autoscaling(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    client = dep.target.client("application-autoscaling")
    resource_ids = scaled_resource_ids(dep.table_name, list(spec.indexes))
    wanted = _expected_targets(dep, spec)
    targets = {(t["ResourceId"], t["ScalableDimension"]): t for t in _targets(client, resource_ids)}
    p.expect("scalable targets", sorted(targets), sorted(wanted))
    scaling = spec.autoscaling
    for key, (low, high, policy_name, metric) in wanted.items():
        target = targets.get(key)
        if target is None or scaling is None:
            continue
        where = f"target {key[0]} {key[1]}"
        p.expect(f"{where} min/max", (target["MinCapacity"], target["MaxCapacity"]), (low, high))
        tags = client.list_tags_for_resource(ResourceARN=target["ScalableTargetARN"]).get("Tags", {})
        p.expect(f"{where} tags", tags, expected_tags(spec.tags, dep.tags))
        policies = [x for x in _scaling_policies(client, key[0]) if x["ScalableDimension"] == key[1]]
        p.expect(f"{where} policy names", [x["PolicyName"] for x in policies], [policy_name])
        for policy in policies[:1]:
            p.expect(f"{where} policy type", policy["PolicyType"], "TargetTrackingScaling")
            config = policy.get("TargetTrackingScalingPolicyConfiguration", {})
            got = (
                float(config.get("TargetValue", 0)),
                config.get("ScaleInCooldown"),
                config.get("ScaleOutCooldown"),
                config.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType"),
            )
            want = (float(scaling.target_utilization), scaling.scale_in_cooldown, scaling.scale_out_cooldown, metric)
            p.expect(f"{where} policy (target, scale-in, scale-out, metric)", got, want)
    return p.lines


# --- alarms ------------------------------------------------------------------------------------------


def _expected_alarms(spec: Example) -> dict[str, tuple[str, float, str | None]]:
    """Alarm name suffix -> (metric, threshold, the index it watches or None for the table)."""
    alarms = spec.alarms
    return {
        "read-throttles": ("ReadThrottleEvents", alarms.throttle_threshold, None),
        "write-throttles": ("WriteThrottleEvents", alarms.throttle_threshold, None),
        "consumed-read-capacity": ("ConsumedReadCapacityUnits", alarms.read_threshold, None),
        "consumed-write-capacity": ("ConsumedWriteCapacityUnits", alarms.write_threshold, None),
        **{
            suffix: (metric, alarms.throttle_threshold, index)
            for suffix, (metric, index) in index_alarms(list(spec.indexes)).items()
        },
    }


def _alarms_named(client: Any, prefix: str) -> dict[str, dict[str, Any]]:
    pages = client.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"])
    return {a["AlarmName"]: a for page in pages for a in page.get("MetricAlarms", [])}


def verify_alarms(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    client = dep.target.client("cloudwatch")
    prefix = f"{dep.table_name}-"
    found = _alarms_named(client, prefix)
    wanted = _expected_alarms(spec)
    p.expect("alarms", sorted(found), sorted(prefix + suffix for suffix in wanted))
    topic = f"arn:aws:sns:{dep.target.region}:{dep.target.account_id}:{dep.table_name}-alerts"
    actions = [topic] if spec.alarms.notify_topic else []
    for suffix, (metric, threshold, index) in wanted.items():
        alarm = found.get(prefix + suffix)
        if alarm is None:
            continue
        got = {
            "namespace": alarm.get("Namespace"),
            "metric": alarm.get("MetricName"),
            "dimensions": sorted(alarm.get("Dimensions") or [], key=lambda d: d["Name"]),  # a set to CloudWatch
            "statistic": alarm.get("Statistic"),
            "period": alarm.get("Period"),
            "evaluation_periods": alarm.get("EvaluationPeriods"),
            "threshold": float(alarm.get("Threshold", -1)),
            "comparison": alarm.get("ComparisonOperator"),
            "missing_data": alarm.get("TreatMissingData"),
            "alarm_actions": alarm.get("AlarmActions"),
            "ok_actions": alarm.get("OKActions"),
        }
        want = {
            "namespace": "AWS/DynamoDB",
            "metric": metric,
            "dimensions": ([] if index is None else [{"Name": "GlobalSecondaryIndexName", "Value": index}])
            + [{"Name": "TableName", "Value": dep.table_name}],
            "statistic": "Sum",
            "period": spec.alarms.period,
            "evaluation_periods": spec.alarms.evaluation_periods,
            "threshold": float(threshold),
            "comparison": "GreaterThanThreshold",
            "missing_data": "notBreaching",
            "alarm_actions": actions,
            "ok_actions": actions,
        }
        for field, value in want.items():
            p.expect(f"alarm {suffix} {field}", got[field], value)
        tags = from_pairs(client.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", []))
        p.expect(f"alarm {suffix} tags", tags, expected_tags(spec.tags, dep.tags))
    return p.lines


# --- scoping -----------------------------------------------------------------------------------------


def verify_scoping(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    iam = dep.target.client("iam")
    table_arn = dep.outputs["table_arn"]
    for kind in ("writer", "reader"):
        try:
            document = policy_document(iam, policy_arn(dep, kind))
        except iam.exceptions.NoSuchEntityException:
            continue  # verify_iam reports the missing policy
        for line in evaluator_problems(kind, [document], table_arn):
            p.add(line)
    if spec.resource_policy:
        client = dep.target.client("dynamodb")
        document = parse(client.get_resource_policy(ResourceArn=table_arn)["Policy"])
        account = dep.target.account_id
        admitted = [f"arn:aws:iam::{account}:role/{dep.outputs[o]}" for o in ("glue_role_name", "lambda_role_name")]
        for line in resource_policy_problems(document, table_arn, admitted):
            p.add(line)
    return p.lines


# --- all of it ---------------------------------------------------------------------------------------


Verifier = Callable[[Deployment, Example], list[str]]

VERIFIERS: dict[str, Verifier] = {
    "table": verify_table,
    "iam": verify_iam,
    "autoscaling": verify_autoscaling,
    "alarms": verify_alarms,
    "scoping": verify_scoping,
}


def verify(dep: Deployment, aspects: tuple[str, ...] = tuple(VERIFIERS)) -> list[str]:
    spec = EXAMPLES[dep.example]
    return [line for aspect in aspects for line in VERIFIERS[aspect](dep, spec)]
