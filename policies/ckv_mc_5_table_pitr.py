"""CKV_MC_5: every DynamoDB table, and each of its replicas, has point-in-time recovery on."""

from ckv_mc_adapter import UNKNOWN, Check, CheckCategories, Node, Verdict, as_bool, failed, passed, register, undecided


@register
class TablePITR(Check):
    id = "CKV_MC_5"
    name = "DynamoDB table has point-in-time recovery enabled"
    resources = ("aws_dynamodb_table", "aws_dynamodb_table_replica")
    category = CheckCategories.BACKUP_AND_RECOVERY
    rule = (
        "Every `aws_dynamodb_table` has point-in-time recovery on, and so does each of its `replica` blocks and "
        "each `aws_dynamodb_table_replica` (a replica's own `point_in_time_recovery`, false unless set)."
    )
    why = (
        "The ledger is the record of what was loaded; losing it means re-deriving it from the data lake, or re-loading."
    )
    guideline = (
        "Module: point_in_time_recovery = true (the default). Raw resource: point_in_time_recovery { enabled = true }, "
        "and point_in_time_recovery = true in every replica block and aws_dynamodb_table_replica."
    )

    def judge(self, node: Node) -> Verdict:
        if node.type == "aws_dynamodb_table_replica":
            switches = [("the replica", node.switch("point_in_time_recovery"))]
        else:
            switches = [("the table", self._table(node)), *node.replica_switches("point_in_time_recovery")]
        off = [
            f"{where}: point_in_time_recovery is off (the default); turn it on" for where, on in switches if on is False
        ]
        open_ = [f"{where}: point_in_time_recovery is not known here" for where, on in switches if on is None]
        return failed(*off) if off else (undecided(*open_) if open_ else passed())

    @staticmethod
    def _table(node: Node) -> bool | None:
        blocks = node.blocks("point_in_time_recovery")
        if blocks is UNKNOWN or (blocks and node.unknown("point_in_time_recovery", 0, "enabled")):
            return None
        return as_bool(blocks[0].get("enabled")) if blocks else False
