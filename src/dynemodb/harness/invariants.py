"""What holds for every scenario's plan, checked by code once for all of them instead of being restated in
every scenario's expected file. Each invariant takes a ModuleInstance and returns its problems, one line
each ("address.attribute: got X, expected Y (why)").

The expected side is computed from the instance's inputs (module_instance.py), never from the plan it
judges. AWS limits cited:
- DynamoDB table and index names 3-255 characters: "Supported data types and naming rules in Amazon
  DynamoDB" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
- IAM policy names 128, role names 64, paths 512: "IAM and AWS STS quotas"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
- CloudWatch alarm names 255: PutMetricAlarm, AlarmName (CloudWatch API Reference).
- Application Auto Scaling policy names 256, resource ids 1600: PutScalingPolicy (API Reference).
- SNS topic names 256: CreateTopic, Name (SNS API Reference).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any

from dynemodb.harness.contract import GRANTS
from dynemodb.harness.module_instance import UNKNOWN_INPUT, ModuleInstance
from dynemodb.harness.plan_values import UNKNOWN
from dynemodb.ledger import schema

NAME_LIMITS: dict[tuple[str, str], int] = {
    ("aws_dynamodb_table", "name"): 255,
    ("aws_iam_policy", "name"): 128,
    ("aws_iam_policy", "path"): 512,
    ("aws_iam_role", "name"): 64,
    ("aws_cloudwatch_metric_alarm", "alarm_name"): 255,
    ("aws_appautoscaling_policy", "name"): 256,
    ("aws_appautoscaling_target", "resource_id"): 1600,
    ("aws_sns_topic", "name"): 256,
}
GSI_NAME_LIMIT = 255
# Attributes that name one resource each: two resources sharing one would collide in AWS.
UNIQUE_NAMES = {"name", "alarm_name"}

# Alarm key -> (metric, which threshold). See alarms.tf for why consumed capacity is scaled by the period.
ALARM_METRICS = {
    "read-throttles": "ReadThrottleEvents",
    "write-throttles": "WriteThrottleEvents",
    "consumed-read-capacity": "ConsumedReadCapacityUnits",
    "consumed-write-capacity": "ConsumedWriteCapacityUnits",
}
UNITS = {"read": "ReadCapacityUnits", "write": "WriteCapacityUnits"}
SCALING_METRICS = {"read": "DynamoDBReadCapacityUtilization", "write": "DynamoDBWriteCapacityUtilization"}

Invariant = Callable[[ModuleInstance], list[str]]

# What the invariants below check in every scenario, so a scenario's expected file need not restate it
# (regen leaves it out). Types whose every resource is judged, and attributes judged on a resource type.
COVERED_TYPES = {
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_cloudwatch_metric_alarm",
    "terraform_data",
    "aws_iam_role_policy_attachment",
    "data.aws_iam_policy_document.writer",
    "data.aws_iam_policy_document.reader",
    "data.aws_iam_policy_document.role",
}
COVERED_ATTRIBUTES = {
    "*": {"tags", "tags_all"},
    "aws_dynamodb_table": {
        "name",
        "hash_key",
        "range_key",
        "billing_mode",
        "table_class",
        "deletion_protection_enabled",
        "point_in_time_recovery",
        "stream_enabled",
        "stream_view_type",
        "read_capacity",
        "write_capacity",
        "server_side_encryption",
        "ttl",
        "attribute",
        "global_secondary_index",
    },
    "aws_iam_policy": {"path"},
}


def _differs(where: str, got: Any, want: Any, why: str = "") -> list[str]:
    if want is UNKNOWN_INPUT or got == UNKNOWN:
        return []
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        if abs(got - want) < 1e-9:
            return []
    elif got == want:
        return []
    return [f"{where}: got {got!r}, expected {want!r}" + (f" ({why})" if why else "")]


def _one_table(instance: ModuleInstance) -> tuple[str, dict[str, Any]] | None:
    tables = instance.of_type("aws_dynamodb_table")
    return next(iter(tables.items())) if len(tables) == 1 else None


def _autoscaled(inputs: dict[str, Any]) -> bool:
    return inputs["billing_mode"] == "PROVISIONED" and bool(inputs["autoscaling"]["enabled"])


def input_tags_everywhere(instance: ModuleInstance) -> list[str]:
    """Every taggable resource the scenario plans carries exactly the tags given to the module."""
    want = instance.inputs["tags"]
    if want is UNKNOWN_INPUT:
        return [f"{instance.scenario}: the module's tags are computed in the root; state them under `inputs: tags:`"]
    tagged = {a: r["values"] for a, r in instance.scenario_resources.items() if r["mode"] == "managed"}
    tagged = {a: v for a, v in tagged.items() if "tags" in v}
    problems = [] if tagged else [f"{instance.scenario}: no taggable resource in the plan"]
    for address, values in sorted(tagged.items()):
        problems += _differs(f"{address}.tags", values["tags"] or {}, want, "the module's input tags")
    return problems


def names_within_aws_limits(instance: ModuleInstance) -> list[str]:
    """Every derived name fits its AWS limit, and names of one kind are distinct."""
    problems = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for address, resource in sorted(instance.scenario_resources.items()):
        values = resource["values"]
        for (kind, attribute), limit in NAME_LIMITS.items():
            value = values.get(attribute) if resource["type"] == kind else None
            if isinstance(value, str) and value != UNKNOWN:
                seen[(kind, attribute, value)] += 1
                if len(value) > limit:
                    problems.append(f"{address}.{attribute}: {len(value)} characters, AWS allows {limit}: {value}")
        for index in values.get("global_secondary_index") or [] if resource["type"] == "aws_dynamodb_table" else []:
            if len(index["name"]) > GSI_NAME_LIMIT:
                problems.append(f"{address}.global_secondary_index {index['name']}: over {GSI_NAME_LIMIT} characters")
    for (kind, attribute, value), count in sorted(seen.items()):
        if count > 1 and attribute in UNIQUE_NAMES:
            problems.append(f"{count} {kind} resources share {attribute} {value!r}; names must be unique")
    return problems


def _allow_actions(document: dict[str, Any] | None) -> list[tuple[str, ...]]:
    statements = (document or {}).get("statement") or []
    return sorted(tuple(sorted(s.get("actions") or [])) for s in statements if s.get("effect", "Allow") == "Allow")


def policies_follow_the_iam_contract(instance: ModuleInstance) -> list[str]:
    """The writer and reader documents grant exactly the contract's actions (table plus index queries),
    and a resource policy, when there is one, admits exactly the listed principals."""
    problems = []
    for role, grant in GRANTS.items():
        address = f"aws_iam_policy_document.{role}"
        document = instance.data(address)
        if document is None:
            problems.append(f"data.{address}: not in the plan")
            continue
        want = sorted(tuple(sorted(actions)) for actions in (grant.table, grant.index) if actions)
        problems += _differs(f"data.{address}: Allow actions", _allow_actions(document), want, "the IAM contract")
        for statement in document.get("statement") or []:
            if statement.get("not_actions") or "*" in (statement.get("resources") or []):
                problems.append(f"data.{address}: statement {statement.get('sid')} is too wide")
    i = instance.inputs
    managed = instance.of_type("aws_iam_policy")
    want_managed = sorted(f"aws_iam_policy.{role}[0]" for role in GRANTS) if i["create_iam_policies"] else []
    problems += _differs("aws_iam_policy resources", sorted(managed), want_managed, "create_iam_policies")
    for address, policy in sorted(managed.items()):
        problems += _differs(f"{address}.path", policy.get("path"), i["iam_policy_path"], "iam_policy_path")
    attachments = instance.of_type("aws_iam_role_policy_attachment")
    for kind, roles in (("glue_writer", i["glue_role_names"]), ("lambda_reader", i["lambda_role_names"])):
        if roles is UNKNOWN_INPUT:
            continue
        got = sorted(
            v["role"] for a, v in attachments.items() if a.startswith(f"aws_iam_role_policy_attachment.{kind}[")
        )
        want = sorted(roles) if i["create_iam_policies"] else []
        problems += _differs(f"aws_iam_role_policy_attachment.{kind} roles", got, want, "the role names given")

    principals = instance.inputs["resource_policy_principal_arns"]
    document = instance.data("aws_iam_policy_document.resource_policy[0]")
    has_policy = bool(instance.of_type("aws_dynamodb_resource_policy"))
    if principals is not UNKNOWN_INPUT:
        problems += _differs("aws_dynamodb_resource_policy", has_policy, bool(principals), "principals listed")
    if document is not None:
        granted = GRANTS["writer"].table
        for statement in document.get("statement") or []:
            if statement.get("effect", "Allow") != "Allow":
                continue
            extra = sorted(set(statement.get("actions") or []) - granted)
            if extra:
                problems.append(f"data.aws_iam_policy_document.resource_policy[0]: grants {extra} beyond the contract")
            admitted = sorted(i for p in statement.get("principals") or [] for i in p.get("identifiers") or [])
            if "*" in admitted:
                problems.append("data.aws_iam_policy_document.resource_policy[0]: admits principal *")
            elif principals is not UNKNOWN_INPUT:
                problems += _differs("resource policy principals", admitted, sorted(principals), "the listed ARNs")
    return problems


def table_follows_inputs(instance: ModuleInstance) -> list[str]:
    """The one table carries the inputs: keys, billing, class, recovery, protection, encryption, TTL, stream."""
    found = _one_table(instance)
    if found is None:
        tables = sorted(instance.of_type("aws_dynamodb_table"))
        return [f"{instance.scenario}: expected exactly one aws_dynamodb_table, got {tables}"]
    address, table = found
    i = instance.inputs
    kms = i["kms_key_arn"]
    checks: list[tuple[str, Any, Any]] = [
        ("name", table.get("name"), i["table_name"]),
        ("hash_key", table.get("hash_key"), i["hash_key"]),
        ("range_key", table.get("range_key"), i["range_key"]),
        ("billing_mode", table.get("billing_mode"), i["billing_mode"]),
        # The provider plans the default class STANDARD as unset.
        ("table_class", table.get("table_class") or "STANDARD", i["table_class"]),
        ("deletion_protection_enabled", table.get("deletion_protection_enabled"), i["deletion_protection"]),
        (
            "point_in_time_recovery[0].enabled",
            table["point_in_time_recovery"][0]["enabled"],
            i["point_in_time_recovery"],
        ),
        ("stream_enabled", table.get("stream_enabled"), i["stream_enabled"]),
        ("ttl[0].enabled", table["ttl"][0]["enabled"], i["enable_ttl"]),
    ]
    sse = table["server_side_encryption"][0]
    if kms is not UNKNOWN_INPUT:
        checks.append(("server_side_encryption[0].enabled", sse["enabled"], kms is not None))
        if kms is not None:
            checks.append(("server_side_encryption[0].kms_key_arn", sse.get("kms_key_arn"), kms))
    elif sse.get("kms_key_arn") != UNKNOWN:
        checks.append(("server_side_encryption[0].kms_key_arn", sse.get("kms_key_arn"), "(the root's key)"))
    if i["enable_ttl"] is True:
        checks.append(("ttl[0].attribute_name", table["ttl"][0]["attribute_name"], i["ttl_attribute"]))
    if i["stream_enabled"] is True:
        checks.append(("stream_view_type", table.get("stream_view_type"), i["stream_view_type"]))
    if i["billing_mode"] == "PROVISIONED":
        checks += [
            ("read_capacity", table.get("read_capacity"), i["read_capacity"]),
            ("write_capacity", table.get("write_capacity"), i["write_capacity"]),
        ]
    problems = []
    for attribute, got, want in checks:
        problems += _differs(f"{address}.{attribute}", got, want, "the module's inputs")
    return problems


def audit_index_follows_the_ledger(instance: ModuleInstance) -> list[str]:
    """With enable_audit_index, the table has the index dynemodb.ledger queries, keyed as it writes it."""
    found = _one_table(instance)
    if found is None:
        return []
    address, table = found
    indexes = {g["name"]: g for g in table.get("global_secondary_index") or []}
    name = instance.inputs["audit_index_name"]
    if not instance.inputs["enable_audit_index"]:
        return _differs(f"{address}.global_secondary_index {name}", name in indexes, False, "enable_audit_index")
    if name not in indexes:
        return [f"{address}.global_secondary_index: no {name!r} (enable_audit_index = true)"]
    index = indexes[name]
    attributes = {a["name"]: a["type"] for a in table.get("attribute") or []}
    where = f"{address}.global_secondary_index {name}"
    return [
        *_differs(f"{where}.hash_key", index.get("hash_key"), schema.AUDIT_PK, "dynemodb.ledger.schema"),
        *_differs(f"{where}.range_key", index.get("range_key"), schema.UPDATED_AT, "dynemodb.ledger.schema"),
        *_differs(f"{where}.projection_type", index.get("projection_type"), "ALL", "the audit report reads items"),
        *_differs(f"{address}.attribute {schema.AUDIT_PK}", attributes.get(schema.AUDIT_PK), "S", "STATUS#shard"),
        *_differs(f"{address}.attribute {schema.UPDATED_AT}", attributes.get(schema.UPDATED_AT), "N", "epoch seconds"),
    ]


def indexes_follow_inputs(instance: ModuleInstance) -> list[str]:
    """The table's indexes are the audit index (when enabled) then the inputs' global_secondary_indexes,
    provisioned with the table's capacities; its attribute definitions are exactly the key attributes of
    the table and its indexes."""
    found = _one_table(instance)
    if found is None:
        return []
    address, table = found
    i = instance.inputs
    given = i["global_secondary_indexes"]
    if given is UNKNOWN_INPUT:
        return [f"{instance.scenario}: global_secondary_indexes is computed in the root; state it under `inputs:`"]
    audit = {"name": i["audit_index_name"], "hash_key": schema.AUDIT_PK, "hash_key_type": "S"}
    audit |= {"range_key": schema.UPDATED_AT, "range_key_type": "N", "projection_type": "ALL"}
    wanted = ([audit] if i["enable_audit_index"] else []) + [
        {"hash_key_type": "S", "range_key": None, "range_key_type": "S", "projection_type": "ALL"} | g for g in given
    ]
    want_indexes = sorted(
        (
            g["name"],
            g["hash_key"],
            g["range_key"] or "",
            g["projection_type"],
            tuple(sorted(g.get("non_key_attributes") or [])),
        )
        for g in wanted
    )
    got_indexes = sorted(
        (
            g["name"],
            g["hash_key"],
            g.get("range_key") or "",
            g["projection_type"],
            tuple(sorted(g.get("non_key_attributes") or [])),
        )
        for g in table.get("global_secondary_index") or []
    )
    keys = [(i["hash_key"], i["hash_key_type"])] + ([(i["range_key"], i["range_key_type"])] if i["range_key"] else [])
    for g in wanted:
        keys.append((g["hash_key"], g["hash_key_type"]))
        if g["range_key"]:
            keys.append((g["range_key"], g["range_key_type"]))
    got_attributes = sorted((a["name"], a["type"]) for a in table.get("attribute") or [])
    capacities = []
    for g in table.get("global_secondary_index") or [] if i["billing_mode"] == "PROVISIONED" else []:
        for unit in ("read_capacity", "write_capacity"):
            capacities += _differs(f"{address} index {g['name']}.{unit}", g.get(unit), i[unit], "the table's capacity")
    return [
        *capacities,
        *_differs(
            f"{address}.global_secondary_index", got_indexes, want_indexes, "(name, hash, range, projection, non-key)"
        ),
        *_differs(f"{address}.attribute", got_attributes, sorted(set(keys)), "exactly the key attributes"),
    ]


def autoscaling_exactly_when_provisioned_and_enabled(instance: ModuleInstance) -> list[str]:
    """Autoscaled: the table sits at `autoscaled[0]` and every table and index dimension has a target and a
    target-tracking policy with the inputs' bounds; otherwise no autoscaling resources at all."""
    found = _one_table(instance)
    if found is None:
        return []
    address, table = found
    i, scaled = instance.inputs, _autoscaled(instance.inputs)
    targets = instance.of_type("aws_appautoscaling_target")
    policies = instance.of_type("aws_appautoscaling_policy")
    expected_table = "aws_dynamodb_table.autoscaled[0]" if scaled else "aws_dynamodb_table.this[0]"
    problems = _differs("table address", address, expected_table, "autoscaled tables ignore capacity changes")
    if not scaled:
        return problems + _differs("autoscaling resources", sorted([*targets, *policies]), [], "not autoscaled")
    table_id = f"table/{table['name']}"
    scopes = {"table": table_id} | {
        f"index:{g['name']}": f"{table_id}/index/{g['name']}" for g in table.get("global_secondary_index") or []
    }
    bounds = {
        "read": (i["read_capacity"], i["autoscaling"]["read_max_capacity"]),
        "write": (i["write_capacity"], i["autoscaling"]["write_max_capacity"]),
    }
    want_keys = sorted(f'aws_appautoscaling_target.this["{s}:{d}"]' for s in scopes for d in bounds)
    problems += _differs("autoscaling targets", sorted(targets), want_keys, "one per table/index x read/write")
    for scope, resource_id in scopes.items():
        for dimension, (low, high) in bounds.items():
            key = f'this["{scope}:{dimension}"]'
            kind = "table" if scope == "table" else "index"
            target = targets.get(f"aws_appautoscaling_target.{key}")
            policy = policies.get(f"aws_appautoscaling_policy.{key}")
            if target is None or policy is None:
                problems.append(f"{key}: no autoscaling target and policy")
                continue
            config = policy["target_tracking_scaling_policy_configuration"][0]
            for where, got, want in (
                ("min_capacity", target["min_capacity"], low),
                ("max_capacity", target["max_capacity"], high),
                ("resource_id", target["resource_id"], resource_id),
                ("scalable_dimension", target["scalable_dimension"], f"dynamodb:{kind}:{UNITS[dimension]}"),
                ("policy_type", policy["policy_type"], "TargetTrackingScaling"),
                ("target_value", config["target_value"], i["autoscaling"]["target_utilization"]),
                ("scale_in_cooldown", config["scale_in_cooldown"], i["autoscaling"]["scale_in_cooldown"]),
                ("scale_out_cooldown", config["scale_out_cooldown"], i["autoscaling"]["scale_out_cooldown"]),
                (
                    "predefined_metric_type",
                    config["predefined_metric_specification"][0]["predefined_metric_type"],
                    SCALING_METRICS[dimension],
                ),
            ):
                problems += _differs(f"aws_appautoscaling_*.{key}.{where}", got, want, "the autoscaling inputs")
    for g in table.get("global_secondary_index") or []:
        problems += _differs(f"{address} index {g['name']} read_capacity", g.get("read_capacity"), i["read_capacity"])
        problems += _differs(
            f"{address} index {g['name']} write_capacity", g.get("write_capacity"), i["write_capacity"]
        )
    return problems


def _thresholds(inputs: dict[str, Any]) -> dict[str, float]:
    t = inputs["alarm_thresholds"]
    period = t["period_seconds"]
    if inputs["billing_mode"] == "PROVISIONED":
        ceilings = (
            (inputs["autoscaling"]["read_max_capacity"], inputs["autoscaling"]["write_max_capacity"])
            if _autoscaled(inputs)
            else (inputs["read_capacity"] or 1, inputs["write_capacity"] or 1)
        )
        read, write = (c * t["consumed_capacity_percent"] / 100 * period for c in ceilings)
    else:
        read, write = t["on_demand_read_units"] * period, t["on_demand_write_units"] * period
    throttled = t["throttled_requests"]
    return {
        "read-throttles": throttled,
        "write-throttles": throttled,
        "consumed-read-capacity": read,
        "consumed-write-capacity": write,
    }


def index_alarms(names: list[str]) -> dict[str, tuple[str, str]]:
    """Per index, a read and a write throttle alarm: name suffix -> (metric, index name), as alarms.tf names
    them. A table's throttle metrics leave its indexes out (DynamoDB's "Metrics and dimensions": TableName
    alone returns the table's, "but not for any global secondary indexes")."""
    short = {n: n if len(n) <= 64 else f"{n[:55]}-{hashlib.sha1(n.encode()).hexdigest()[:8]}" for n in names}
    return {
        f"{short[n]}-index-{op}-throttles": (metric, n)
        for n in names
        for op, metric in (("read", "ReadThrottleEvents"), ("write", "WriteThrottleEvents"))
    }


def alarms_follow_their_thresholds(instance: ModuleInstance) -> list[str]:
    """With enable_alarms, four alarms on the table's metrics and a read and a write throttle alarm per index
    at the thresholds the inputs imply, notifying alarm_actions on alarm and on recovery; without it, none."""
    found = _one_table(instance)
    alarms = instance.of_type("aws_cloudwatch_metric_alarm")
    i = instance.inputs
    if not i["enable_alarms"]:
        return _differs("alarms", sorted(alarms), [], "enable_alarms = false")
    if i["global_secondary_indexes"] is UNKNOWN_INPUT:
        return [f"{instance.scenario}: global_secondary_indexes is computed in the root; state it under `inputs:`"]
    table_name = found[1]["name"] if found else UNKNOWN_INPUT
    thresholds = _thresholds(i)
    wanted = {k: (metric, {"TableName": table_name}, thresholds[k]) for k, metric in ALARM_METRICS.items()}
    wanted |= {
        k: (metric, {"TableName": table_name, "GlobalSecondaryIndexName": index}, thresholds["read-throttles"])
        for k, (metric, index) in index_alarms(
            ([i["audit_index_name"]] if i["enable_audit_index"] else [])
            + [g["name"] for g in i["global_secondary_indexes"]]
        ).items()
    }
    want_keys = sorted(f'aws_cloudwatch_metric_alarm.this["{k}"]' for k in wanted)
    problems = _differs("alarms", sorted(alarms), want_keys, "one per metric, and throttles per index")
    actions = i["alarm_actions"]
    for key, (metric, dimensions, threshold) in wanted.items():
        address = f'aws_cloudwatch_metric_alarm.this["{key}"]'
        alarm = alarms.get(address)
        if alarm is None:
            continue
        for attribute, want in (
            ("namespace", "AWS/DynamoDB"),
            ("metric_name", metric),
            ("dimensions", dimensions),
            ("statistic", "Sum"),
            ("period", i["alarm_thresholds"]["period_seconds"]),
            ("evaluation_periods", i["alarm_thresholds"]["evaluation_periods"]),
            ("threshold", threshold),
            ("comparison_operator", "GreaterThanThreshold"),
            ("treat_missing_data", "notBreaching"),
            ("alarm_actions", actions),
            ("ok_actions", actions),
        ):
            got = alarm.get(attribute)
            if attribute.endswith("_actions") and got is None:
                got = []
            problems += _differs(f"{address}.{attribute}", got, want, "the alarm inputs")
        problems += _differs(
            f"{address}.ok_actions", alarm.get("ok_actions"), alarm.get("alarm_actions"), "recovery too"
        )
    return problems


INVARIANTS: tuple[Invariant, ...] = (
    input_tags_everywhere,
    names_within_aws_limits,
    policies_follow_the_iam_contract,
    table_follows_inputs,
    indexes_follow_inputs,
    audit_index_follows_the_ledger,
    autoscaling_exactly_when_provisioned_and_enabled,
    alarms_follow_their_thresholds,
)
