"""CKV_MC_4: a DynamoDB table is PAY_PER_REQUEST, or PROVISIONED (explicitly or by default) with application
autoscaling targets and policies for both its read and its write capacity."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import (
    Context,
    GraphIndex,
    Verdict,
    Vertex,
    is_expression,
    parse_ref,
    refs_in,
    run_safely,
    scalar,
    table_name,
)

DIMENSIONS = {
    "dynamodb:table:ReadCapacityUnits": "read",
    "dynamodb:table:WriteCapacityUnits": "write",
}


def _target_fields(vertex: Vertex, index: GraphIndex, depth: int = 0) -> tuple[Any, Any, Any]:
    """(service_namespace, resource_id, scalable_dimension) of a target or policy; a policy's fields that refer
    to its target (aws_appautoscaling_target.t[each.key].resource_id) are read from that target."""
    values: list[Any] = []
    for key in ("service_namespace", "resource_id", "scalable_dimension"):
        value = scalar(vertex.config.get(key))
        ref = parse_ref(value) if isinstance(value, str) else None
        if ref is not None and ref.rtype == "aws_appautoscaling_target" and depth == 0:
            targets = index.resolve(vertex, ref)
            value = _target_fields(targets[0], index, 1)[len(values)] if len(targets) == 1 else value
        values.append(value)
    return values[0], values[1], values[2]


def _belongs(
    vertex: Vertex, resource_id: Any, table: Vertex | None, name: str | None, index: GraphIndex
) -> bool | None:
    """Whether an autoscaling resource scales this table: True, False, or None (cannot tell)."""
    if isinstance(resource_id, str) and not is_expression(resource_id):
        if name is not None:
            return resource_id == f"table/{name}"
        return None
    for ref in refs_in(resource_id):
        if ref.rtype != "aws_dynamodb_table" or table is None:
            continue
        for candidate in index.resolve(vertex, ref):
            if candidate is table or (candidate.key == table.key and candidate.instance == table.instance):
                return True
    if resource_id is None and vertex.plan:
        return None
    mentions_other_table = any(ref.rtype == "aws_dynamodb_table" for ref in refs_in(resource_id))
    return False if mentions_other_table else None


def _scaled(kind: str, ctx: Context, name: str | None) -> tuple[set[str], list[str]]:
    """The table dimensions resources of ``kind`` scale, and those that could not be evaluated."""
    table = ctx.vertex
    assert table is not None
    dims: set[str] = set()
    undecided: list[str] = []
    for vertex in ctx.index.in_root(table.root, kind):
        if vertex.block_type != "resource" or vertex.config.get("count") == [0]:
            continue
        namespace, resource_id, dimension = _target_fields(vertex, ctx.index)
        if isinstance(namespace, str) and not is_expression(namespace) and namespace != "dynamodb":
            continue
        belongs = _belongs(vertex, resource_id, table, name, ctx.index)
        if belongs is False:
            continue
        if isinstance(dimension, str) and not is_expression(dimension):
            if dimension not in DIMENSIONS:
                continue  # an index dimension
            if belongs:
                dims.add(DIMENSIONS[dimension])
                continue
        undecided.append(vertex.address)
    return dims, undecided


def judge(ctx: Context) -> Verdict:
    mode = scalar(ctx.conf.get("billing_mode"))
    if mode is None:
        mode = "PROVISIONED"  # the provider's default
    if not isinstance(mode, str) or is_expression(mode):
        return Verdict.unknown("billing_mode is an expression Checkov could not evaluate")
    if mode.upper() == "PAY_PER_REQUEST":
        return Verdict.passed()
    if mode.upper() != "PROVISIONED":
        return Verdict.unknown(f"billing_mode {mode!r} is neither PROVISIONED nor PAY_PER_REQUEST")
    if ctx.vertex is None:
        return Verdict.unknown("Checkov's graph is not available, so the autoscaling resources cannot be found")
    name = table_name(ctx.conf)
    target_dims, open_targets = _scaled("aws_appautoscaling_target", ctx, name)
    policy_dims, open_policies = _scaled("aws_appautoscaling_policy", ctx, name)
    missing = []
    for dim in ("read", "write"):
        lacks = [what for what, got in (("target", target_dims), ("policy", policy_dims)) if dim not in got]
        if lacks:
            missing.append(f"{dim} capacity has no autoscaling {' or '.join(lacks)}")
    if not missing:
        return Verdict.passed()
    if open_targets or open_policies:
        return Verdict.unknown(
            "autoscaling resources Checkov could not evaluate may scale this table: "
            + ", ".join(open_targets + open_policies)
        )
    shown = name or ctx.conf.get("__address__")
    return Verdict.failed(
        f"PROVISIONED table {shown}: {'; '.join(missing)}. Add aws_appautoscaling_target and "
        "aws_appautoscaling_policy for dynamodb:table:ReadCapacityUnits and WriteCapacityUnits "
        '(the module\'s autoscaling input does), or use billing_mode = "PAY_PER_REQUEST"'
    )


class BillingModeAutoscaled(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="DynamoDB table is on-demand, or provisioned with read and write autoscaling",
            id="CKV_MC_4",
            categories=(CheckCategories.GENERAL_SECURITY,),
            supported_resources=("aws_dynamodb_table",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["billing_mode"]
        return run_safely(self, conf, judge)


check = BillingModeAutoscaled()
