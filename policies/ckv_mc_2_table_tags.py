"""CKV_MC_2: every DynamoDB table carries non-empty Environment and Project tags (provider default_tags count).

The required keys come from CKV_MC_REQUIRED_TAGS (comma-separated), default "Environment,Project".
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from ckv_mc_common import Context, Unresolved, Verdict, effective_tags, required_tag_keys, run_safely


def judge(ctx: Context) -> Verdict:
    tags = effective_tags(ctx.conf, ctx.vertex, ctx.index)
    if tags is None:
        return Verdict.unknown("the tags are an expression Checkov could not evaluate")
    missing, empty = [], []
    for key in required_tag_keys():
        if key not in tags or tags[key] is None:
            missing.append(key)
        elif not isinstance(tags[key], Unresolved) and not str(tags[key]).strip():
            empty.append(key)
    problems = []
    if missing:
        problems.append(f"missing tag(s) {', '.join(missing)}")
    if empty:
        problems.append(f"empty tag(s) {', '.join(empty)}")
    if problems:
        return Verdict.failed("; ".join(problems) + ": set them on the table or in the provider's default_tags")
    return Verdict.passed()


class TableRequiredTags(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="DynamoDB table carries non-empty Environment and Project tags",
            id="CKV_MC_2",
            categories=(CheckCategories.CONVENTION,),
            supported_resources=("aws_dynamodb_table",),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["tags", "tags_all"]
        return run_safely(self, conf, judge)


check = TableRequiredTags()
