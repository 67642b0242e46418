table_name = "ledger-shared"
resource_policy_principal_arns = [
  "arn:aws:iam::111122223333:role/etl-glue-job",
  "arn:aws:iam::111122223333:root",
]
enable_ttl = true
tags       = { Environment = "dev", Project = "MetricCare" }
