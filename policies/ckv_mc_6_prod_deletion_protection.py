"""CKV_MC_6: a DynamoDB table tagged Environment = prod or production (CKV_MC_PROD_ENVIRONMENTS, any case) has
deletion protection on."""

from ckv_mc_adapter import (
    UNKNOWN,
    Check,
    CheckCategories,
    Node,
    Verdict,
    as_bool,
    failed,
    passed,
    register,
    setting,
    undecided,
)


@register
class ProdDeletionProtection(Check):
    id = "CKV_MC_6"
    name = "Production DynamoDB table has deletion protection enabled"
    resources = ("aws_dynamodb_table",)
    category = CheckCategories.BACKUP_AND_RECOVERY
    rule = (
        "A table whose `Environment` tag is `prod` or `production` (any case; `CKV_MC_PROD_ENVIRONMENTS`) has "
        "deletion protection on."
    )
    why = "A `terraform destroy` or a rename must not delete production's ledger."
    guideline = "Module: deletion_protection = true (the default). Raw resource: deletion_protection_enabled = true."

    def judge(self, node: Node) -> Verdict:
        raw = node.get("deletion_protection_enabled")
        protected = False if raw is None else (None if raw is UNKNOWN else as_bool(raw))  # absent: off
        if protected:
            return passed()
        tags = node.tags()
        environment = UNKNOWN if tags is UNKNOWN else tags.get("Environment")
        if environment is UNKNOWN:
            return undecided("the Environment tag is not known here")
        production = str(environment or "").strip().lower() in [
            e.lower() for e in setting("CKV_MC_PROD_ENVIRONMENTS", "prod,production")
        ]
        if not production:
            return passed()
        if protected is None:
            return undecided("deletion_protection_enabled is not known here")
        return failed(
            f"Environment is {environment!r} and deletion_protection_enabled is off: turn it on for production"
        )
