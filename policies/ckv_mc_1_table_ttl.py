"""CKV_MC_1: every DynamoDB table has time to live enabled on a non-empty attribute."""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import Context, Verdict, as_bool, expand_dynamic, is_expression, run_safely, scalar


def judge(ctx: Context) -> Verdict:
    ttl_blocks, complete = expand_dynamic(ctx.conf, "ttl")
    if not ttl_blocks:
        if not complete:
            return Verdict.unknown("the ttl block is dynamic over a value Checkov could not evaluate")
        return Verdict.failed('no ttl block: set ttl { enabled = true, attribute_name = "expiration_time" }')
    ttl = ttl_blocks[0]
    enabled = as_bool(ttl.get("enabled"))
    attribute = scalar(ttl.get("attribute_name"))
    if enabled is None:
        return Verdict.unknown("ttl.enabled is an expression Checkov could not evaluate")
    if not enabled:
        return Verdict.failed("ttl.enabled is false: enable TTL so ledger records expire after their retention")
    if attribute is None or (isinstance(attribute, str) and not is_expression(attribute) and not attribute.strip()):
        return Verdict.failed("ttl.attribute_name is empty: name the epoch-seconds expiry attribute")
    return Verdict.passed()


class TableTTLEnabled(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="DynamoDB table has TTL enabled on a non-empty attribute",
            id="CKV_MC_1",
            categories=(CheckCategories.GENERAL_SECURITY,),
            supported_resources=("aws_dynamodb_table",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["ttl"]
        return run_safely(self, conf, judge)


check = TableTTLEnabled()
