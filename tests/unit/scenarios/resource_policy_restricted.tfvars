table_name = "ledger-restricted"
resource_policy_principal_arns = [
  "arn:aws:iam::111122223333:role/etl-glue-job",
  "arn:aws:iam::444455556666:root",
]
# The reader is left out of the deny, not granted the writer's actions.
restrict_exempt_principal_arns = ["arn:aws:iam::111122223333:role/skip-done-lambda"]
restrict_to_listed_principals  = true
enable_ttl                     = true
tags                           = { Environment = "prod", Project = "MetricCare" }
