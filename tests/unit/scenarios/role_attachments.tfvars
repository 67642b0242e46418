table_name        = "ledger-roles"
glue_role_names   = ["etl-glue-job", "backfill-glue-job"]
lambda_role_names = ["skip-done-lambda"]
iam_policy_path   = "/ingestion/"
# The same ledger in a second Region of the account: IAM names are account-wide.
iam_policy_name_prefix = "ledger-roles-eu-west-1"
enable_ttl             = true
tags                   = { Environment = "dev", Project = "MetricCare" }
