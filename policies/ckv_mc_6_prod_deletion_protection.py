"""CKV_MC_6: a DynamoDB table tagged Environment = prod or production (CKV_MC_PROD_ENVIRONMENTS, any case) has
deletion protection on."""

from ckv_mc_adapter import (
    UNKNOWN,
    Check,
    CheckCategories,
    Node,
    Verdict,
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
    resources = ("aws_dynamodb_table", "aws_dynamodb_table_replica")
    category = CheckCategories.BACKUP_AND_RECOVERY
    rule = (
        "A table or `aws_dynamodb_table_replica` whose `Environment` tag is `prod` or `production` (any case; "
        "`CKV_MC_PROD_ENVIRONMENTS`) has deletion protection on. A `replica` block cannot set it (provider 5.x) and is "
        "not judged: removing one deletes a copy, and the table keeps the data."
    )
    why = "A `terraform destroy` or a rename must not delete production's ledger."
    guideline = (
        "Module: deletion_protection = true (the default). Raw resource or replica: deletion_protection_enabled = true."
    )

    def judge(self, node: Node) -> Verdict:
        protected = node.switch("deletion_protection_enabled")
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
