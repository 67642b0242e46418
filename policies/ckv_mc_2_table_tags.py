"""CKV_MC_2: every DynamoDB table carries non-empty Environment and Project tags (provider default_tags count).
The keys come from CKV_MC_REQUIRED_TAGS (comma-separated)."""

from ckv_mc_adapter import UNKNOWN, Check, CheckCategories, Node, Verdict, failed, passed, register, setting, undecided


@register
class TableTags(Check):
    id = "CKV_MC_2"
    name = "DynamoDB table carries non-empty Environment and Project tags"
    resources = ("aws_dynamodb_table", "aws_dynamodb_table_replica")
    category = CheckCategories.CONVENTION
    rule = (
        "Every `aws_dynamodb_table` and `aws_dynamodb_table_replica` carries non-empty `Environment` and `Project` "
        "tags. The provider's `default_tags` count (`tags_all` in plans). Each `replica` block sets "
        "`propagate_tags = true`: a replica otherwise carries none of the table's tags (false unless set). The keys "
        "are configurable (`CKV_MC_REQUIRED_TAGS`)."
    )
    why = "Cost allocation, ownership, and CKV_MC_6 (which reads `Environment`)."
    guideline = (
        'Module: tags = { Environment = "...", Project = "..." }, or set them in the provider\'s default_tags; '
        "propagate_tags = true in every replica block."
    )

    def judge(self, node: Node) -> Verdict:
        tags, replicas = (
            node.tags(),
            node.replica_switches("propagate_tags") if node.type == "aws_dynamodb_table" else [],
        )
        required = setting("CKV_MC_REQUIRED_TAGS", "Environment,Project")
        missing = [] if tags is UNKNOWN else [k for k in required if tags.get(k) is None]
        empty = [] if tags is UNKNOWN else [k for k in required if isinstance(tags.get(k), str) and not tags[k].strip()]
        problems = [
            f"{what} tag(s) {', '.join(keys)}: set them on the table or in the provider's default_tags"
            for what, keys in (("missing", missing), ("empty", empty))
            if keys
        ]
        problems += [
            f"{where}: propagate_tags is off (the default), so it has no tags" for where, on in replicas if on is False
        ]
        if problems:
            return failed(*problems)
        if tags is UNKNOWN or any(tags[k] is UNKNOWN for k in required) or any(on is None for _, on in replicas):
            return undecided("the tags, or a replica's propagate_tags, are not known here")
        return passed()
