"""CKV_MC_6: a DynamoDB table tagged Environment = prod or production has deletion protection on.

Production values come from CKV_MC_PROD_ENVIRONMENTS (comma-separated, case-insensitive), default "prod,production".
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import Context, Unresolved, Verdict, as_bool, effective_tags, prod_environments, run_safely


def judge(ctx: Context) -> Verdict:
    raw = ctx.conf.get("deletion_protection_enabled")
    protected = False if raw in (None, [], [None]) else as_bool(raw)  # absent: the provider's default, off
    if protected:
        return Verdict.passed()
    tags = effective_tags(ctx.conf, ctx.vertex, ctx.index)
    environment = (tags or {}).get("Environment")
    if tags is None or isinstance(environment, Unresolved):
        return Verdict.unknown("the Environment tag is an expression Checkov could not evaluate")
    if protected is None:
        if environment is not None and str(environment).strip().lower() in prod_environments():
            return Verdict.unknown("deletion_protection_enabled is an expression Checkov could not evaluate")
        return Verdict.passed()
    if environment is not None and str(environment).strip().lower() in prod_environments():
        return Verdict.failed(
            f"Environment is {environment!r} and deletion_protection_enabled is off: turn it on for production"
        )
    return Verdict.passed()


class ProdTableDeletionProtection(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Production DynamoDB table has deletion protection enabled",
            id="CKV_MC_6",
            categories=(CheckCategories.BACKUP_AND_RECOVERY,),
            supported_resources=("aws_dynamodb_table",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["deletion_protection_enabled", "tags", "tags_all"]
        return run_safely(self, conf, judge)


check = ProdTableDeletionProtection()
