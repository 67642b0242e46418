"""Application autoscaling as AWS reports it: one scalable target per (table or index) x (read or write)
with the example's bounds and tags, each with one target-tracking policy."""

from __future__ import annotations

from typing import Any

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import Example
from dynemodb.harness.integration.problems import Problems
from dynemodb.harness.integration.tags import expected_tags

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


def _policies(client: Any, resource_id: str) -> list[dict[str, Any]]:
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
        policies = [x for x in _policies(client, key[0]) if x["ScalableDimension"] == key[1]]
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
