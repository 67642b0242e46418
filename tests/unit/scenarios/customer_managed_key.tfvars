table_name     = "ledger-cmk"
billing_mode   = "PAY_PER_REQUEST"
read_capacity  = null
write_capacity = null
kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
enable_ttl     = true
tags           = { Environment = "prod", Project = "MetricCare" }
