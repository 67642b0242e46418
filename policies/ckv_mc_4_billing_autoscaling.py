"""CKV_MC_4: a DynamoDB table is PAY_PER_REQUEST, or PROVISIONED (explicitly or by default) with application
autoscaling targets and policies for both its read and its write capacity."""

from __future__ import annotations

from typing import Any

from ckv_mc_adapter import UNKNOWN, Check, Node, Verdict, failed, passed, register, undecided

DIMENSIONS = {"dynamodb:table:ReadCapacityUnits": "read", "dynamodb:table:WriteCapacityUnits": "write"}
TARGET, POLICY = "aws_appautoscaling_target", "aws_appautoscaling_policy"


def fields(scaler: Node, depth: int = 0) -> tuple[Any, Any, Node]:
    """(service_namespace, scalable_dimension, the node whose resource_id says which table): a policy that
    takes them from its target (aws_appautoscaling_target.t[each.key].resource_id) is read through it."""
    targets = [n for n in scaler.refs("resource_id") if n.type == TARGET] if scaler.type == POLICY else []
    if scaler.get("resource_id") is UNKNOWN and len(targets) == 1 and depth == 0:
        return fields(targets[0], 1)
    return scaler.get("service_namespace"), scaler.get("scalable_dimension"), scaler


def belongs(scaler: Node, table: Node) -> Any:
    """True, False or UNKNOWN: whether an autoscaling resource scales ``table`` (by resource_id)."""
    resource_id, name = scaler.get("resource_id"), table.get("name")
    tables = [n for n in scaler.refs("resource_id") if n.type == "aws_dynamodb_table"]
    # A plan's known resource_id is exact; Checkov renders a reference to one instance
    # ("table/${aws_dynamodb_table.t["k"].id}") as its bare text, so in HCL a reference decides first.
    if isinstance(resource_id, str) and isinstance(name, str) and (scaler.plan is not None or not tables):
        return resource_id == f"table/{name}"
    if isinstance(resource_id, str) and not tables:
        return UNKNOWN
    # resource_id names the table: a declaration of the same name (a count-selected variant) is scaled too.
    if table in tables or (isinstance(name, str) and any(t.get("name") == name for t in tables)):
        # ...unless it names one of several instances of the table's declaration (ledger[each.key] with a
        # for_each the scan could not follow): which one is not known here.
        siblings = {t.address for t in tables if t.rel.split("[")[0] == table.rel.split("[")[0]}
        return UNKNOWN if len(siblings) > 1 else True
    return False if tables else UNKNOWN


@register
class BillingAutoscaled(Check):
    id = "CKV_MC_4"
    name = "DynamoDB table is on-demand, or provisioned with read and write autoscaling"
    resources = ("aws_dynamodb_table",)
    rule = (
        "Billing is `PAY_PER_REQUEST`, or `PROVISIONED` (explicitly or by default) with an "
        "`aws_appautoscaling_target` **and** a target-tracking `aws_appautoscaling_policy` for both "
        "`dynamodb:table:ReadCapacityUnits` and `WriteCapacityUnits` of that table (by its resource_id)."
    )
    why = (
        "Fixed capacity throttles a backfill and makes Glue jobs fail and retry; scaling one dimension does the "
        "same for the other."
    )
    guideline = (
        'Module: keep autoscaling.enabled (the default) or use billing_mode = "PAY_PER_REQUEST". Raw resources: '
        "an aws_appautoscaling_target and a target-tracking aws_appautoscaling_policy per dimension."
    )

    def judge(self, node: Node) -> Verdict:
        mode = node.get("billing_mode")
        # Absent, or null: the provider's default. Checkov renders `cond ? "PAY_PER_REQUEST" : null` as "None",
        # which as a literal the provider refuses at plan time, so it is read as the null it stands for.
        mode = "PROVISIONED" if mode in (None, "None") else mode
        if mode is UNKNOWN:
            return undecided("billing_mode is not known here")
        if mode not in ("PROVISIONED", "PAY_PER_REQUEST"):  # the provider compares case-sensitively
            return failed(f"billing_mode {mode!r} is neither PROVISIONED nor PAY_PER_REQUEST: the provider refuses it")
        if mode == "PAY_PER_REQUEST":
            return passed()
        scaled: dict[str, set[str]] = {TARGET: set(), POLICY: set()}
        open_: list[str] = []
        for kind, dims in scaled.items():
            for scaler in node.related(kind):
                namespace, dimension, holder = fields(scaler)
                link = belongs(holder, node)
                policy_type = scaler.get("policy_type") if kind == POLICY else "TargetTrackingScaling"
                if policy_type not in (UNKNOWN, "TargetTrackingScaling"):
                    continue  # StepScaling, also the provider's default: DynamoDB offers target tracking only
                link = UNKNOWN if policy_type is UNKNOWN and link is True else link
                if namespace not in (UNKNOWN, "dynamodb") or link is False:
                    continue
                if dimension is not UNKNOWN and dimension not in DIMENSIONS:
                    continue  # an index's capacity
                if link is True and dimension is not UNKNOWN:
                    dims.add(DIMENSIONS[dimension])
                else:
                    open_.append(scaler.address)
        lacking = {dim: [k.rsplit("_", 1)[-1] for k, d in scaled.items() if dim not in d] for dim in ("read", "write")}
        missing = [f"{dim} capacity has no autoscaling {' or '.join(kinds)}" for dim, kinds in lacking.items() if kinds]
        if not missing:
            return passed()
        if open_:
            return undecided("autoscaling resources not known here may scale this table: " + ", ".join(open_))
        return failed(f"PROVISIONED table: {'; '.join(missing)}")
