"""CKV_MC_5: every DynamoDB table has point-in-time recovery on."""

from ckv_mc_adapter import UNKNOWN, Check, CheckCategories, Node, Verdict, as_bool, failed, passed, register, undecided


@register
class TablePITR(Check):
    id = "CKV_MC_5"
    name = "DynamoDB table has point-in-time recovery enabled"
    resources = ("aws_dynamodb_table",)
    category = CheckCategories.BACKUP_AND_RECOVERY
    rule = "Every `aws_dynamodb_table` has point-in-time recovery on."
    why = (
        "The ledger is the record of what was loaded; losing it means re-deriving it from the data lake, or re-loading."
    )
    guideline = (
        "Module: point_in_time_recovery = true (the default). Raw resource: point_in_time_recovery { enabled = true }."
    )

    def judge(self, node: Node) -> Verdict:
        blocks = node.blocks("point_in_time_recovery")
        if blocks is UNKNOWN:
            return undecided("point_in_time_recovery is not known here")
        if not blocks:
            return failed("no point_in_time_recovery block: PITR is off by default; set enabled = true")
        enabled = as_bool(blocks[0].get("enabled"))
        if enabled is None or node.unknown("point_in_time_recovery", 0, "enabled"):
            return undecided("point_in_time_recovery.enabled is not known here")
        return (
            passed() if enabled else failed("point_in_time_recovery.enabled is false: the ledger must be recoverable")
        )
