table_name     = "ledger-fixed"
read_capacity  = 3
write_capacity = 7
autoscaling    = { enabled = false }
tags           = { Environment = "dev", Project = "MetricCare" }
