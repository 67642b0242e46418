"""CKV_MC_5: every DynamoDB table, and each of its replicas, has point-in-time recovery on."""

from ckv_mc_adapter import (
    UNKNOWN,
    Check,
    CheckCategories,
    Node,
    Verdict,
    as_bool,
    failed,
    one,
    passed,
    register,
    undecided,
)


@register
class TablePITR(Check):
    id = "CKV_MC_5"
    name = "DynamoDB table has point-in-time recovery enabled"
    resources = ("aws_dynamodb_table",)
    category = CheckCategories.BACKUP_AND_RECOVERY
    rule = (
        "Every `aws_dynamodb_table` has point-in-time recovery on, and so does each of its `replica` blocks "
        "(a replica's own `point_in_time_recovery`, false unless set)."
    )
    why = (
        "The ledger is the record of what was loaded; losing it means re-deriving it from the data lake, or re-loading."
    )
    guideline = (
        "Module: point_in_time_recovery = true (the default). Raw resource: point_in_time_recovery { enabled = true }, "
        "and point_in_time_recovery = true in every replica block."
    )

    def judge(self, node: Node) -> Verdict:
        problems, open_ = [], []
        blocks = node.blocks("point_in_time_recovery")
        if blocks is UNKNOWN:
            open_.append("point_in_time_recovery is not known here")
        elif not blocks:
            problems.append("no point_in_time_recovery block: PITR is off by default; set enabled = true")
        elif (enabled := as_bool(blocks[0].get("enabled"))) is None or node.unknown(
            "point_in_time_recovery", 0, "enabled"
        ):
            open_.append("point_in_time_recovery.enabled is not known here")
        elif not enabled:
            problems.append("point_in_time_recovery.enabled is false: the ledger must be recoverable")
        replicas = node.blocks("replica")
        if replicas is UNKNOWN:
            open_.append("replica is not known here")
        for i, replica in enumerate(replicas if replicas is not UNKNOWN else []):
            where, value = (
                f"replica {one(replica.get('region_name')) or i + 1}",
                one(replica.get("point_in_time_recovery")),
            )
            if node.unknown("replica", i, "point_in_time_recovery") or (value is not None and as_bool(value) is None):
                open_.append(f"{where}: point_in_time_recovery is not known here")
            elif not as_bool(value):
                problems.append(f"{where}: point_in_time_recovery is off (the default for a replica); set it to true")
        return failed(*problems) if problems else (undecided(*open_) if open_ else passed())
