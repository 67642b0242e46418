"""CKV_MC_2: every DynamoDB table carries non-empty Environment and Project tags (provider default_tags count).
The keys come from CKV_MC_REQUIRED_TAGS (comma-separated)."""

from ckv_mc_adapter import UNKNOWN, Check, CheckCategories, Node, Verdict, failed, passed, register, setting, undecided


@register
class TableTags(Check):
    id = "CKV_MC_2"
    name = "DynamoDB table carries non-empty Environment and Project tags"
    resources = ("aws_dynamodb_table",)
    category = CheckCategories.CONVENTION
    rule = (
        "Every `aws_dynamodb_table` carries non-empty `Environment` and `Project` tags. The provider's "
        "`default_tags` count (`tags_all` in plans). The keys are configurable (`CKV_MC_REQUIRED_TAGS`)."
    )
    why = "Cost allocation, ownership, and CKV_MC_6 (which reads `Environment`)."
    guideline = 'Module: tags = { Environment = "...", Project = "..." }, or set them in the provider\'s default_tags.'

    def judge(self, node: Node) -> Verdict:
        tags = node.tags()
        if tags is UNKNOWN:
            return undecided("the tags are not known here")
        required = setting("CKV_MC_REQUIRED_TAGS", "Environment,Project")
        missing = [k for k in required if tags.get(k) is None]
        empty = [k for k in required if isinstance(tags.get(k), str) and not tags[k].strip()]
        problems = [
            f"{what} tag(s) {', '.join(keys)}" for what, keys in (("missing", missing), ("empty", empty)) if keys
        ]
        if problems:
            return failed("; ".join(problems) + ": set them on the table or in the provider's default_tags")
        if any(tags[k] is UNKNOWN for k in required):
            return undecided("a required tag is known only after apply")
        return passed()
