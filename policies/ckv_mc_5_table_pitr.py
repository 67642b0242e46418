"""CKV_MC_5: every DynamoDB table has point-in-time recovery on."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import Context, Verdict, as_bool, expand_dynamic, run_safely


def judge(ctx: Context) -> Verdict:
    pitr_blocks, complete = expand_dynamic(ctx.conf, "point_in_time_recovery")
    if not pitr_blocks:
        if not complete:
            return Verdict.unknown("point_in_time_recovery is dynamic over a value Checkov could not evaluate")
        return Verdict.failed("no point_in_time_recovery block: PITR is off by default; set enabled = true")
    enabled = as_bool(pitr_blocks[0].get("enabled"))
    if enabled is None:
        return Verdict.unknown("point_in_time_recovery.enabled is an expression Checkov could not evaluate")
    if not enabled:
        return Verdict.failed("point_in_time_recovery.enabled is false: the ledger must be recoverable")
    return Verdict.passed()


class TablePointInTimeRecovery(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="DynamoDB table has point-in-time recovery enabled",
            id="CKV_MC_5",
            categories=(CheckCategories.BACKUP_AND_RECOVERY,),
            supported_resources=("aws_dynamodb_table",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["point_in_time_recovery/[0]/enabled"]
        return run_safely(self, conf, judge)


check = TablePointInTimeRecovery()
