table_name        = "ledger-roles"
glue_role_names   = ["etl-glue-job", "backfill-glue-job"]
lambda_role_names = ["skip-done-lambda"]
iam_policy_path   = "/ingestion/"
enable_ttl        = true
tags              = { Environment = "dev", Project = "MetricCare" }
