table_name     = "ledger-on-demand"
billing_mode   = "PAY_PER_REQUEST"
read_capacity  = null
write_capacity = null
enable_ttl     = true
tags           = { Environment = "dev", Project = "MetricCare" }
