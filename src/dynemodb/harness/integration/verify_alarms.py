"""The four CloudWatch alarms as CloudWatch reports them: metric, dimension, statistic, period, threshold,
comparison, missing-data treatment, notifications and tags."""

from __future__ import annotations

from typing import Any

from dynemodb.harness.integration.deployment import Deployment
from dynemodb.harness.integration.expected import Example
from dynemodb.harness.integration.problems import Problems
from dynemodb.harness.integration.tags import expected_tags, from_pairs


def _expected(spec: Example) -> dict[str, tuple[str, float]]:
    """Alarm name suffix -> (metric, threshold)."""
    alarms = spec.alarms
    return {
        "read-throttles": ("ReadThrottleEvents", alarms.throttle_threshold),
        "write-throttles": ("WriteThrottleEvents", alarms.throttle_threshold),
        "consumed-read-capacity": ("ConsumedReadCapacityUnits", alarms.read_threshold),
        "consumed-write-capacity": ("ConsumedWriteCapacityUnits", alarms.write_threshold),
    }


def _alarms(client: Any, prefix: str) -> dict[str, dict[str, Any]]:
    pages = client.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix, AlarmTypes=["MetricAlarm"])
    return {a["AlarmName"]: a for page in pages for a in page.get("MetricAlarms", [])}


def verify_alarms(dep: Deployment, spec: Example) -> list[str]:
    p = Problems(dep.example)
    client = dep.target.client("cloudwatch")
    prefix = f"{dep.table_name}-"
    found = _alarms(client, prefix)
    wanted = _expected(spec)
    p.expect("alarms", sorted(found), sorted(prefix + suffix for suffix in wanted))
    topic = f"arn:aws:sns:{dep.target.region}:{dep.target.account_id}:{dep.table_name}-alerts"
    actions = [topic] if spec.alarms.notify_topic else []
    for suffix, (metric, threshold) in wanted.items():
        alarm = found.get(prefix + suffix)
        if alarm is None:
            continue
        got = {
            "namespace": alarm.get("Namespace"),
            "metric": alarm.get("MetricName"),
            "dimensions": alarm.get("Dimensions"),
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
            "dimensions": [{"Name": "TableName", "Value": dep.table_name}],
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
